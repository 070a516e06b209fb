import { describe, expect, it } from 'vitest';
import { parseSeed, seededRandom } from './seededRandom.js';

describe('seededRandom', () => {
  it('gives the same numbers in [0, 1) for the same seed, and others for another seed', () => {
    const take = (seed: number) => Array.from({ length: 1000 }, seededRandom(seed));
    const a = take(42);
    expect(take(42)).toEqual(a);
    expect(take(43)).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(a.filter((x) => x <= 0.3).length).toBeGreaterThan(250);
    expect(a.filter((x) => x <= 0.3).length).toBeLessThan(350);
  });

  it.each([
    ['0', 0],
    ['4294967295', 4294967295],
    ['4294967296', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['', undefined],
    ['12345678901', undefined],
  ])('parseSeed(%j) is %j', (text, seed) => {
    expect(parseSeed(text)).toBe(seed);
  });
});
