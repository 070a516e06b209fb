// One fuzz run: for each world (a few SidecarSets stored through the API server), the reviews
// fast-check generates from the seed are checked one by one; a run does not stop at the first
// failure. Each failure gets a class (property, signature and, for pods, the pod-authored features
// it needs); the first case of each class is then shrunk by fast-check (replaying that run by its
// path, keeping only smaller cases that fail the same way) within a time budget. Deterministic for a
// seed: the same seed gives the same SidecarSets, the same reviews and the same sampled dry-runs.
import type { SidecarSet } from '@sidecarset/api';
import fc from 'fast-check';
import { checkReview, type CheckContext, type Failure } from './checkReview.js';
import { POD_FEATURES, podOf, withPod } from './podFeatures.js';
import { reviewCaseArb, ROUTES, type ReviewCase } from './reviews.js';
import { worldSidecarSetsArb } from './sidecarSets.js';
import type { World } from './world.js';

export interface CampaignHost {
  /** Replaces the cluster's SidecarSets with these and waits until the webhook's cache holds them. */
  createWorld(index: number, sidecarSets: SidecarSet[]): Promise<{ world: World; rejected: { name: string; message: string }[] }>;
  context(world: World): CheckContext;
}

export interface CampaignOptions {
  seed: number;
  worlds: number;
  reviewsPerWorld: number;
  /** Total wall time for shrinking, over all classes. */
  shrinkBudgetMs: number;
  /** Wall time for shrinking one class. */
  shrinkClassBudgetMs: number;
  log: (line: string) => void;
}

export interface FailureClass {
  key: string;
  property: string;
  signature: string;
  /** Pod features the failure needs (see podFeatures.ts). */
  needs: string[];
  count: number;
  world: World;
  /** Where the first case was generated: world and run index (with the seed, enough to replay it). */
  first: { world: number; run: number };
  example: { testCase: ReviewCase; failure: Failure };
  minimal?: { testCase: ReviewCase; failure: Failure; path: string; shrinks: number };
}

export interface CampaignSummary {
  seed: number;
  reviews: number;
  byFamily: Record<string, number>;
  allowed: number;
  /** Allowed pod CREATEs with a patch. */
  injected: number;
  denied: number;
  refusedAsMalformed: number;
  dryRunAccepted: number;
  dryRunRefused: number;
  extraReviews: number;
  ms: number;
}

export const worldSeed = (seed: number, world: number): number => (seed + world * 7919) | 0;

const classKey = (failure: Failure, needs: readonly string[]): string =>
  `${failure.property} | ${failure.signature}${needs.length ? ` | needs ${needs.join(' + ')}` : ''}`;

const reproduces = (failures: readonly Failure[], target: Pick<Failure, 'property' | 'signature'>): Failure | undefined =>
  failures.find((f) => f.property === target.property && f.signature === target.signature);

export async function runCampaign(host: CampaignHost, options: CampaignOptions): Promise<{ summary: CampaignSummary; classes: FailureClass[] }> {
  const started = performance.now();
  const classes = new Map<string, FailureClass>();
  const summary: CampaignSummary = { seed: options.seed, reviews: 0, byFamily: {}, allowed: 0, injected: 0, denied: 0, refusedAsMalformed: 0, dryRunAccepted: 0, dryRunRefused: 0, extraReviews: 0, ms: 0 };
  let shrinkSpentMs = 0;

  for (let index = 0; index < options.worlds; index++) {
    const seed = worldSeed(options.seed, index);
    const [sidecarSets] = fc.sample(worldSidecarSetsArb(index), { seed, numRuns: 1 });
    const { world, rejected } = await host.createWorld(index, sidecarSets!);
    for (const { name, message } of rejected) {
      const failure: Failure = { property: 'valid SidecarSets are stored', signature: `a generated SidecarSet was refused: ${message.slice(0, 160)}`, detail: message };
      const spec = sidecarSets!.find((s) => s.metadata?.name === name)!;
      register(classes, failure, [], world, { world: index, run: -1 }, { family: 'sidecarset', description: `SidecarSet ${name} created through the API server`, route: '/validate-sidecarsets', body: { kind: 'json', value: spec }, expectation: 'well-formed', objectTyped: true, dryRunTicket: 1 });
    }
    options.log(`world ${index}: ${world.sidecarSets.map((s) => s.metadata!.name).join(', ')} (${world.sidecarNames.join(', ')})`);

    const ctx = host.context(world);
    const arbitrary = reviewCaseArb(world);
    const cases = fc.sample(arbitrary, { seed, numRuns: options.reviewsPerWorld });
    const newKeys: string[] = [];
    for (const [run, testCase] of cases.entries()) {
      const result = await checkReview(testCase, ctx);
      summary.reviews++;
      summary.byFamily[testCase.family] = (summary.byFamily[testCase.family] ?? 0) + 1;
      if (result.allowed === true) summary.allowed++;
      if (result.allowed === false) summary.denied++;
      if (result.injected) summary.injected++;
      if (result.status === 400 || result.status === 413 || result.status === 415) summary.refusedAsMalformed++;
      if (result.dryRun === 'accepted') summary.dryRunAccepted++;
      if (result.dryRun === 'refused') summary.dryRunRefused++;
      const seen = new Set<string>();
      for (const failure of result.failures) {
        const needs = await neededFeatures(testCase, failure, ctx, summary);
        const key = classKey(failure, needs);
        if (seen.has(key)) continue;
        seen.add(key);
        if (!classes.has(key)) newKeys.push(key);
        register(classes, failure, needs, world, { world: index, run }, testCase);
      }
    }
    if (index === 0) {
      for (const route of ROUTES) {
        // Beyond the 8 MiB body limit: refused (413) without harm.
        const result = await checkReview(oversizeCase(route), ctx);
        summary.extraReviews++;
        for (const failure of result.failures) register(classes, failure, [], world, { world: index, run: -1 }, oversizeCase(route, true));
      }
    }

    for (const key of newKeys) {
      const cls = classes.get(key)!;
      const remaining = options.shrinkBudgetMs - shrinkSpentMs;
      if (remaining <= 0) break;
      const budget = Math.min(options.shrinkClassBudgetMs, remaining);
      const began = performance.now();
      cls.minimal = await shrink(cls, arbitrary, seed, ctx, performance.now() + budget, summary);
      shrinkSpentMs += performance.now() - began;
      options.log(`shrunk ${cls.minimal ? `in ${cls.minimal.shrinks} steps` : '(not reproduced)'}: ${key}`);
    }
  }
  summary.ms = Math.round(performance.now() - started);
  return { summary, classes: [...classes.values()] };
}

function register(classes: Map<string, FailureClass>, failure: Failure, needs: string[], world: World, first: FailureClass['first'], testCase: ReviewCase): void {
  const key = classKey(failure, needs);
  const existing = classes.get(key);
  if (existing) existing.count++;
  else classes.set(key, { key, property: failure.property, signature: failure.signature, needs, count: 1, world, first, example: { testCase, failure } });
}

/** Takes the pod features out one at a time; those the failure does not survive losing are needed. */
async function neededFeatures(testCase: ReviewCase, failure: Failure, ctx: CheckContext, summary: CampaignSummary): Promise<string[]> {
  if (testCase.family !== 'pod' || !testCase.objectTyped || failure.property === 'answers') return [];
  const forceDryRun = failure.property === 'api server accepts';
  let current = testCase;
  const needs: string[] = [];
  for (const feature of POD_FEATURES) {
    if (!feature.present(podOf(current), ctx.world)) continue;
    const candidate = withPod(current, feature.remove(podOf(current), ctx.world));
    summary.extraReviews++;
    if (reproduces((await checkReview(candidate, ctx, { forceDryRun })).failures, failure)) current = candidate;
    else needs.push(feature.name);
  }
  return needs;
}

async function shrink(cls: FailureClass, arbitrary: fc.Arbitrary<ReviewCase>, seed: number, ctx: CheckContext, deadline: number, summary: CampaignSummary): Promise<FailureClass['minimal']> {
  if (cls.first.run < 0) return undefined;
  const forceDryRun = cls.property === 'api server accepts';
  const features = cls.needs.map((name) => POD_FEATURES.find((f) => f.name === name)!);
  let last: Failure | undefined;
  const property = fc.asyncProperty(arbitrary, async (testCase) => {
    if (performance.now() > deadline) return true; // out of time: accept no smaller case
    summary.extraReviews++;
    const failure = reproduces((await checkReview(testCase, ctx, { forceDryRun })).failures, cls);
    const keepsFeatures = features.length === 0 || (testCase.family === 'pod' && testCase.objectTyped && features.every((f) => f.present(podOf(testCase), ctx.world)));
    if (failure && keepsFeatures) {
      last = failure;
      return false;
    }
    return true;
  });
  const details = await fc.check(property, { seed, path: String(cls.first.run), numRuns: 1, endOnFailure: false });
  if (!details.failed || !details.counterexample || !last) return undefined;
  return { testCase: details.counterexample[0], failure: last, path: details.counterexamplePath ?? String(cls.first.run), shrinks: details.numShrinks };
}

function oversizeCase(route: (typeof ROUTES)[number], described = false): ReviewCase {
  const text = described ? '(9 MiB of JSON)' : JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'oversize', operation: 'CREATE', object: { pad: 'x'.repeat(9 * 1024 * 1024) } } });
  return { family: 'broken', description: `a 9 MiB review to ${route}`, route, body: { kind: 'raw', text, contentType: 'application/json' }, expectation: 'malformed', objectTyped: false, dryRunTicket: 1, mayHangUp: true };
}
