// Fuzzing the real webhook: generated AdmissionReviews, well-formed and broken, POSTed over HTTPS to
// the built binary, with SidecarSets stored through a real API server and sampled patched pods
// dry-run through it. One run checks every review (it does not stop at the first failure), sorts the
// failures into classes and shrinks the first case of each; each test below asserts one property
// group and prints its classes with their smallest cases and the seed.
//
// Seeds: a fixed one always; FUZZ_SEED=<integer> (or FUZZ_SEED=random) adds a run with that seed.
// FUZZ_REVIEWS=<n> changes the number of reviews per world (default 250, three worlds).
import { startControlPlane, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaign, type CampaignSummary, type FailureClass } from './fuzz/campaign.js';
import { createFuzzNamespaces, FuzzCluster } from './fuzz/clusterHost.js';
import { classReport, summaryLine } from './fuzz/report.js';

const FIXED_SEED = 20_260_108;
const WORLDS = 3;
const REVIEWS_PER_WORLD = Number(process.env.FUZZ_REVIEWS ?? 250);
const DRY_RUN_BUDGET = 80; // sampled dry-runs per seed (about one patched pod in three)

function extraSeed(): number | undefined {
  const value = process.env.FUZZ_SEED;
  if (!value) return undefined;
  if (value === 'random') return (Math.random() * 2 ** 31) | 0;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", got ${value}`);
  return seed;
}
const extra = extraSeed();
const SEEDS = [FIXED_SEED, ...(extra !== undefined && extra !== FIXED_SEED ? [extra] : [])];

let plane: ControlPlane;
let cluster: FuzzCluster;
const runs: { summary: CampaignSummary; classes: FailureClass[] }[] = [];

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
  await createFuzzNamespaces(plane);
  cluster = new FuzzCluster(plane, DRY_RUN_BUDGET);
  await cluster.start();
  for (const seed of SEEDS) {
    cluster.setDryRunBudget(DRY_RUN_BUDGET);
    const run = await runCampaign(cluster, {
      seed,
      worlds: WORLDS,
      reviewsPerWorld: REVIEWS_PER_WORLD,
      shrinkBudgetMs: 45_000,
      shrinkClassBudgetMs: 12_000,
      log: (line) => console.log(`[fuzz ${seed}] ${line}`),
    });
    runs.push(run);
    console.log(summaryLine(run.summary, run.classes));
    for (const cls of run.classes) console.log(classReport(cls, seed));
  }
});

afterAll(async () => {
  await cluster?.stop();
  await plane?.stop();
});

/** The classes of these properties over every seed's run, as one readable report ('' when none). */
function failuresOf(...properties: string[]): string {
  const lines: string[] = [];
  for (const { summary, classes } of runs) {
    const matching = classes.filter((c) => properties.includes(c.property));
    if (matching.length === 0) continue;
    lines.push(`seed ${summary.seed} (replay with FUZZ_SEED=${summary.seed}): ${matching.length} failure class(es)`);
    for (const cls of matching) lines.push(classReport(cls, summary.seed));
  }
  return lines.join('\n');
}

describe('fuzzed AdmissionReviews through the real webhook', () => {
  it('ran a few hundred reviews per seed, with sampled dry-runs', () => {
    for (const { summary } of runs) {
      expect(summary.reviews).toBeGreaterThanOrEqual(WORLDS * REVIEWS_PER_WORLD);
      expect(summary.allowed).toBeGreaterThan(0);
      expect(summary.denied).toBeGreaterThan(0);
      expect(summary.dryRunAccepted + summary.dryRunRefused).toBeGreaterThan(0);
    }
  });

  it('the generated SidecarSets are stored and the generated pods are valid on their own', () => {
    expect(failuresOf('valid SidecarSets are stored', 'generator (suite bug)')).toBe('');
  });

  it('every review is answered in time and the webhook stays up: 200 with an AdmissionReview when readable, 400 when not', () => {
    expect(failuresOf('answers', 'status', 'review')).toBe('');
    expect(cluster.restarts).toBe(0);
  });

  it('no internal error for well-typed input', () => {
    expect(failuresOf('no internal error for well-typed input')).toBe('');
  });

  it('no internal error for broken objects or mistyped requests either (field errors for any JSON)', () => {
    expect(failuresOf('no internal error for a broken object', 'no internal error for a mistyped request')).toBe('');
  });

  it('denials carry a message; only mutating routes patch, and only pod CREATE injects', () => {
    expect(failuresOf('denial explained', 'no patch')).toBe('');
  });

  it('every allowed patch applies cleanly to the request object (RFC 6902)', () => {
    expect(failuresOf('patch applies')).toBe('');
  });

  it('an allowed pod CREATE holds every selecting SidecarSet, whatever the pod brought', () => {
    expect(failuresOf('injects selected')).toBe('');
  });

  it('the API server accepts every sampled patched pod (dry-run CREATE)', () => {
    expect(failuresOf('api server accepts')).toBe('');
  });
});
