// The seeds a differential suite runs with: its fixed seed, plus DIFF_SEED=<integer> (or
// DIFF_SEED=random, a fresh one) when set, which the suite prints on failure so the run can be replayed.

/** The extra seed DIFF_SEED asks for, if any. */
export function extraSeed(value = process.env.DIFF_SEED): number | undefined {
  if (!value) return undefined;
  if (value === 'random') return (Math.random() * 2 ** 31) | 0;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`DIFF_SEED must be an integer or "random", got ${value}`);
  return seed;
}

/** `fixed`, then the DIFF_SEED one when it is another. */
export function diffSeeds(fixed: number): number[] {
  const extra = extraSeed();
  return [fixed, ...(extra !== undefined && extra !== fixed ? [extra] : [])];
}
