// Rollout parity (issue 9): the same pods and the same SidecarSet, rolled out to a new sidecar image
// under OpenKruise v1.9.0's SidecarSet controller on one kwok control plane and under ours on another
// (the two at the same time, one SidecarSet each), for generated update strategies (maxUnavailable,
// partition as an integer and a percentage, a canary selector, scatter, weight and order priority,
// starting paused; some pods whose app never becomes ready). Compared: the number of pods updated in
// each round, the status at the end (matchedPods, updatedPods, readyPods, updatedReadyPods), and, where
// OpenKruise's choice of pods is deterministic (cases.ts, orderClasses), the classes of the pods each
// round updates. Rounds are released one at a time (rolloutParity/rolloutRounds.ts).
//
// fast-check with a fixed seed; PARITY_SEED=<integer> or PARITY_SEED=random adds a run with that seed
// (printed on failure). PARITY_CASES (default 8) and PARITY_PODS (default 10-12 pods per case) change
// the size, PARITY_CONCURRENCY (default 3) how many cases roll out at once.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderClasses, parityCaseArb, type ParityCase } from './rolloutParity/cases.js';
import { rollOut, setUp, tearDown, type RolloutRecord } from './rolloutParity/rolloutRounds.js';
import { startOpenKruiseRolloutSide, startOurRolloutSide, type RolloutSide } from './rolloutParity/sides.js';

const FIXED_SEED = 20_261_209;
const CASES = Number(process.env.PARITY_CASES ?? 8);
const CONCURRENCY = Number(process.env.PARITY_CONCURRENCY ?? 3);
const [MIN_PODS, MAX_PODS] = (process.env.PARITY_PODS ?? '10-12').split('-').map(Number) as [number, number?];

function extraSeed(): number | undefined {
  const value = process.env.PARITY_SEED;
  if (!value) return undefined;
  if (value === 'random') return (Math.random() * 2 ** 31) | 0;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`PARITY_SEED must be an integer or "random", got ${value}`);
  return seed;
}
const extra = extraSeed();
const SEEDS = [FIXED_SEED, ...(extra !== undefined && extra !== FIXED_SEED ? [extra] : [])];

let kruise: RolloutSide;
let ours: RolloutSide;

beforeAll(async () => {
  [kruise, ours] = await Promise.all([startOpenKruiseRolloutSide(), startOurRolloutSide()]);
}, 300_000);

afterAll(async () => {
  await Promise.all([kruise?.plane.stop(), ours?.plane.stop()]);
});

interface Outcome {
  c: ParityCase;
  theirs: RolloutRecord;
  mine: RolloutRecord;
  differences: string[];
}

function compare(c: ParityCase, theirs: RolloutRecord, mine: RolloutRecord): string[] {
  const differences: string[] = [];
  const sizes = (r: RolloutRecord) => r.rounds.map((round) => round.length);
  if (theirs.updatedWhilePaused !== mine.updatedWhilePaused) differences.push(`updated while paused: OpenKruise ${theirs.updatedWhilePaused}, ours ${mine.updatedWhilePaused}`);
  if (JSON.stringify(sizes(theirs)) !== JSON.stringify(sizes(mine))) differences.push(`pods updated per round: OpenKruise ${JSON.stringify(sizes(theirs))}, ours ${JSON.stringify(sizes(mine))}`);
  if (JSON.stringify(theirs.status) !== JSON.stringify(mine.status)) differences.push(`final status: OpenKruise ${JSON.stringify(theirs.status)}, ours ${JSON.stringify(mine.status)}`);
  const order = orderClasses(c);
  if (order) {
    const byName = new Map(c.pods.map((p) => [p.name, p]));
    const classes = (round: string[]) => round.map((name) => order.classOf(byName.get(name)!)).sort();
    // Round by round while OpenKruise's order decides the classes; after the first difference the two
    // rollouts no longer start from the same pods.
    const updated = new Set<string>();
    for (const [i, round] of theirs.rounds.entries()) {
      if (!order.decided(updated)) break;
      const [a, b] = [classes(round), classes(mine.rounds[i] ?? [])];
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        differences.push(`round ${i + 1}, pods by the class OpenKruise orders them by: OpenKruise ${JSON.stringify(a)}, ours ${JSON.stringify(b)}`);
        break;
      }
      round.forEach((name) => updated.add(name));
    }
  }
  return differences;
}

function report(seed: number, outcomes: Outcome[]): string {
  const lines = [`seed ${seed}: ${outcomes.length} rollouts, ${outcomes.filter((o) => o.differences.length).length} differ`];
  for (const { c, theirs, mine, differences } of outcomes) {
    const order = orderClasses(c) ? 'order compared where OpenKruise decides it' : 'order not deterministic in OpenKruise: counts only';
    lines.push(`  case ${c.id} (${c.pods.length} pods, ${c.pods.filter((p) => p.neverReady).length} never ready; ${order}): ${JSON.stringify(c.strategy)}`);
    lines.push(`    OpenKruise rounds ${JSON.stringify(theirs.rounds.map((r) => r.length))} status ${JSON.stringify(theirs.status)}${theirs.updatedWhilePaused !== undefined ? ` (while paused: ${theirs.updatedWhilePaused})` : ''}`);
    lines.push(`    ours       rounds ${JSON.stringify(mine.rounds.map((r) => r.length))} status ${JSON.stringify(mine.status)}${mine.updatedWhilePaused !== undefined ? ` (while paused: ${mine.updatedWhilePaused})` : ''}`);
    for (const d of differences) {
      lines.push(`    DIFFERENT (replay with PARITY_SEED=${seed}): ${d}`);
      lines.push(`      pods: ${JSON.stringify(c.pods)}`);
      lines.push(`      OpenKruise's rounds: ${JSON.stringify(theirs.rounds)}; ours: ${JSON.stringify(mine.rounds)}`);
    }
  }
  return lines.join('\n');
}

describe('the same rollout under OpenKruise v1.9.0 and under our controller', () => {
  describe.each(SEEDS)('generated strategies, seed %i', (seed) => {
    it(`${CASES} strategies over ${MIN_PODS}-${MAX_PODS ?? MIN_PODS} pods each: the same pods per round and the same status`, async () => {
      const cases = fc.sample(fc.integer({ min: 0, max: 2 ** 30 }), { seed, numRuns: CASES }).map((s, i) => fc.sample(parityCaseArb(`${seed % 100_000}-${i}`, i, { min: MIN_PODS, max: MAX_PODS ?? MIN_PODS }), { seed: s, numRuns: 1 })[0]!);
      const outcomes: Outcome[] = [];
      // A few cases at a time (each its own SidecarSet and namespace): the rounds are released by the
      // test, so a slower controller changes how long a round takes, not what it updates.
      let next = 0;
      const worker = async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          await Promise.all([setUp(kruise, c), setUp(ours, c)]);
          const [theirs, mine] = await Promise.all([rollOut(kruise, c, c.pods.length + 2), rollOut(ours, c, c.pods.length + 2)]);
          outcomes.push({ c, theirs, mine, differences: compare(c, theirs, mine) });
          await Promise.all([tearDown(kruise, c), tearDown(ours, c)]);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      outcomes.sort((a, b) => cases.indexOf(a.c) - cases.indexOf(b.c));
      console.log(report(seed, outcomes));
      // Not a test that cannot fail for want of rollouts: most cases must update something.
      expect(outcomes.filter((o) => o.theirs.status.updatedPods > 0).length).toBeGreaterThan(CASES / 2);
      expect(outcomes.flatMap((o) => o.differences.map((d) => `case ${o.c.id}: ${d}`)), report(seed, outcomes)).toEqual([]);
    }, 1_800_000);
  });
});
