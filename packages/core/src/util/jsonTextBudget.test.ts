// The budget scan: never counts fewer values or levels than JSON.parse would build, refuses what is
// over budget, and costs time linear in the text for any text (a few milliseconds for 7 MiB).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJsonTextBudget, parseJsonWithinBudget } from './jsonTextBudget.js';

/** CPU time of this process in ms: a stall guard that the machine's other load does not move (speed is bench/'s job). */
const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

const roomy = { maxValues: 1_000_000, maxDepth: 1_000 };

/** Values JSON.parse builds (containers, elements and members) and how deep they nest. */
function measure(value: unknown): { values: number; depth: number } {
  if (typeof value !== 'object' || value === null) return { values: 1, depth: 0 };
  const children = Array.isArray(value) ? value : Object.values(value);
  let values = 1;
  let depth = 0;
  for (const child of children) {
    const inner = measure(child);
    values += inner.values;
    depth = Math.max(depth, inner.depth);
  }
  return { values, depth: depth + 1 };
}

describe('checkJsonTextBudget', () => {
  it.each<[string, string, number, number]>([
    ['a number', '1', 1, 0],
    ['an array of three', '[1,2,3]', 4, 1],
    ['an object of two members', '{"a":1,"b":[true]}', 4, 2],
    ['strings holding structure', '["{[,:]}", "\\"[", "\\\\"]', 4, 1],
    ['whitespace and escapes', ' { "k\\"" : [ 1 , "\\u0022" ] } ', 4, 2],
  ])('%s: counts %s values, %s deep', (_name, text, values, depth) => {
    expect(checkJsonTextBudget(text, roomy)).toEqual({ ok: true, values, depth });
  });

  it('never counts fewer values or levels than JSON.parse builds (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 1 : undefined);
        const check = checkJsonTextBudget(text, roomy);
        const actual = measure(JSON.parse(text));
        expect(check.ok).toBe(true);
        if (check.ok) {
          expect(check.values).toBeGreaterThanOrEqual(actual.values);
          expect(check.depth).toBe(actual.depth);
        }
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it.each([
    ['more values than allowed', `[${'0,'.repeat(10)}0]`, /more than 10 values/],
    ['deeper than allowed', '[[[[[[]]]]]]', /nests deeper than 5 levels/],
    ['more escaped string than allowed', `["${'\\n'.repeat(30)}"]`, /more than 50 characters of strings with escapes/],
    ['escaped strings adding up past the bound', `["${'a\\"'.repeat(10)}", "${'\\\\'.repeat(10)}"]`, /more than 50 characters of strings with escapes/],
  ])('refuses %s', (_name, text, reason) => {
    expect(checkJsonTextBudget(text, { maxValues: 10, maxDepth: 5, maxEscapedLength: 50 })).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('counts only strings that hold an escape against the escape bound', () => {
    const text = JSON.stringify(['x'.repeat(1000), 'a\nb', 'y'.repeat(1000)]);
    expect(checkJsonTextBudget(text, { maxValues: 10, maxDepth: 5, maxEscapedLength: 10 })).toMatchObject({ ok: true });
  });

  const L = 7 * 1024 * 1024;
  it.each<[string, string]>([
    ['7 MiB of whitespace', `{"a":${' '.repeat(L)}1}`],
    ['a 7 MiB string', `["${'x'.repeat(L)}"]`],
    ['a 7 MiB string of escaped quotes', `["${'\\"'.repeat(L / 2)}"]`],
    ['a 7 MiB string of escaped backslashes', `["${'\\\\'.repeat(L / 2)}"]`],
    ['7 MiB of digits', `[${'1'.repeat(L)}]`],
    ['7 MiB of empty objects', `[${'{},'.repeat(L / 3)}{}]`],
    ['7 MiB of empty strings', `[${'"",'.repeat(L / 3)}""]`],
    ['7 MiB of closing brackets', ']'.repeat(L)],
    ['7 MiB of keys without values', `{${'"a":'.repeat(L / 4)}1}`],
    ['7 MiB of strings in a row', `[${'""'.repeat(L / 2)}]`],
    ['7 MiB of opening brackets', '['.repeat(L)],
    ['50,000 short strings and one backslash at the end', `[${'"a",'.repeat(50_000)}"\\\\"]`],
  ])('scans %s at once', (_name, text) => {
    const started = cpuMs();
    checkJsonTextBudget(text, { maxValues: 60_000, maxDepth: 64, maxEscapedLength: 1024 * 1024 });
    expect(cpuMs() - started).toBeLessThan(1000);
  });
});

describe('parseJsonWithinBudget', () => {
  const budget = { maxLength: 100, maxValues: 10, maxDepth: 3 };
  it.each<[string, string, unknown]>([
    ['JSON within budget', '{"a":[1,2]}', { ok: true, value: { a: [1, 2] } }],
    ['text too long', `"${'x'.repeat(200)}"`, { ok: false, reason: 'is longer than 100 characters' }],
    ['too many values', '[1,2,3,4,5,6,7,8,9,10,11]', { ok: false, reason: 'has more than 10 values' }],
    ['text that is not JSON', '{a:1}', { ok: false, reason: expect.stringMatching(/^is not JSON: /) }],
  ])('%s', (_name, text, expected) => {
    expect(parseJsonWithinBudget(text, budget)).toEqual(expected);
  });
});
