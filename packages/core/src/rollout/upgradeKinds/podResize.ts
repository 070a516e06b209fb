// The resize: a sidecar's `resources` brought to the SidecarSet's through the pods/resize
// subresource (Kubernetes 1.33+), without a restart, beyond OpenKruise (which calls every pod whose
// resources changed not upgradable, its #1272). A peer of the image swap on the same container: a
// change of image and resources is both kinds' changes in one round, under one budget.
// - Only where the API server serves pods/resize (capability podResize); elsewhere resources stay a
//   field that cannot change in place, and the reason says why.
// - Not for a sidecar with resourcesPolicy (its resources are computed from the pod at creation) nor
//   a hot-upgrade sidecar (two twin containers).
// - Complete when the kubelet reports the spec's cpu and memory in containerStatuses[].resources
//   (allocatedResources when it reports no resources) and the pod has neither PodResizeInProgress nor
//   PodResizePending True (Deferred: the node will retry).
// - Blocked, so never written (no retry loop), when the API server would refuse the resize (a
//   resource other than cpu or memory, a QoS class change) or did (recorded by the caller in
//   capabilities.refusedResizes: 403 beyond the node's allocatable), or the node refused it
//   (PodResizePending True, reason Infeasible, for the spec the pod has now).
import type { Pod, PodCondition } from '@sidecarset/api';
import { isHotUpgrade } from '../../hotUpgrade/index.js';
import type { RolloutSidecar } from '../rolloutContext.js';
import { containerStatus } from './coldImage.js';
import { podQosClass, reportedMatchesSpec, resourceDifferences, RESIZABLE_RESOURCES, sameResources } from './resizeResources.js';
import type { CarrierContainer, ContainerChange, PodUpgradeView, SidecarProgress, UpgradeKind } from './upgradeKind.js';

export const RESIZE_PENDING_CONDITION = 'PodResizePending';
export const RESIZE_IN_PROGRESS_CONDITION = 'PodResizeInProgress';

const KEEPS = 'the pod keeps its current resources until it is recreated';

export const podResize: UpgradeKind = {
  name: 'resize',
  requires: 'podResize',
  handles: (sidecar) => !sidecar.spec.resourcesPolicy && !(sidecar.kind === 'containers' && isHotUpgrade(sidecar.spec)),
  inPlaceFields: ['resources'],
  carriers: (sidecar, pod) => (carrierOf(sidecar, pod) ? [{ name: sidecar.name, list: sidecar.kind, expected: sidecar.spec }] : []),
  progress: (view, sidecar) => resizeProgress(view, sidecar),
  upgrade: ({ pod }, sidecar) => ({ containers: resizeChanges(pod, sidecar), annotations: {} }),
  blockers: (view, sidecar) => resizeBlockers(view, sidecar),
};

/** What the caller records an API server's refusal of a pod's resize under (RolloutCapabilities.refusedResizes). */
export const resizeRefusalKey = (podUid: string, sidecarSetHash: string): string => `${podUid}/${sidecarSetHash}`;

function carrierOf(sidecar: RolloutSidecar, pod: Pod): { index: number; container: NonNullable<Pod['spec']>['containers'][number] } | undefined {
  const list = pod.spec?.[sidecar.kind] ?? [];
  const index = list.findIndex((c) => c.name === sidecar.name);
  return index < 0 ? undefined : { index, container: list[index]! };
}

const condition = (pod: Pod, type: string): PodCondition | undefined =>
  pod.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/** PodResizePending Infeasible about the pod's current spec (a condition of an older generation is stale). */
function infeasible(pod: Pod): PodCondition | undefined {
  const pending = condition(pod, RESIZE_PENDING_CONDITION);
  if (pending?.reason !== 'Infeasible') return undefined;
  const observed = (pending as { observedGeneration?: number }).observedGeneration;
  const generation = pod.metadata?.generation;
  return observed !== undefined && generation !== undefined && observed !== generation ? undefined : pending;
}

function resizeProgress({ pod }: PodUpgradeView, sidecar: RolloutSidecar): SidecarProgress {
  const carrier = carrierOf(sidecar, pod);
  if (!carrier) return { consistent: true, settled: true };
  // Refused by the node: it keeps running what it had, nothing is under way.
  if (infeasible(pod) && sameResources(carrier.container.resources, sidecar.spec.resources)) return { consistent: true, settled: true };
  if (condition(pod, RESIZE_IN_PROGRESS_CONDITION) || condition(pod, RESIZE_PENDING_CONDITION)) return { consistent: false, settled: true };
  const status = containerStatus(pod, sidecar.kind as CarrierContainer['list'], sidecar.name);
  if (!status) return { consistent: false, settled: true };
  const spec = carrier.container.resources;
  if (status.resources) return { consistent: reportedMatchesSpec(status.resources, spec), settled: true };
  const allocated = (status as { allocatedResources?: Record<string, string> }).allocatedResources;
  return { consistent: allocated ? reportedMatchesSpec({ requests: allocated }, { requests: spec?.requests ?? spec?.limits }) : true, settled: true };
}

function resizeChanges(pod: Pod, sidecar: RolloutSidecar): ContainerChange[] {
  const carrier = carrierOf(sidecar, pod);
  if (!carrier || sameResources(carrier.container.resources, sidecar.spec.resources)) return [];
  return [{ list: sidecar.kind, index: carrier.index, name: sidecar.name, field: 'resources', value: sidecar.spec.resources ?? {} }];
}

function resizeBlockers({ ctx, pod }: PodUpgradeView, sidecar: RolloutSidecar): string[] {
  const carrier = carrierOf(sidecar, pod);
  if (!carrier) return [];
  const wanted = sidecar.spec.resources;
  const refusedByApi = ctx.capabilities.refusedResizes?.get(resizeRefusalKey(pod.metadata?.uid ?? '', ctx.hash));
  if (refusedByApi !== undefined && !sameResources(carrier.container.resources, wanted)) {
    return [`container ${sidecar.name}: the API server refused to resize it in place (${refusedByApi}); ${KEEPS}`];
  }
  if (sameResources(carrier.container.resources, wanted)) {
    const refused = infeasible(pod);
    if (!refused) return [];
    const why = refused.message ? `: ${refused.message}` : '';
    return [`container ${sidecar.name}: the node refused to resize it in place (PodResizePending Infeasible${why}); ${KEEPS}`];
  }
  const fixed = resourceDifferences(carrier.container.resources, wanted).filter((field) => !RESIZABLE_RESOURCES.includes(field.split('.')[1] ?? ''));
  if (fixed.length > 0) {
    return [`container ${sidecar.name}: resources ${fixed.join(', ')} ${fixed.length === 1 ? 'differs' : 'differ'}, and only cpu and memory resize in place; ${KEEPS}`];
  }
  const before = podQosClass(pod);
  const after = podQosClass(pod, { list: sidecar.kind, name: sidecar.name, resources: wanted });
  if (before !== after) return [`container ${sidecar.name}: the new resources would move the pod from QoS class ${before} to ${after}, which a resize may not do; ${KEEPS}`];
  return [];
}
