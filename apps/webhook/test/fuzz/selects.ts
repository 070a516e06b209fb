// The suite's own answer to "does this SidecarSet select this pod", written from the Kubernetes label
// selector rules and the SidecarSet fields (spec.namespace, spec.namespaceSelector, spec.selector),
// independently of the core it checks. Only for the SidecarSets the generators make: a non-empty
// selector of matchLabels and In/NotIn/Exists/DoesNotExist expressions.
import type { LabelSelector, SidecarSet } from '@sidecarset/api';

type Labels = Readonly<Record<string, string>>;

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const ok =
      operator === 'In' ? has && values.includes(labels[key]!)
      : operator === 'NotIn' ? !has || !values.includes(labels[key]!)
      : operator === 'Exists' ? has
      : operator === 'DoesNotExist' ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}

export function sidecarSetSelects(sidecarSet: SidecarSet, podLabels: Labels, namespace: string, namespaceLabels: Labels): boolean {
  const spec = sidecarSet.spec;
  if (spec.namespace && spec.namespace !== namespace) return false;
  if (spec.namespaceSelector && !selectorMatches(spec.namespaceSelector, namespaceLabels)) return false;
  return spec.selector !== undefined && selectorMatches(spec.selector, podLabels);
}
