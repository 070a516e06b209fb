// Which of the pods given belong to a SidecarSet's rollout, as OpenKruise's getMatchingPods decides:
// selected by the SidecarSet (spec.namespace and spec.selector; the caller lists pods only from the
// namespaces spec.namespaceSelector selects), injected with it (kruise.io/sidecarset-injected-list),
// active, and carrying every one of its containers (IsPodConsistentWithSidecarSet: a sidecar added to
// the SidecarSet after the pod was created leaves the pod out, since injection happens only at pod
// creation). Pods left out are not counted in the status; they are reported with why.
import type { Pod } from '@sidecarset/api';
import { INJECTED_LIST_ANNOTATION } from '../annotations.js';
import { parseInjectedList } from '../inject/podSidecarSetAnnotations.js';
import { podInactiveReason } from '../match/podActivity.js';
import { podNamespace, sidecarSetMatchesPod } from '../match/sidecarSetMatchesPod.js';
import { carriersOf } from './notUpgradableReason.js';
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
    const missing = ctx.sidecars.find((sidecar) => sidecar.kind === 'containers' && carriersOf(sidecar, pod).length === 0 && !hasContainer(pod, sidecar.name));
    if (missing) {
      excluded.push({ pod: key, reason: `lacks sidecar ${missing.name}, added to the SidecarSet after the pod was created (sidecars are injected only when a pod is created): not counted, as OpenKruise does not count it` });
      continue;
    }
    matched.push({ pod, key, state: podRolloutState(ctx, pod) });
  }
  return { matched, excluded };
}

/** A container or initContainer of that name (OpenKruise's util.GetContainer looks in both lists). */
const hasContainer = (pod: Pod, name: string): boolean =>
  (pod.spec?.initContainers ?? []).some((c) => c.name === name) || (pod.spec?.containers ?? []).some((c) => c.name === name);
