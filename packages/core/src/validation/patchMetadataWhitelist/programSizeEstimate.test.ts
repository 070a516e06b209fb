import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { estimateProgramSize } from './programSizeEstimate.js';

const real = (source: string) => RE2JS.compile(source).programSize();

/** Expressions from a small RE2 grammar: literals, escapes, classes, groups, alternation, repetition. */
const expressionArb: fc.Arbitrary<string> = fc.letrec<{ expr: string; seq: string; item: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'group' },
    fc.constantFrom('a', 'b', 'x', '.', '\\.', '\\d', '\\pL', '\\x{41}', '[a-z]', '[^/]', '[[:alpha:]_]', '[\\]a]', '^', '$', '\\z', '\\Qa.b\\E'),
    { arbitrary: tie('expr').map((e) => `(${e})`), weight: 1 },
    { arbitrary: tie('expr').map((e) => `(?:${e})`), weight: 1 },
    { arbitrary: tie('expr').map((e) => `(?i:${e})`), weight: 1 },
    { arbitrary: tie('expr').map((e) => `(?P<g>${e})`), weight: 1 },
  ),
  item: fc.tuple(tie('atom'), fc.constantFrom('', '', '', '*', '+', '?', '*?', '{2}', '{3,}', '{1,3}', '{0,2}', '{4,4}')).map(([a, r]) => (/^[\^$]$|\\z/.test(a) && r ? a : a + r)),
  seq: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
  expr: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((alternatives) => alternatives.join('|')),
})).expr;
/** Small enough to compile quickly (nested repetitions multiply): the estimate is checked against the compiled size. */
const smallExpressionArb = expressionArb.filter((source) => source.length <= 150 && estimateProgramSize(source) <= 1500);

const compiles = (source: string) => {
  try {
    RE2JS.compile(source);
    return true;
  } catch {
    return false;
  }
};

describe('estimateProgramSize', () => {
  it.each([
    { source: '^mesh\\.io/.*', real: 13 },
    { source: 'a{1000}', real: 1002 },
    { source: '[a-z]{1000}x', real: 1003 },
    { source: '(?:a{10}b{10}){30}', real: 602 },
    { source: '[[:alpha:]_]{1,63}', real: 127 },
  ])('$source: about $real instructions', ({ source, real: size }) => {
    expect(real(source)).toBe(size); // the table is re2js's count
    const estimate = estimateProgramSize(source);
    expect(estimate).toBeGreaterThanOrEqual(size / 2);
    expect(estimate).toBeLessThanOrEqual(size * 2 + 8);
  });

  it('repetitions multiply what they repeat, nested ones again', () => {
    expect(estimateProgramSize('[a-z]{1000}'.repeat(93))).toBeGreaterThan(90_000);
    expect(estimateProgramSize(`(?:${'[a-z]'.repeat(300)}){1000}`)).toBeGreaterThan(290_000);
  });

  it('stays within a factor of the compiled size for generated expressions', () => {
    fc.assert(
      fc.property(smallExpressionArb.filter(compiles), (source) => {
        const size = real(source);
        const estimate = estimateProgramSize(source);
        expect(estimate, source).toBeGreaterThanOrEqual(size / 3 - 4);
        expect(estimate, source).toBeLessThanOrEqual(size * 3 + 8);
      }),
      { numRuns: 150 },
    );
  }, 30_000);
});
