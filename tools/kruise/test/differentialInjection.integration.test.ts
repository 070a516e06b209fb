// Differential injection: the same SidecarSets on two control planes in this process's network
// namespace, one running the real OpenKruise v1.9.0 (its webhooks and CRD), one running our webhook
// on our CRD; the same pods dry-run CREATEd on each; the two pods that come back must be equal as JSON
// once the differences listed in ./differential/deliberateDifferences.ts (each with its reason) are
// normalised away. Generated SidecarSets include HotUpgrade sidecars (injected as twins NAME-1/NAME-2).
//
// Worlds of 2-4 generated SidecarSets, each against many generated pods (fast-check, fixed seed;
// DIFF_SEED=<integer> or DIFF_SEED=random adds a run with that seed, printed on failure), then every
// SidecarSet of seeds 000, 002 and 004 against the pod fixtures, then the named regression cases.
// A SidecarSet either side refuses is left out of both and counted. DIFF_WORLDS and DIFF_PODS change
// the number of worlds per seed (default 6) and pods per world (default 100).
import type { Pod, SidecarSet } from '@sidecarset/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSeeds } from './differential/diffSeeds.js';
import { normalisePod } from './differential/deliberateDifferences.js';
import { PATCH_ANNOTATION_PREFIX, podArb, worldSidecarSetsArb, type PodCase } from './differential/generators.js';
import { REGRESSION_CASES } from './differential/regressionCases.js';
import { seedWorlds } from './differential/seedCases.js';
import { sentinelOf, startOpenKruiseSide, startOurSide, waitForSentinel, WHITELIST_EXTRA_LABEL, type Outcome, type Side } from './differential/sides.js';

const FIXED_SEED = 20_261_202;
const WORLDS = Number(process.env.DIFF_WORLDS ?? 6);
const PODS_PER_WORLD = Number(process.env.DIFF_PODS ?? 100);
const CONCURRENCY = 4;

const SEEDS = diffSeeds(FIXED_SEED);

interface Mismatch {
  world: string;
  sidecarSets: SidecarSet[];
  pod: PodCase;
  differences: string[];
}

interface Tally {
  pods: number;
  injected: number;
  /** Of those, pods with a sidecar whose resources a resourcesPolicy computed. */
  sizedByPolicy: number;
  /** Of those, pods with a HotUpgrade sidecar (its twins carry SIDECARSET_VERSION). */
  hotUpgrade: number;
  bothRefused: number;
  sidecarSets: number;
  skipped: { world: string; name: string; refusedBy: Side['name'] | 'both'; message: string }[];
  mismatches: Mismatch[];
  ms: number;
  /** Normalisations that changed a returned pod, by section, name and side. */
  hits: Map<string, number>;
  /** Why both sides refused a pod (OpenKruise's message, ids and names blanked), with a count. */
  refusals: Map<string, number>;
}
const newTally = (): Tally => ({ pods: 0, injected: 0, sizedByPolicy: 0, hotUpgrade: 0, bothRefused: 0, sidecarSets: 0, skipped: [], mismatches: [], ms: 0, hits: new Map(), refusals: new Map() });

let kruise: Side;
let ours: Side;
/** The SidecarSets (and sentinel) of the world applied last, by name: deleted before the next one. */
let applied: string[] = [];

beforeAll(async () => {
  [kruise, ours] = await Promise.all([startOpenKruiseSide(), startOurSide()]);
});

afterAll(async () => {
  await Promise.all([kruise?.plane.stop(), ours?.plane.stop()]);
});

/** Applies a world on both sides (SidecarSets refused by either are left out of both), then runs its pods. */
async function runWorld(world: string, sidecarSets: SidecarSet[], pods: PodCase[], tally: Tally): Promise<Mismatch[]> {
  for (const name of applied) await Promise.all([kruise.deleteSidecarSet(name), ours.deleteSidecarSet(name)]);
  applied = [];
  const accepted: SidecarSet[] = [];
  for (const sidecarSet of sidecarSets) {
    const name = sidecarSet.metadata!.name!;
    tally.sidecarSets++;
    const theirs = await kruise.createSidecarSet(sidecarSet);
    if (!theirs.ok) {
      // Refused by both, or by OpenKruise only (then ours's is deleted again).
      const mine = await ours.createSidecarSet(sidecarSet);
      if (mine.ok) await ours.deleteSidecarSet(name);
      tally.skipped.push({ world, name, refusedBy: mine.ok ? 'openkruise' : 'both', message: theirs.message + (mine.ok ? '' : ` | ours: ${mine.message}`) });
      continue;
    }
    const mine = await ours.createSidecarSet(sidecarSet);
    if (!mine.ok) {
      await kruise.deleteSidecarSet(name);
      tally.skipped.push({ world, name, refusedBy: 'ours', message: mine.message });
      continue;
    }
    applied.push(name);
    accepted.push(sidecarSet);
  }
  const id = world.replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  const sentinel = sentinelOf(id);
  for (const side of [kruise, ours]) {
    const created = await side.createSidecarSet(sentinel);
    if (!created.ok) throw new Error(`${side.name} refused the sentinel: ${created.message}`);
  }
  applied.push(sentinel.metadata!.name!);
  await Promise.all([waitForSentinel(kruise, id), waitForSentinel(ours, id)]);

  const mismatches: Mismatch[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pods.length) {
      const podCase = pods[next++]!;
      const [a, b] = await Promise.all([kruise.dryRunPod(podCase.namespace, podCase.pod), ours.dryRunPod(podCase.namespace, podCase.pod)]);
      tally.pods++;
      const differences = compareOutcomes(podCase.pod, a, b, accepted, tally.hits);
      const injectedList = a.ok && b.ok && differences.length === 0 ? a.value.metadata?.annotations?.['kruise.io/sidecarset-injected-list'] : undefined;
      if (injectedList) {
        tally.injected++;
        const names = injectedList.split(',');
        if (accepted.some((s) => names.includes(s.metadata!.name!) && [...(s.spec.containers ?? []), ...(s.spec.initContainers ?? [])].some((c) => c.resourcesPolicy))) tally.sizedByPolicy++;
        if (a.ok && a.value.spec?.containers.some((c) => c.env?.some((e) => e.name === 'SIDECARSET_VERSION'))) tally.hotUpgrade++;
      }
      if (!a.ok && !b.ok) {
        tally.bothRefused++;
        const signature = a.message.replace(/"[^"]*"/g, '"…"').replace(/\bw\d+-[a-d]\b|\b[a-z]+-[a-d]\d+\b/g, '…').slice(0, 160);
        tally.refusals.set(signature, (tally.refusals.get(signature) ?? 0) + 1);
      }
      if (differences.length) mismatches.push({ world, sidecarSets: accepted, pod: podCase, differences });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  tally.mismatches.push(...mismatches);
  return mismatches;
}

/** The differences between the two outcomes, after normalisation; [] when they agree. */
function compareOutcomes(input: Pod, theirs: Outcome<Pod>, mine: Outcome<Pod>, sidecarSets: readonly SidecarSet[], hits: Map<string, number>): string[] {
  if (!theirs.ok && !mine.ok) return [];
  if (!theirs.ok) return [`OpenKruise refused the pod (${theirs.message}); ours admitted it`];
  if (!mine.ok) return [`ours refused the pod (${mine.message}); OpenKruise admitted it`];
  const a = normalisePod(theirs.value, { sidecarSets, side: 'openkruise', input }, hits);
  const b = normalisePod(mine.value, { sidecarSets, side: 'ours', input }, hits);
  return differingPaths(a, b).map(({ path, theirs: x, ours: y }) => `${path}: OpenKruise ${JSON.stringify(x)}, ours ${JSON.stringify(y)}`);
}

function differingPaths(a: unknown, b: unknown, path = ''): { path: string; theirs: unknown; ours: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => differingPaths(a[key], b[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((item, i) => differingPaths(item, b[i], `${path}[${i}]`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, theirs: a, ours: b }];
}

function report(label: string, tally: Tally, seed?: number): string {
  const lines = [
    `${label}: ${tally.pods} pod cases (${tally.injected} injected and equal, ${tally.sizedByPolicy} of them with a sidecar sized by resourcesPolicy, ${tally.hotUpgrade} with a HotUpgrade sidecar's twins, ${tally.bothRefused} refused by both) over ${tally.sidecarSets} SidecarSets, ${tally.skipped.length} SidecarSets skipped (${tally.skipped.filter((s) => s.refusedBy === 'both').length} refused by both, ${tally.skipped.filter((s) => s.refusedBy === 'openkruise').length} by OpenKruise only, ${tally.skipped.filter((s) => s.refusedBy === 'ours').length} by ours only), ${tally.mismatches.length} mismatches, ${(tally.ms / 1000).toFixed(1)} s`,
  ];
  for (const [name, count] of [...tally.hits].sort()) lines.push(`  normalised ${count}x: ${name}`);
  for (const [why, count] of tally.refusals) lines.push(`  refused by both ${count}x: ${why}`);
  for (const s of tally.skipped) lines.push(`  skipped ${s.world}/${s.name}, refused by ${s.refusedBy}: ${s.message.slice(0, 300)}`);
  for (const m of tally.mismatches.slice(0, 5)) {
    lines.push(`  MISMATCH in ${m.world}${seed !== undefined ? ` (replay with DIFF_SEED=${seed})` : ''}:`);
    lines.push(`    SidecarSets: ${JSON.stringify(m.sidecarSets)}`);
    lines.push(`    pod (namespace ${m.pod.namespace}): ${JSON.stringify(m.pod.pod)}`);
    for (const d of m.differences.slice(0, 12)) lines.push(`    ${d.slice(0, 600)}`);
  }
  return lines.join('\n');
}

describe('the same SidecarSets and pods: OpenKruise v1.9.0 and our webhook inject the same pod', () => {
  describe.each(SEEDS)('generated worlds, seed %i', (seed) => {
    it(`${WORLDS} worlds of 2-4 SidecarSets, ${PODS_PER_WORLD} pods each`, async () => {
      const tally = newTally();
      const started = Date.now();
      const rng = fc.sample(fc.integer({ min: 0, max: 2 ** 30 }), { seed, numRuns: WORLDS });
      for (let w = 0; w < WORLDS; w++) {
        const [sidecarSets] = fc.sample(worldSidecarSetsArb(w), { seed: rng[w]!, numRuns: 1 });
        const pods = fc.sample(podArb(`case-${w}`, sidecarSets!), { seed: rng[w]! + 1, numRuns: PODS_PER_WORLD });
        await runWorld(`seed-${seed}-w${w}`, sidecarSets!, pods, tally);
      }
      tally.ms = Date.now() - started;
      console.log(report(`seed ${seed}`, tally, seed));
      expect(tally.pods).toBe(WORLDS * PODS_PER_WORLD);
      expect(tally.injected).toBeGreaterThan(0);
      expect(tally.sizedByPolicy).toBeGreaterThan(0);
      expect(tally.hotUpgrade).toBeGreaterThan(0);
      expect(tally.skipped.length, 'generated SidecarSets are meant to be valid for both').toBe(0);
      expect(tally.mismatches.map((m) => m.differences.join('\n')), report(`seed ${seed}`, tally, seed)).toEqual([]);
    }, 600_000);
  });

  it("seeds 000, 002 and 004: each SidecarSet against the pod fixtures (seed 000 without issue 10's two volumes)", async () => {
    const tally = newTally();
    const started = Date.now();
    for (const [i, world] of seedWorlds().entries()) await runWorld(`seed${i}`, world.sidecarSets, world.pods, tally);
    tally.ms = Date.now() - started;
    console.log(report('seeds 000, 002, 004', tally));
    expect(tally.injected).toBeGreaterThan(0);
    expect(tally.mismatches.map((m) => m.differences.join('\n')), report('seeds', tally)).toEqual([]);
  }, 600_000);

  it.each(REGRESSION_CASES)('regression: $name', async (c) => {
    const tally = newTally();
    await runWorld(`regression-${c.id}`, c.sidecarSets, c.pods, tally);
    expect(tally.skipped).toEqual([]);
    expect(tally.pods).toBe(c.pods.length);
    expect(tally.mismatches.map((m) => m.differences.join('\n')), report(c.name, tally)).toEqual([]);
    if (c.outcome === 'injected') expect(tally.injected, report(c.name, tally)).toBe(c.pods.length);
    if (c.outcome === 'refused') expect(tally.bothRefused, report(c.name, tally)).toBe(c.pods.length);
  });
});

// Both sides read the same whitelist (./differential/sides.ts's PATCH_METADATA_WHITELIST): what it
// does not allow is refused by both, what it allows admitted by both.
describe('the patchPodMetadata whitelist: OpenKruise v1.9.0 and our webhook admit and refuse the same SidecarSets', () => {
  const patching = (id: string, labels: Record<string, string>, key: string): SidecarSet =>
    ({
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: `wl-${id}`, labels },
      spec: { selector: { matchLabels: { app: `wl-${id}` } }, containers: [{ name: `wl-${id}`, image: 'busybox:1.36' }], patchPodMetadata: [{ annotations: { [key]: 'x' }, patchPolicy: 'Overwrite' }] },
    }) as SidecarSet;
  it.each([
    { id: 'allowed', name: 'control: a key every SidecarSet may patch', set: patching('allowed', {}, `${PATCH_ANNOTATION_PREFIX}wl`), admitted: true },
    { id: 'other-key', name: 'a key no expression matches', set: patching('other-key', {}, 'other.example/wl'), admitted: false },
    { id: 'anchored', name: 'a key the anchored expression matches only past its start', set: patching('anchored', {}, `pre.${PATCH_ANNOTATION_PREFIX}wl`), admitted: false },
    { id: 'not-selected', name: 'a key only a rule selecting other SidecarSets allows', set: patching('not-selected', { 'diff-whitelist': 'other' }, 'extra.example/wl'), admitted: false },
    { id: 'selected', name: 'control: that key on a SidecarSet the rule selects by its labels', set: patching('selected', WHITELIST_EXTRA_LABEL, 'extra.example/wl'), admitted: true },
    { id: 'unanchored', name: 'control: the unanchored expression matches inside the key', set: patching('unanchored', WHITELIST_EXTRA_LABEL, 'team.extra.example/wl'), admitted: true },
  ])('$name', async ({ set, admitted }) => {
    const [theirs, mine] = await Promise.all([kruise.createSidecarSet(set), ours.createSidecarSet(set)]);
    await Promise.all([kruise.deleteSidecarSet(set.metadata!.name!), ours.deleteSidecarSet(set.metadata!.name!)]);
    const message = (o: Outcome<SidecarSet>) => (o.ok ? 'admitted' : o.message);
    expect({ openkruise: theirs.ok, ours: mine.ok }, `OpenKruise: ${message(theirs)}\nours: ${message(mine)}`).toEqual({ openkruise: admitted, ours: admitted });
  });
});
