import fc from 'fast-check';
import type { LabelSelector, LabelSelectorRequirement, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { labelSelectorMatches } from '../labels/labelSelector.js';
import { NAMESPACE_NAME_LABEL, sidecarSetsCanSelectSamePod } from './sidecarSetScope.js';

const set = (spec: Partial<SidecarSet['spec']>): SidecarSet => ({ metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec } });

describe('sidecarSetsCanSelectSamePod', () => {
  it.each<[string, SidecarSet, SidecarSet, boolean]>([
    ['same selector, cluster-wide', set({}), set({}), true],
    ['a SidecarSet without a selector selects nothing', set({ selector: undefined }), set({}), false],
    ['different namespaces', set({ namespace: 'a' }), set({ namespace: 'b' }), false],
    ['a namespace against a namespaceSelector naming other namespaces', set({ namespace: 'a' }), set({ namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['a'] }] } }), false],
    ['a namespace against a namespaceSelector on other labels', set({ namespace: 'a' }), set({ namespaceSelector: { matchLabels: { team: 't' } } }), true],
    ['exclusive namespaceSelectors', set({ namespaceSelector: { matchLabels: { env: 'prod' } } }), set({ namespaceSelector: { matchLabels: { env: 'dev' } } }), false],
    ['exclusive pod selectors in one namespace', set({ namespace: 'a' }), set({ namespace: 'a', selector: { matchLabels: { app: 'b' } } }), false],
  ])('%s: %s', (_name, a, b, expected) => {
    expect(sidecarSetsCanSelectSamePod(a, b)).toBe(expected);
    expect(sidecarSetsCanSelectSamePod(b, a)).toBe(expected);
  });
});

// A pod in a namespace, and the SidecarSet scope rule the injector applies to it.
interface PlacedPod {
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
}
function selects(s: SidecarSet, pod: PlacedPod): boolean {
  if (s.spec.namespace && s.spec.namespace !== pod.namespace) return false;
  const nsLabels = { ...pod.namespaceLabels, [NAMESPACE_NAME_LABEL]: pod.namespace };
  if (s.spec.namespaceSelector && !labelSelectorMatches(s.spec.namespaceSelector, nsLabels)) return false;
  return labelSelectorMatches(s.spec.selector, pod.labels);
}

const key = fc.constantFrom('a', 'b', NAMESPACE_NAME_LABEL);
const value = fc.constantFrom('x', 'y', 'ns-1', 'ns-2');
const requirement: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(value, { minLength: 1, maxLength: 2 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(key, value, { maxKeys: 2 }), matchExpressions: fc.array(requirement, { maxLength: 2 }) },
  { requiredKeys: [] },
);
const sidecarSet: fc.Arbitrary<SidecarSet> = fc
  .record({ selector, namespace: fc.option(fc.constantFrom('ns-1', 'ns-2'), { nil: undefined }), namespaceSelector: fc.option(selector, { nil: undefined }) })
  .map((spec) => ({ metadata: { name: 's' }, spec }));
const labels = fc.dictionary(fc.constantFrom('a', 'b'), value, { maxKeys: 2 });
const pod: fc.Arbitrary<PlacedPod> = fc.record({ namespace: fc.constantFrom('ns-1', 'ns-2', 'ns-3'), namespaceLabels: labels, labels });

describe('sidecarSetsCanSelectSamePod property', () => {
  it('when some pod is selected by both SidecarSets, it says they can overlap', () => {
    fc.assert(
      fc.property(sidecarSet, sidecarSet, pod, (a, b, p) => {
        if (selects(a, p) && selects(b, p)) expect(sidecarSetsCanSelectSamePod(a, b)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
