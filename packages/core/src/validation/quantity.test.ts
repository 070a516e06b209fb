import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantities, parseQuantity, readQuantity } from './quantity.js';

/** CPU time of this process in ms: a stall guard that the machine's other load does not move (speed is bench/'s job). */
const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

describe('canonicalQuantity (what the API server stores)', () => {
  it.each<[unknown, string]>([
    ['500m', '500m'],
    ['0.5', '500m'],
    [0.5, '500m'],
    [1, '1'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['2000', '2k'],
    ['30Mi', '30Mi'],
    ['512Mi', '512Mi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['100Ki', '100Ki'],
    ['1Ki', '1Ki'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1E', '1E'],
    ['0', '0'],
    ['0Mi', '0'],
    ['10m', '10m'],
    ['1G', '1G'],
    ['1.5Gi', '1536Mi'],
  ])('%s is stored as %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it('rounds up to milli when defaulting resources', () => {
    expect(canonicalQuantity('0.0001', true)).toBe('1m');
    expect(canonicalQuantity('100u', true)).toBe('1m');
    expect(canonicalQuantity('100u')).toBe('100u');
  });

  it.each(['', 'abc', '1 Gi', '1Gb', '--1', '1.2.3', 'Mi'])('%j is not a quantity', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it('compares across formats exactly', () => {
    expect(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1073741824')!)).toBe(0);
    expect(compareQuantities(parseQuantity('1G')!, parseQuantity('1Gi')!)).toBe(-1);
    expect(compareQuantities(parseQuantity('100m')!, parseQuantity('0.1')!)).toBe(0);
    expect(compareQuantities(parseQuantity('2')!, parseQuantity('1500m')!)).toBe(1);
  });
});

describe('bounded work on any quantity text', () => {
  const forty = '9'.repeat(40_000);
  const timed = <T>(run: () => T): { result: T; ms: number } => {
    const started = cpuMs();
    const result = run();
    return { result, ms: cpuMs() - started };
  };

  it.each<[string, unknown, RegExp]>([
    ['a huge exponent (matches the CRD pattern)', '1e2000000000', /at most 8Ei/],
    ['a huge exponent with a fraction', '1.5e999999999', /at most 8Ei/],
    ['a huge negative quantity', '-1e2000000000', /at most 8Ei/],
    ['forty thousand digits', forty, /at most 64 characters/],
    ['forty thousand digits with a suffix', `${forty}Gi`, /at most 64 characters/],
    ['a JSON number too large', 1e300, /at most 8Ei/],
    ['just above 2^63', '9223372036854775809', /at most 8Ei/],
    ['just above 2^63 by a fraction', '9223372036854775808.5', /at most 8Ei/],
    ['more than 8Ei in binary units', '8.1Ei', /at most 8Ei/],
    ['10 exa', '10E', /at most 8Ei/],
  ])('%s is refused at once with a reason', (_name, input, reason) => {
    const { result, ms } = timed(() => readQuantity(input));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    expect(parseQuantity(input)).toBeUndefined();
    expect(canonicalQuantity(input, true)).toBeUndefined();
    expect(ms).toBeLessThan(1000); // the BigInt expansion this replaces took 3 to 37 s
  });

  it.each<[string, unknown, string]>([
    ['exactly 8Ei', '8Ei', '8Ei'],
    ['exactly 2^63 in decimal', '9223372036854775808', '9223372036854775808'],
    ['1e18', '1e18', '1e18'],
    ['a tiny exponent rounds up to one nano, as Kubernetes does', '1e-2000000000', '1e-9'],
    ['a tiny negative exponent rounds away from zero', '-1e-2000000000', '-1e-9'],
    ['zero with a huge exponent is zero', '0e2000000000', '0'],
    ['64 characters are read', `0.${'0'.repeat(61)}1`, '1n'],
  ])('%s is read', (_name, input, expected) => {
    const { result, ms } = timed(() => canonicalQuantity(input));
    expect(result).toBe(expected);
    expect(ms).toBeLessThan(1000);
  });

  it('compares quantities whose exponents are far apart without expanding them', () => {
    const huge = { mantissa: 1n, exponent: 2_000_000_000, format: 'DecimalExponent' as const };
    const tiny = { mantissa: 1n, exponent: -2_000_000_000, format: 'DecimalExponent' as const };
    const { result, ms } = timed(() => [compareQuantities(huge, tiny), compareQuantities(tiny, huge), compareQuantities({ ...huge, mantissa: -1n }, tiny)]);
    expect(result).toEqual([1, -1, -1]);
    expect(ms).toBeLessThan(1000);
  });
});
