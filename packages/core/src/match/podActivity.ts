// Which pods injection leaves alone: kube-controller's IsPodActive, as OpenKruise uses it: a pod that
// has Succeeded, Failed or is being deleted is not active.
import type { Pod } from '@sidecarset/api';

/** Why the pod is not active, or undefined when it is. */
export function podInactiveReason(pod: Pod): string | undefined {
  if (pod.metadata?.deletionTimestamp) return 'pod is being deleted';
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return `pod has finished (phase ${phase})`;
  return undefined;
}

export const isPodActive = (pod: Pod): boolean => podInactiveReason(pod) === undefined;
