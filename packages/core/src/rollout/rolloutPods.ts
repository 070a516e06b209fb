// Which of the pods given belong to a SidecarSet's rollout, as OpenKruise's getMatchingPods decides:
// selected by the SidecarSet (spec.namespace and spec.selector; the caller lists pods only from the
// namespaces spec.namespaceSelector selects), injected with it (kruise.io/sidecarset-injected-list)
// and active. Pods selected but not injected, or no longer active, are left out of the counts and
// reported with why. Unlike OpenKruise, a pod that lacks one of the SidecarSet's sidecars (one added
// to the SidecarSet after the pod was created) is counted, as not upgradable, rather than silently
// dropped from matchedPods.
import type { Pod } from '@sidecarset/api';
import { INJECTED_LIST_ANNOTATION } from '../annotations.js';
import { parseInjectedList } from '../inject/podSidecarSetAnnotations.js';
import { podInactiveReason } from '../match/podActivity.js';
import { podNamespace, sidecarSetMatchesPod } from '../match/sidecarSetMatchesPod.js';
import { podRolloutState, type PodRolloutState } from './podSidecarStatus.js';
import type { RolloutContext } from './rolloutContext.js';

export interface RolloutPod {
  pod: Pod;
  /** "namespace/name" */
  key: string;
  state: PodRolloutState;
}

export interface RolloutPods {
  matched: RolloutPod[];
  /** Selected by the SidecarSet but not part of its rollout. */
  excluded: { pod: string; reason: string }[];
}

export const podKey = (pod: Pod): string => `${podNamespace(pod)}/${pod.metadata?.name ?? ''}`;

export function rolloutPods(ctx: RolloutContext, pods: readonly Pod[]): RolloutPods {
  const matched: RolloutPod[] = [];
  const excluded: { pod: string; reason: string }[] = [];
  for (const pod of pods) {
    const namespace = podNamespace(pod);
    if (!sidecarSetMatchesPod(ctx.scope, pod, namespace, undefined)) continue;
    const key = podKey(pod);
    if (!parseInjectedList(pod.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]).includes(ctx.name)) {
      excluded.push({ pod: key, reason: 'not injected with this SidecarSet (sidecars are injected only when a pod is created)' });
      continue;
    }
    const inactive = podInactiveReason(pod);
    if (inactive) {
      excluded.push({ pod: key, reason: `pod not active: ${inactive}` });
      continue;
    }
    matched.push({ pod, key, state: podRolloutState(ctx, pod) });
  }
  return { matched, excluded };
}
