// metav1.LabelSelector semantics, as the API server applies them: matchLabels and
// matchExpressions are ANDed; an empty selector matches everything; a missing one matches nothing.
import type { LabelSelector, LabelSelectorRequirement } from '@sidecarset/api';

export type Labels = Readonly<Record<string, string>>;

/** True when `labels` satisfy `selector`. `undefined` selects nothing, `{}` selects everything. */
export function labelSelectorMatches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, have));
}

export function requirementMatches(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return present && values.includes(value!);
    case 'NotIn':
      return !present || !values.includes(value!);
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
