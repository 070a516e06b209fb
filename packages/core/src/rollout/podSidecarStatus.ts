// Where one pod stands in a SidecarSet's rollout, as OpenKruise's sidecarcontrol reads it:
// - updated: the hash recorded for this SidecarSet in the pod's kruise.io/sidecarset-hash equals the
//   SidecarSet's current hash (IsPodSidecarUpdated);
// - consistent: every sidecar container runs the image its spec names, judged from the container
//   status's imageID, not its image: a digest image must appear in the imageID; otherwise the imageID
//   must have moved on from the one recorded before the last in-place update (or the status shows the
//   spec's image). A sidecar without a status is not consistent (IsPodStateConsistent);
// - ready: phase Running and Ready=True;
// - upgradable: only images differ between the pod's sidecars and the SidecarSet (see notUpgradableReason).
import type { ContainerStatus, Pod, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION } from '../annotations.js';
import { parseImageReference } from '../defaults/imagePullPolicy.js';
import { readSidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import {
  parseInPlaceUpdateStates,
  recordedImageID,
  SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION,
  type InPlaceUpdateStates,
} from './inPlaceUpdateState.js';
import { notUpgradableReasonWith } from './notUpgradableReason.js';
import { isPodRunningAndReady } from './podReadiness.js';
import { rolloutContext, type RolloutContext, type RolloutSidecar } from './rolloutContext.js';

interface PodSidecarFacts {
  updated: boolean;
  consistent: boolean;
  ready: boolean;
}

export type PodSidecarStatus =
  | (PodSidecarFacts & { upgradable: true })
  | (PodSidecarFacts & { upgradable: false; reason: string });

/** podSidecarStatus plus what the planner also needs. */
export type PodRolloutState = PodSidecarStatus & {
  /** A ready sidecar whose last in-place update has not finished: Kruise waits for it before the next one. */
  inFlight?: string;
};

export function podSidecarStatus(sidecarSet: SidecarSet, pod: Pod): PodSidecarStatus {
  const { inFlight: _inFlight, ...status } = podRolloutState(rolloutContext(sidecarSet), pod);
  return status;
}

export function podRolloutState(ctx: RolloutContext, pod: Pod): PodRolloutState {
  const recorded = readSidecarSetHashes(pod.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]);
  const updated = recorded.ok && recorded.hashes.get(ctx.name)?.hash === ctx.hash;
  const states = parseInPlaceUpdateStates(pod.metadata?.annotations?.[SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]);
  let consistent = true;
  let inFlight: string | undefined;
  for (const sidecar of ctx.sidecars) {
    const status = sidecarStatus(pod, sidecar);
    const container = (pod.spec?.[sidecar.kind] ?? []).find((c) => c.name === sidecar.name);
    if (!container) continue; // reported as not upgradable; nothing in flight to wait for
    if (isContainerConsistent(ctx.name, container.image, status, states)) continue;
    consistent = false;
    if (status?.ready && inFlight === undefined) inFlight = sidecar.name;
  }
  const ready = isPodRunningAndReady(pod);
  const reason = updated ? undefined : notUpgradableReasonWith(ctx, pod);
  const facts = reason === undefined ? { updated, consistent, ready, upgradable: true as const } : { updated, consistent, ready, upgradable: false as const, reason };
  return inFlight === undefined ? facts : { ...facts, inFlight };
}

function sidecarStatus(pod: Pod, sidecar: RolloutSidecar): ContainerStatus | undefined {
  const statuses = sidecar.kind === 'containers' ? pod.status?.containerStatuses : pod.status?.initContainerStatuses;
  return statuses?.find((status) => status.name === sidecar.name);
}

function isContainerConsistent(
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
