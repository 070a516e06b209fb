// `inject --seed N`: numbers in [0, 1) for injectionStrategy.revision.policy Partial draws, the same
// for the same seed (mulberry32, a 32-bit state), so that a preview with a percentage partition can be
// reproduced. Without a seed the CLI draws with Math.random, as the webhook does.

/** A seed: an integer in [0, 2^32). */
export function parseSeed(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const seed = Number(text);
  return seed <= 0xffffffff ? seed : undefined;
}

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
