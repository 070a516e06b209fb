// Pod readiness as OpenKruise's SidecarSet controller reads it (util.IsRunningAndReady): phase Running
// and condition Ready=True.
import type { Pod, PodCondition } from '@sidecarset/api';

export const podReadyCondition = (pod: Pod): PodCondition | undefined =>
  pod.status?.conditions?.find((condition) => condition.type === 'Ready');

/** The Ready condition is True (kubecontroller's IsPodReady). */
export const isPodReadyConditionTrue = (pod: Pod): boolean => podReadyCondition(pod)?.status === 'True';

/** Phase Running and Ready=True. */
export const isPodRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReadyConditionTrue(pod);
