import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantities, parseQuantity } from './quantity.js';

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
