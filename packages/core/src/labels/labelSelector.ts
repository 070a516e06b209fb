// metav1.LabelSelector semantics, as the API server applies them: matchLabels and
// matchExpressions are ANDed; an empty selector matches everything; a missing one matches nothing.
import type { LabelSelector, LabelSelectorRequirement } from '@sidecarset/api';

export type Labels = Readonly<Record<string, string>>;

/** True when `labels` satisfy `selector`. `undefined` selects nothing, `{}` selects everything. */
export function labelSelectorMatches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  // Stops at the first label that differs, without listing them all first: every pod admission
  // matches every cached selector, and a selector may be large.
  const matchLabels = selector.matchLabels ?? {};
  for (const key in matchLabels) {
    if (Object.hasOwn(matchLabels, key) && have[key] !== matchLabels[key]) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, have));
}

/** Value lists longer than this are looked up in a Set, built once per list (cached selectors are reused). */
const LIST_SCAN_MAX = 16;
const valueSets = new WeakMap<readonly string[], Set<string>>();

function listHas(values: readonly string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  if (values.length <= LIST_SCAN_MAX) return values.includes(value);
  let set = valueSets.get(values);
  if (!set) valueSets.set(values, (set = new Set(values)));
  return set.has(value);
}

export function requirementMatches(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return present && listHas(values, value);
    case 'NotIn':
      return !present || !listHas(values, value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false; // validation rejects unknown operators; at match time they select nothing
  }
}

/** True when the selector has no terms at all (selects every object). */
export const isEmptySelector = (selector: LabelSelector): boolean =>
  Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
