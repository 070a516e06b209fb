// The cold image swap: the sidecar's one container gets the SidecarSet's image and the kubelet restarts
// it (OpenKruise's commonControl without hot upgrade). Completion is read from the container status's
// imageID, not its image: a digest image must appear in the imageID; otherwise the imageID must have
// moved on from the one recorded before the swap (or the status shows the spec's image). A container
// without a status is not consistent.
import type { ContainerStatus, Pod } from '@sidecarset/api';
import { parseImageReference } from '../../defaults/imagePullPolicy.js';
import { isHotUpgrade } from '../../hotUpgrade/index.js';
import { recordedImageID, type InPlaceUpdateStates } from '../inPlaceUpdateState.js';
import type { CarrierContainer, ContainerChange, PodUpgradeView, SidecarProgress, UpgradeKind } from './upgradeKind.js';

export const coldImage: UpgradeKind = {
  name: 'cold image',
  handles: (sidecar) => !(sidecar.kind === 'containers' && isHotUpgrade(sidecar.spec)),
  inPlaceFields: ['image'],
  carriers: (sidecar, pod) => {
    if ((pod.spec?.[sidecar.kind] ?? []).some((c) => c.name === sidecar.name)) return [{ name: sidecar.name, list: sidecar.kind, expected: sidecar.spec }];
    // A container injection made a native sidecar (core nativeSidecar/): carried by an initContainer.
    if (sidecar.kind === 'containers' && nativeCarrier(pod, sidecar.name)) return [{ name: sidecar.name, list: 'initContainers', expected: { ...sidecar.spec, restartPolicy: 'Always' } }];
    return [];
  },
  progress: (view, sidecar) => carrierProgress(view, carrierList(view.pod, sidecar), [sidecar.name]),
  upgrade: ({ pod }, sidecar) => ({ containers: imageChanges(pod, carrierList(pod, sidecar), sidecar.name, sidecar.spec.image), annotations: {} }),
};

const nativeCarrier = (pod: Pod, name: string): boolean => (pod.spec?.initContainers ?? []).some((c) => c.name === name && c.restartPolicy === 'Always');

/** The pod list carrying the sidecar: its own kind's, or initContainers for a container placed as a native sidecar. */
function carrierList(pod: Pod, sidecar: { kind: CarrierContainer['list']; name: string }): CarrierContainer['list'] {
  if (sidecar.kind === 'containers' && !(pod.spec?.containers ?? []).some((c) => c.name === sidecar.name) && nativeCarrier(pod, sidecar.name)) return 'initContainers';
  return sidecar.kind;
}

/** Consistency of the named containers of one list (shared with the hot kind, whose twins are read the same way). */
export function carrierProgress({ ctx, pod, states }: PodUpgradeView, list: CarrierContainer['list'], names: readonly string[]): SidecarProgress {
  let consistent = true;
  let inFlight: string | undefined;
  for (const name of names) {
    const container = (pod.spec?.[list] ?? []).find((c) => c.name === name);
    if (!container) continue; // reported as not upgradable; nothing in flight to wait for
    const status = containerStatus(pod, list, name);
    if (isContainerConsistent(ctx.name, container.image, status, states)) continue;
    consistent = false;
    if (status?.ready && inFlight === undefined) inFlight = name;
  }
  return inFlight === undefined ? { consistent, settled: true } : { consistent, inFlight, settled: true };
}

export function containerStatus(pod: Pod, list: CarrierContainer['list'], name: string): ContainerStatus | undefined {
  const statuses = list === 'containers' ? pod.status?.containerStatuses : pod.status?.initContainerStatuses;
  return statuses?.find((status) => status.name === name);
}

export function isContainerConsistent(
  sidecarSetName: string,
  image: string | undefined,
  status: ContainerStatus | undefined,
  states: InPlaceUpdateStates | undefined,
): boolean {
  if (!status) return false;
  const digest = image ? parseImageReference(image)?.digest : undefined;
  if (digest) return status.imageID.endsWith(digest);
  if (!states) return false; // an unreadable in-place-update state: Kruise waits too
  const before = recordedImageID(states, sidecarSetName, status.name);
  return !(before !== undefined && before === status.imageID && image !== status.image);
}

/** Setting container `name` of `list` to `image`, when it runs another one. */
export function imageChanges(pod: Pod, list: CarrierContainer['list'], name: string, image: string | undefined): ContainerChange[] {
  const index = (pod.spec?.[list] ?? []).findIndex((c) => c.name === name);
  const container = pod.spec?.[list]?.[index];
  if (!container || image === undefined || image === container.image) return [];
  return [{ list, index, name, field: 'image', value: image }];
}
