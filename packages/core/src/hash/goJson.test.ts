// goJsonStringify writes what Go's json.Marshal writes for a map[string]interface{}: keys sorted,
// no whitespace, <, >, &, U+2028 and U+2029 escaped; whichever of its two ways it takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goJsonStringify } from './goJson.js';

/** The plain definition: every object's keys sorted, written one by one. */
function reference(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${reference(k)}:${reference(record[k])}`).join(',')}}`;
}

describe('goJsonStringify', () => {
  it.each<[string, unknown, string]>([
    ['keys sorted, undefined left out', { b: 1, a: [true, null], c: undefined }, '{"a":[true,null],"b":1}'],
    ['integer-like keys sorted as strings, as Go sorts them', { 10: 'a', 9: 'b', x: 'c' }, '{"10":"a","9":"b","x":"c"}'],
    ['HTML characters and line separators escaped', { '<k>': 'a&b\u2028' }, '{"\\u003ck\\u003e":"a\\u0026b\\u2028"}'],
    ['a "__proto__" key kept as a member', JSON.parse('{"__proto__":{"z":1},"a":2}'), '{"__proto__":{"z":1},"a":2}'],
    ['undefined at the top', undefined, 'null'],
  ])('%s', (_name, value, expected) => {
    expect(goJsonStringify(value)).toBe(expected);
  });

  it('writes what the plain definition writes, for any JSON (property)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '9', '01', '4294967295', '<', '__proto__'));
    const json = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 5 })),
    })).v;
    fc.assert(
      fc.property(json, (value) => {
        expect(goJsonStringify(value)).toBe(reference(value));
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});
