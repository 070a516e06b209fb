import fc from 'fast-check';
import type { LabelSelector, LabelSelectorRequirement } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { labelSelectorMatches } from './labelSelector.js';
import { selectorsCanAllMatch, selectorsCanOverlap } from './selectorOverlap.js';

const inn = (key: string, ...values: string[]): LabelSelectorRequirement => ({ key, operator: 'In', values });
const notIn = (key: string, ...values: string[]): LabelSelectorRequirement => ({ key, operator: 'NotIn', values });
const exists = (key: string): LabelSelectorRequirement => ({ key, operator: 'Exists' });
const absent = (key: string): LabelSelectorRequirement => ({ key, operator: 'DoesNotExist' });

describe('selectorsCanOverlap', () => {
  it.each<[string, LabelSelector, LabelSelector, boolean]>([
    ['the same matchLabels overlap', { matchLabels: { app: 'a' } }, { matchLabels: { app: 'a' } }, true],
    ['different keys overlap (a pod can carry both)', { matchLabels: { app: 'a' } }, { matchLabels: { tier: 'web' } }, true],
    ['app=a and app=b never select the same pod', { matchLabels: { app: 'a' } }, { matchLabels: { app: 'b' } }, false],
    ['app In [a] and app In [b] never select the same pod', { matchExpressions: [inn('app', 'a')] }, { matchExpressions: [inn('app', 'b')] }, false],
    ['app In [a,b] and app In [b,c] share b', { matchExpressions: [inn('app', 'a', 'b')] }, { matchExpressions: [inn('app', 'b', 'c')] }, true],
    ['app=a and app DoesNotExist never overlap', { matchLabels: { app: 'a' } }, { matchExpressions: [absent('app')] }, false],
    ['app Exists and app DoesNotExist never overlap', { matchExpressions: [exists('app')] }, { matchExpressions: [absent('app')] }, false],
    ['app NotIn [a] and app DoesNotExist overlap on pods without app', { matchExpressions: [notIn('app', 'a')] }, { matchExpressions: [absent('app')] }, true],
    ['app In [a,b] and app NotIn [a,b] never overlap', { matchExpressions: [inn('app', 'a', 'b')] }, { matchExpressions: [notIn('app', 'a', 'b')] }, false],
    ['app In [a,b] and app NotIn [a] share b', { matchExpressions: [inn('app', 'a', 'b')] }, { matchExpressions: [notIn('app', 'a')] }, true],
    ['app Exists and app NotIn [a] overlap on any other value', { matchExpressions: [exists('app')] }, { matchExpressions: [notIn('app', 'a')] }, true],
    [
      'one differing key among equal ones separates them',
      { matchLabels: { a: 'b', c: 'd', e: 'f' } },
      { matchLabels: { a: 'x', c: 'd', e: 'f' } },
      false,
    ],
    ['a selector that contradicts itself overlaps nothing', { matchLabels: { app: 'a' }, matchExpressions: [notIn('app', 'a')] }, {}, false],
    ['the empty selector overlaps everything satisfiable', {}, { matchLabels: { app: 'a' } }, true],
    ['In with no values matches nothing', { matchExpressions: [inn('app')] }, {}, false],
  ])('%s', (_name, a, b, expected) => {
    expect(selectorsCanOverlap(a, b)).toBe(expected);
    expect(selectorsCanOverlap(b, a)).toBe(expected);
  });

  it('combines more than two selectors', () => {
    expect(selectorsCanAllMatch([{ matchExpressions: [inn('app', 'a', 'b')] }, { matchExpressions: [inn('app', 'b', 'c')] }, { matchLabels: { app: 'c' } }])).toBe(false);
    expect(selectorsCanAllMatch([])).toBe(true);
  });
});

// Property tests over a small alphabet, so that generated labels often hit the generated selectors.
const KEYS = ['a', 'b', 'c'] as const;
const VALUES = ['x', 'y', 'z'] as const;
const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
const requirement: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(value, { minLength: 0, maxLength: 3 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(key, value, { maxKeys: 2 }), matchExpressions: fc.array(requirement, { maxLength: 3 }) },
  { requiredKeys: [] },
);
const labels = fc.dictionary(key, value, { maxKeys: 3 });

// Every label set that matters: each key absent, or one of the values, or a value no selector names.
function* everyLabelSet(): Generator<Record<string, string>> {
  const choices = [undefined, ...VALUES, 'fresh'];
  for (const a of choices) for (const b of choices) for (const c of choices) {
    const out: Record<string, string> = {};
    if (a !== undefined) out.a = a;
    if (b !== undefined) out.b = b;
    if (c !== undefined) out.c = c;
    yield out;
  }
}

describe('selectorsCanOverlap properties', () => {
  it('when a label set matches both selectors, they overlap (so "false" is never wrong)', () => {
    fc.assert(
      fc.property(selector, selector, labels, (a, b, l) => {
        if (labelSelectorMatches(a, l) && labelSelectorMatches(b, l)) expect(selectorsCanOverlap(a, b)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('when it says false, no label set matches both; when it says true, some label set does (precise)', () => {
    fc.assert(
      fc.property(selector, selector, (a, b) => {
        let witness = false;
        for (const l of everyLabelSet()) if (labelSelectorMatches(a, l) && labelSelectorMatches(b, l)) witness = true;
        expect(selectorsCanOverlap(a, b)).toBe(witness);
      }),
      { numRuns: 2000 },
    );
  });
});
