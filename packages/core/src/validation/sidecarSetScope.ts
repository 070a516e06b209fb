// Can two SidecarSets inject into the same pod? Both must be able to select one pod in one namespace.
// A namespace carries the label kubernetes.io/metadata.name=<its name> (set by the API server, immutable),
// so spec.namespace is the namespace selector {kubernetes.io/metadata.name: <namespace>}, and the
// question becomes two satisfiability checks: one over namespace labels, one over pod labels. No
// lookups: it holds for every cluster, now and later.
import type { LabelSelector, SidecarSet } from '@sidecarset/api';
import { selectorsCanAllMatch, selectorsCanOverlap } from '../labels/selectorOverlap.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function namespaceSelectors(sidecarSet: SidecarSet): LabelSelector[] {
  const out: LabelSelector[] = [];
  const namespace = sidecarSet.spec?.namespace;
  if (typeof namespace === 'string' && namespace !== '') out.push({ matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } });
  const selector = sidecarSet.spec?.namespaceSelector;
  if (isSelector(selector)) out.push(selector);
  return out;
}

const isSelector = (value: unknown): value is LabelSelector => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when some pod, in some namespace, can be selected by both SidecarSets. */
export function sidecarSetsCanSelectSamePod(a: SidecarSet, b: SidecarSet): boolean {
  const podA = a.spec?.selector;
  const podB = b.spec?.selector;
  if (!isSelector(podA) || !isSelector(podB)) return false; // a SidecarSet without a selector selects nothing
  return selectorsCanOverlap(podA, podB) && selectorsCanAllMatch([...namespaceSelectors(a), ...namespaceSelectors(b)]);
}
