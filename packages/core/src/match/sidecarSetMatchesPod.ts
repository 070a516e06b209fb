// Whether a SidecarSet selects a pod, as OpenKruise's PodMatchedSidecarSet decides it: the pod's
// namespace must equal spec.namespace when set, the namespace's labels must match
// spec.namespaceSelector when set, and spec.selector must be non-empty and match the pod's labels.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { isEmptySelector, labelSelectorMatches, type Labels } from '../labels/labelSelector.js';

/** The pod's namespace: its own, else the admission request's, else "default" (as Kruise does). */
export const podNamespace = (pod: Pod, requestNamespace?: string): string =>
  pod.metadata?.namespace || requestNamespace || 'default';

export function sidecarSetMatchesPod(
  sidecarSet: SidecarSet,
  pod: Pod,
  namespace: string,
  namespaceLabels: Labels | undefined,
): boolean {
  const spec = sidecarSet.spec;
  const ns = pod.metadata?.namespace || namespace || 'default';
  if (spec.namespace && spec.namespace !== ns) return false;
  if (spec.namespaceSelector && !labelSelectorMatches(spec.namespaceSelector, namespaceLabels)) return false;
  const selector = spec.selector;
  if (!selector || isEmptySelector(selector)) return false;
  return labelSelectorMatches(selector, pod.metadata?.labels);
}
