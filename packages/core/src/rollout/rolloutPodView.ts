// The part of a pod that the rollout reads (planRollout, sidecarSetStatus, podUpgradePatch, and the
// injection helpers they call): a controller caching every pod of a cluster keeps only this. Volumes,
// tolerations, managedFields, container states and the like are most of a pod's size and never read.
// Containers stay whole: injection's comparison and shared mounts read app containers too.
import type { ContainerStatus, Pod, PodStatus } from '@sidecarset/api';

const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export function rolloutPodView(pod: Pod): Pod {
  const { metadata, spec, status } = pod;
  const view: Pod = {};
  if (metadata) {
    view.metadata = definedOnly({
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
      generation: metadata.generation,
      creationTimestamp: metadata.creationTimestamp,
      deletionTimestamp: metadata.deletionTimestamp,
      labels: metadata.labels,
      annotations: metadata.annotations && withoutLastApplied(metadata.annotations),
    });
  }
  // Pod-level resources decide the QoS class a resize may not change.
  if (spec) view.spec = definedOnly({ nodeName: spec.nodeName, containers: spec.containers, initContainers: spec.initContainers, resources: spec.resources });
  if (status) {
    view.status = definedOnly<PodStatus>({
      phase: status.phase,
      conditions: status.conditions,
      containerStatuses: status.containerStatuses?.map(statusView),
      initContainerStatuses: status.initContainerStatuses?.map(statusView),
    });
  }
  return view;
}

// resources and allocatedResources: what the resize kind reads completion from.
const statusView = (status: ContainerStatus): ContainerStatus =>
  definedOnly({
    name: status.name,
    image: status.image,
    imageID: status.imageID,
    ready: status.ready,
    started: status.started,
    restartCount: status.restartCount,
    resources: status.resources,
    allocatedResources: status.allocatedResources,
  });

function withoutLastApplied(annotations: Record<string, string>): Record<string, string> {
  if (!(LAST_APPLIED_ANNOTATION in annotations)) return annotations;
  const { [LAST_APPLIED_ANNOTATION]: _dropped, ...rest } = annotations;
  return rest;
}

function definedOnly<T extends object>(object: T): T {
  for (const key of Object.keys(object) as (keyof T)[]) if (object[key] === undefined) delete object[key];
  return object;
}
