// Differential SidecarSet admission: the same SidecarSets created through the API server of a control
// plane running the real OpenKruise v1.9.0 (its CRD, mutating and validating webhooks) and of one
// running our webhook on our CRD.
//
// - Valid SidecarSets (generated, fixed seed; DIFF_SEED=<integer> or DIFF_SEED=random adds a run with
//   that seed, printed on failure; and every SidecarSet of seeds 000, 002 and 004) are created on
//   both, read back, and compared as JSON after ./differential/sidecarSetDifferences.ts's
//   normalisations (the hash annotations never normalised: byte-identical); then updated (the image,
//   then something else) and compared again.
// - Broken SidecarSets (./differential/invalidSidecarSets.ts: a valid one with one thing broken) are
//   dry-run created on both: each must be admitted by both or refused by both, unless its breaker
//   names a listed deliberate difference, which must then happen as listed. Messages may differ.
// - Updates OpenKruise refuses (fields it makes immutable, a conflict with another SidecarSet) must
//   be refused by both.
// DIFF_SIDECARSETS (default 60) and DIFF_PER_BREAKER (default 3) change the case counts.
import { requestJson, type SidecarSet } from '@sidecarset/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSeeds } from './differential/diffSeeds.js';
import { sidecarSetArb } from './differential/generators.js';
import { BREAKERS, brokenSidecarSets, CONFLICT_OTHER, UPDATE_CHANGES, type BrokenCase, type UpdateChange } from './differential/invalidSidecarSets.js';
import { SIDECARSET_REGRESSION_CASES } from './differential/sidecarSetRegressionCases.js';
import { ADMISSION_DIFFERENCES, normaliseStoredSidecarSet } from './differential/sidecarSetDifferences.js';
import { seedWorlds } from './differential/seedCases.js';
import { SHAPES } from './differential/validSidecarSetShapes.js';
import { outcome, sentinelOf, startOpenKruiseSide, startOurSide, waitForSentinel, type Outcome, type Side } from './differential/sides.js';

const FIXED_SEED = 20_261_203;
const VALID_COUNT = Number(process.env.DIFF_SIDECARSETS ?? 60);
const PER_BREAKER = Number(process.env.DIFF_PER_BREAKER ?? 3);
const PER_SHAPE = 2;
const CONCURRENCY = 4;
const HASH = 'kruise.io/sidecarset-hash';
const HASH_WITHOUT_IMAGE = 'kruise.io/sidecarset-hash-without-image';
const SIDECARSETS = '/apis/apps.kruise.io/v1alpha1/sidecarsets';

const SEEDS = diffSeeds(FIXED_SEED);

let kruise: Side;
let ours: Side;

beforeAll(async () => {
  [kruise, ours] = await Promise.all([startOpenKruiseSide(), startOurSide()]);
});

afterAll(async () => {
  await Promise.all([kruise?.plane.stop(), ours?.plane.stop()]);
});

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------
const getSidecarSet = (side: Side, name: string) => requestJson<SidecarSet>(side.plane.kubeConfig, 'GET', `${SIDECARSETS}/${name}`);
const dryRunCreate = (side: Side, s: SidecarSet) => outcome(requestJson<SidecarSet>(side.plane.kubeConfig, 'POST', SIDECARSETS, { dryRun: 'All' }, s));

/** Reads the stored SidecarSet, changes it and writes it back (again on a conflict: the controller writes status). */
async function update(side: Side, name: string, change: (s: SidecarSet) => void): Promise<Outcome<SidecarSet>> {
  for (let attempt = 0; ; attempt++) {
    const current = await getSidecarSet(side, name);
    const next = structuredClone(current);
    change(next);
    const result = await outcome(requestJson<SidecarSet>(side.plane.kubeConfig, 'PUT', `${SIDECARSETS}/${name}`, {}, next));
    if (result.ok || attempt >= 5 || !/the object has been modified/.test(result.message)) return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------
function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((key) => differingPaths(a[key], b[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((item, i) => differingPaths(item, b[i], `${path}[${i}]`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path}: OpenKruise ${JSON.stringify(a)}, ours ${JSON.stringify(b)}`];
}

interface Tally {
  cases: number;
  compared: number;
  updates: number;
  refused: { label: string; side: Side['name'] | 'both'; message: string }[];
  mismatches: { label: string; input: SidecarSet; differences: string[] }[];
  hits: Map<string, number>;
}
const newTally = (): Tally => ({ cases: 0, compared: 0, updates: 0, refused: [], mismatches: [], hits: new Map() });

/** The two stored SidecarSets compared; the differences ([] when equal). Hash annotations are compared as they are. */
function compareStored(input: SidecarSet, theirs: SidecarSet, mine: SidecarSet, hits: Map<string, number>): string[] {
  const a = normaliseStoredSidecarSet(theirs, { input, side: 'openkruise' }, hits);
  const b = normaliseStoredSidecarSet(mine, { input, side: 'ours' }, hits);
  const differences = differingPaths(a, b);
  for (const key of [HASH, HASH_WITHOUT_IMAGE]) {
    const x = theirs.metadata?.annotations?.[key];
    const y = mine.metadata?.annotations?.[key];
    if (x === undefined || x !== y) differences.push(`annotation ${key}: OpenKruise ${JSON.stringify(x)}, ours ${JSON.stringify(y)}`);
  }
  return differences;
}

/** Creates on both, compares the stored objects, applies the updates and compares again, deletes. */
async function runValid(label: string, input: SidecarSet, changes: readonly UpdateChange[], suffix: string, tally: Tally): Promise<{ theirs: SidecarSet; mine: SidecarSet } | undefined> {
  const name = input.metadata!.name!;
  tally.cases++;
  const [a, b] = await Promise.all([kruise.createSidecarSet(input), ours.createSidecarSet(input)]);
  try {
    if (!a.ok || !b.ok) {
      const side = !a.ok && !b.ok ? 'both' : !a.ok ? 'openkruise' : 'ours';
      tally.refused.push({ label, side, message: [a, b].flatMap((o) => (o.ok ? [] : [o.message])).join(' | ours: ') });
      return undefined;
    }
    const [theirs, mine] = await Promise.all([getSidecarSet(kruise, name), getSidecarSet(ours, name)]);
    const differences = compareStored(input, theirs, mine, tally.hits).map((d) => `create: ${d}`);
    tally.compared++;
    let before = { theirs, mine };
    for (const change of changes) {
      const apply = (s: SidecarSet) => change.apply(s, suffix);
      const [x, y] = await Promise.all([update(kruise, name, apply), update(ours, name, apply)]);
      tally.updates++;
      if (x.ok !== y.ok) {
        differences.push(`update ${change.id}: ${x.ok ? 'OpenKruise admitted' : `OpenKruise refused (${x.message})`}, ${y.ok ? 'ours admitted' : `ours refused (${y.message})`}`);
        continue;
      }
      if (change.refused && x.ok) differences.push(`update ${change.id}: both admitted a change OpenKruise refuses (immutable field or conflict)`);
      if (!x.ok) continue;
      const [t, m] = await Promise.all([getSidecarSet(kruise, name), getSidecarSet(ours, name)]);
      const intended = structuredClone(input);
      differences.push(...compareStored(intended, t, m, tally.hits).map((d) => `update ${change.id}: ${d}`));
      const hash = (s: SidecarSet, key: string) => s.metadata?.annotations?.[key];
      if (change.imageOnly && hash(t, HASH_WITHOUT_IMAGE) !== hash(before.theirs, HASH_WITHOUT_IMAGE)) differences.push(`update ${change.id}: an image change changed ${HASH_WITHOUT_IMAGE}`);
      if (change.hashesKept && (hash(t, HASH) !== hash(before.theirs, HASH) || hash(t, HASH_WITHOUT_IMAGE) !== hash(before.theirs, HASH_WITHOUT_IMAGE))) {
        differences.push(`update ${change.id}: OpenKruise changed a hash for a change outside the containers`);
      }
      before = { theirs: t, mine: m };
    }
    if (differences.length) tally.mismatches.push({ label, input, differences });
    return { theirs, mine };
  } finally {
    await Promise.all([kruise.deleteSidecarSet(name), ours.deleteSidecarSet(name)]);
  }
}

async function inParallel<T>(items: readonly T[], run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function report(label: string, tally: Tally, seed?: number): string {
  const lines = [
    `${label}: ${tally.cases} SidecarSets, ${tally.compared} stored on both and compared, ${tally.updates} updates, ${tally.refused.length} refused (${tally.refused.filter((r) => r.side === 'both').length} by both), ${tally.mismatches.length} mismatches`,
  ];
  for (const [name, count] of [...tally.hits].sort()) lines.push(`  normalised ${count}x: ${name}`);
  for (const r of tally.refused.slice(0, 20)) lines.push(`  refused ${r.label} by ${r.side}: ${r.message.slice(0, 300)}`);
  for (const m of tally.mismatches.slice(0, 8)) {
    lines.push(`  MISMATCH ${m.label}${seed !== undefined ? ` (replay with DIFF_SEED=${seed})` : ''}: ${JSON.stringify(m.input)}`);
    for (const d of m.differences.slice(0, 12)) lines.push(`    ${d.slice(0, 600)}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Broken SidecarSets
// ---------------------------------------------------------------------------------------------
interface Verdicts {
  openkruise: Outcome<SidecarSet>;
  ours: Outcome<SidecarSet>;
}

/** Why the verdicts are not as expected ('' when they are). */
function verdictMismatch(verdicts: Verdicts, differs: keyof typeof ADMISSION_DIFFERENCES | undefined): string {
  const a = verdicts.openkruise;
  const b = verdicts.ours;
  const say = (o: Outcome<SidecarSet>) => (o.ok ? 'admitted' : `refused (${o.message.slice(0, 400)})`);
  if (!differs) return a.ok === b.ok ? '' : `OpenKruise ${say(a)}; ours ${say(b)}`;
  const expected = ADMISSION_DIFFERENCES[differs].openkruise === 'admits';
  if (a.ok === expected && b.ok === !expected) return '';
  return `listed difference "${differs}" (OpenKruise ${ADMISSION_DIFFERENCES[differs].openkruise}, ours the other) did not happen: OpenKruise ${say(a)}; ours ${say(b)}`;
}

/**
 * Creates CONFLICT_OTHER on both sides, waits until both webhooks have it cached (a sentinel of its
 * own per `id`: one created after it is cached only once it is), runs, and deletes both again.
 */
async function withConflictOther<T>(id: string, run: () => Promise<T>): Promise<T> {
  const sentinel = sentinelOf(`conflicts-${id}`);
  for (const side of [kruise, ours]) {
    for (const s of [CONFLICT_OTHER, sentinel]) {
      const created = await side.createSidecarSet(s);
      if (!created.ok) throw new Error(`${side.name} refused ${s.metadata!.name}: ${created.message}`);
    }
  }
  try {
    await Promise.all([waitForSentinel(kruise, `conflicts-${id}`), waitForSentinel(ours, `conflicts-${id}`)]);
    return await run();
  } finally {
    for (const side of [kruise, ours]) for (const s of [CONFLICT_OTHER, sentinel]) await side.deleteSidecarSet(s.metadata!.name!);
  }
}

describe('the same SidecarSets through OpenKruise v1.9.0 and our webhook: the same stored object, the same verdict', () => {
  describe.each(SEEDS)('seed %i', (seed) => {
    it(`${VALID_COUNT} generated valid SidecarSets: stored equal (hashes byte-identical), then updated twice`, async () => {
      const tally = newTally();
      const started = Date.now();
      const cases = Array.from({ length: VALID_COUNT }, (_, i) => {
        const [s] = fc.sample(sidecarSetArb(`valid-${seed % 1000}-${i}`, `v${i}`), { seed: seed + i, numRuns: 1 });
        // The image first, then one of the other mutable changes.
        const others = UPDATE_CHANGES.filter((c) => !c.refused && c.id !== 'image');
        return { s: s!, changes: [UPDATE_CHANGES.find((c) => c.id === 'image')!, others[i % others.length]!] };
      });
      await inParallel(cases, async ({ s, changes }, i) => void (await runValid(s.metadata!.name!, s, changes, `v${i}`, tally)));
      console.log(`${report(`valid, seed ${seed}`, tally, seed)}\n  ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(tally.refused, 'generated SidecarSets are meant to be valid for both').toEqual([]);
      expect(tally.compared).toBe(VALID_COUNT);
      expect(tally.mismatches.map((m) => `${m.label}: ${m.differences.join('\n')}`), report(`valid, seed ${seed}`, tally, seed)).toEqual([]);
    }, 600_000);

    it(`${SHAPES.length} more shapes (empty lists, quantities, volume sources, probes, strategies...), ${PER_SHAPE} SidecarSets each: stored equal, then the image updated`, async () => {
      const tally = newTally();
      const cases = SHAPES.flatMap((shape, k) =>
        Array.from({ length: PER_SHAPE }, (_, j) => {
          const i = k * PER_SHAPE + j;
          const [s] = fc.sample(sidecarSetArb(`shape-${seed % 1000}-${i}`, `h${i}`), { seed: seed + 13 * i, numRuns: 1 });
          shape.apply(s!, `h${i}`);
          return { s: s!, shape, i };
        }),
      );
      const image = UPDATE_CHANGES.filter((c) => c.id === 'image');
      await inParallel(cases, async ({ s, shape, i }) => void (await runValid(`${s.metadata!.name!} (${shape.id})`, s, image, `h${i}`, tally)));
      console.log(report(`shapes, seed ${seed}`, tally, seed));
      expect(tally.refused, 'every shape is meant to be valid for both').toEqual([]);
      expect(tally.compared).toBe(cases.length);
      expect(tally.mismatches.map((m) => `${m.label}: ${m.differences.join('\n')}`), report(`shapes, seed ${seed}`, tally, seed)).toEqual([]);
    }, 600_000);

    it(`${PER_BREAKER} broken SidecarSets for each of ${BREAKERS.length} breakers: admitted by both or refused by both (listed differences aside)`, async () => {
      const started = Date.now();
      const cases = brokenSidecarSets(`inv${seed % 1000}`, PER_BREAKER, seed);
      const results: (BrokenCase & Verdicts & { why: string })[] = [];
      await withConflictOther(`broken-${seed}`, () =>
        inParallel(cases, async (c) => {
          const [a, b] = await Promise.all([dryRunCreate(kruise, c.sidecarSet), dryRunCreate(ours, c.sidecarSet)]);
          results.push({ ...c, openkruise: a, ours: b, why: verdictMismatch({ openkruise: a, ours: b }, c.breaker.differs) });
        }),
      );
      const byBreaker = new Map<string, { admitted: number; refused: number; listed: number; mismatched: number }>();
      for (const r of results) {
        const row = byBreaker.get(r.breaker.id) ?? { admitted: 0, refused: 0, listed: 0, mismatched: 0 };
        if (r.why) row.mismatched++;
        else if (r.breaker.differs) row.listed++;
        else if (r.openkruise.ok) row.admitted++;
        else row.refused++;
        byBreaker.set(r.breaker.id, row);
      }
      const mismatches = results.filter((r) => r.why);
      const sum = (k: 'admitted' | 'refused' | 'listed' | 'mismatched') => [...byBreaker.values()].reduce((n, row) => n + row[k], 0);
      const text = [
        `broken, seed ${seed}: ${results.length} cases: ${sum('admitted')} admitted by both, ${sum('refused')} refused by both, ${sum('listed')} as a listed difference, ${sum('mismatched')} mismatches, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ...[...byBreaker].map(([id, row]) => `  ${id}: ${row.admitted} admitted, ${row.refused} refused, ${row.listed} listed difference, ${row.mismatched} mismatched`),
        ...mismatches.slice(0, 15).map((m) => `  MISMATCH ${m.breaker.id} (${m.breaker.name}; replay with DIFF_SEED=${seed}): ${m.why}\n    ${JSON.stringify(m.sidecarSet).slice(0, 1500)}`),
      ].join('\n');
      console.log(text);
      expect(results.length).toBe(BREAKERS.length * PER_BREAKER);
      expect(sum('refused')).toBeGreaterThan(0);
      expect(mismatches.map((m) => `${m.breaker.id}: ${m.why}`), text).toEqual([]);
    }, 600_000);

    it('updates OpenKruise refuses (immutable fields, conflicts with another SidecarSet) are refused by both', async () => {
      const tally = newTally();
      const refusedChanges = UPDATE_CHANGES.filter((c) => c.refused);
      const cases = refusedChanges.flatMap((change, k) =>
        Array.from({ length: 4 }, (_, j) => {
          const i = k * 4 + j;
          const [s] = fc.sample(sidecarSetArb(`refused-${seed % 1000}-${i}`, `m${i}`), { seed: seed + 7 * i, numRuns: 1 });
          return { s: s!, change, i };
        }),
      );
      await withConflictOther(`updates-${seed}`, () => inParallel(cases, async ({ s, change, i }) => void (await runValid(`${s.metadata!.name!} (${change.id})`, s, [change], `m${i}`, tally))));
      console.log(report(`refused updates, seed ${seed}`, tally, seed));
      expect(tally.updates).toBe(cases.length);
      expect(tally.mismatches.map((m) => `${m.label}: ${m.differences.join('\n')}`), report('refused updates', tally, seed)).toEqual([]);
    }, 600_000);
  });

  it('seeds 000, 002 and 004: every SidecarSet admitted or refused by both, and stored equal', async () => {
    const tally = newTally();
    const worlds = seedWorlds();
    for (const [i, world] of worlds.entries()) {
      for (const s of world.sidecarSets) await runValid(`${world.label} (${s.metadata?.name})`, s, UPDATE_CHANGES.filter((c) => c.id === 'image'), `s${i}`, tally);
    }
    console.log(report('seeds 000, 002, 004', tally));
    const oneSided = tally.refused.filter((r) => r.side !== 'both');
    expect(tally.compared).toBeGreaterThan(0);
    expect(oneSided, report('seeds', tally)).toEqual([]);
    expect(tally.mismatches.map((m) => `${m.label}: ${m.differences.join('\n')}`), report('seeds', tally)).toEqual([]);
  }, 600_000);

  it.each(SIDECARSET_REGRESSION_CASES)('regression: $name', async (c) => {
    if (c.kind === 'stored') {
      const tally = newTally();
      const stored = await runValid(c.id, c.sidecarSet, c.changes ?? [], c.id, tally);
      expect(tally.refused).toEqual([]);
      expect(c.check(stored!.theirs, 'openkruise')).toEqual([]);
      expect(c.check(stored!.mine, 'ours')).toEqual([]);
      expect(tally.mismatches.map((m) => m.differences.join('\n')), report(c.name, tally)).toEqual([]);
    } else {
      const [a, b] = await Promise.all([dryRunCreate(kruise, c.sidecarSet), dryRunCreate(ours, c.sidecarSet)]);
      expect(verdictMismatch({ openkruise: a, ours: b }, c.differs)).toBe('');
      expect(a.ok, a.ok ? 'admitted' : a.message).toBe(c.admitted);
    }
  });
});
