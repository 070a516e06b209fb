// The SidecarSets that select a pod, in the order injection applies them: by name, so the result
// does not depend on the order a cache listed them in.
import type { Pod, SidecarSet } from '@sidecarset/api';
import type { Labels } from '../labels/labelSelector.js';
import { sidecarSetMatchesPod } from './sidecarSetMatchesPod.js';

export const sidecarSetName = (sidecarSet: SidecarSet): string => sidecarSet.metadata?.name ?? '';

export function pickSidecarSetsForPod(
  pod: Pod,
  sidecarSets: readonly SidecarSet[],
  namespace: string,
  namespaceLabels: Labels | undefined,
): SidecarSet[] {
  const matched: SidecarSet[] = [];
  for (const sidecarSet of sidecarSets) {
    if (sidecarSetMatchesPod(sidecarSet, pod, namespace, namespaceLabels)) matched.push(sidecarSet);
  }
  if (matched.length > 1) {
    matched.sort((a, b) => {
      const x = sidecarSetName(a);
      const y = sidecarSetName(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return matched;
}
