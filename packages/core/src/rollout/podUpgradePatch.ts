// The JSON patch that upgrades one pod's sidecars in place, as OpenKruise's updatePodSidecarAndHash
// does, but as a patch rather than an update of the whole pod:
// - the container fields the sidecars' upgrade kinds change (upgradeKinds/): the cold image swap sets
//   the image of each sidecar whose image differs, in spec.containers and also in native-sidecar
//   spec.initContainers (restartPolicy Always), which OpenKruise leaves alone; app containers never;
//   and the annotations the kinds own;
// - kruise.io/sidecarset-hash and kruise.io/sidecarset-hash-without-image: this SidecarSet's entry,
//   updateTimestamp = now, other SidecarSets' entries kept;
// - kruise.io/sidecarset-inplace-update-state: this SidecarSet's entry with the imageIDs the changed
//   containers run now, so that completion is seen when the imageID changes;
// - first, a `test` of metadata.resourceVersion, so that the patch fails on a pod changed since it was read.
// Resources are not part of that patch (the API server refuses them on the pod itself): podResizePatch
// gives them, for the pods/resize subresource, to be written first (docs/design/upgrade-kinds.md).
// podFollowUpPatch writes what a kind does after its upgrade completed (hot upgrade: the old twin back
// to the empty image), with the in-place-update state but not the hashes, as OpenKruise's
// flipPodSidecarContainer does.
import type { JsonPatchOperation, Pod, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { sidecarListOf } from '../inject/injectPod.js';
import { encodeSidecarSetHashes, parseSidecarSetHashes, toMetav1Time, type SidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import { pointerJoin } from '../patch/jsonPointer.js';
import {
  encodeInPlaceUpdateStates,
  parseInPlaceUpdateStates,
  SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION,
  type InPlaceUpdateContainerStatus,
} from './inPlaceUpdateState.js';
import { podUpgradeView } from './podSidecarStatus.js';
import { rolloutContext, type RolloutContext } from './rolloutContext.js';
import { kindChanges, podFollowUp, resizeRefusalKey, type KindChange, type RolloutCapabilities } from './upgradeKinds/index.js';

export function podUpgradePatch(sidecarSet: SidecarSet, pod: Pod, now: Date, capabilities?: RolloutCapabilities): JsonPatchOperation[] {
  const ctx = rolloutContext(sidecarSet, capabilities);
  const change = kindChanges(podUpgradeView(ctx, pod), (kind, view, sidecar) => kind.upgrade(view, sidecar));
  const annotations = pod.metadata?.annotations ?? {};
  const updateTimestamp = toMetav1Time(now.toISOString());
  const sidecarList = sidecarListOf(sidecarSet);
  const hashes = readHashes(annotations[SIDECARSET_HASH_ANNOTATION]);
  const controllerRevision = sidecarSet.status?.latestRevision;
  hashes.set(ctx.name, { updateTimestamp, hash: ctx.hash, sidecarSetName: ctx.name, sidecarList, ...(controllerRevision ? { controllerRevision } : {}) });
  const withoutImage = readHashes(annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]);
  withoutImage.set(ctx.name, { updateTimestamp, hash: ctx.hashWithoutImage, sidecarSetName: ctx.name, sidecarList: sidecarList.slice() });
  return changePatch(ctx, pod, change, updateTimestamp, {
    [SIDECARSET_HASH_ANNOTATION]: encodeSidecarSetHashes(hashes),
    [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: encodeSidecarSetHashes(withoutImage),
  });
}

/** The follow-up writes the pod's upgrade kinds have due; undefined when none is. */
export function podFollowUpPatch(sidecarSet: SidecarSet, pod: Pod, now: Date, capabilities?: RolloutCapabilities): JsonPatchOperation[] | undefined {
  const ctx = rolloutContext(sidecarSet, capabilities);
  const change = podFollowUp(podUpgradeView(ctx, pod));
  return change && changePatch(ctx, pod, change, toMetav1Time(now.toISOString()), {});
}

/**
 * The JSON patch for the pods/resize subresource that sets the sidecars' resources the upgrade kinds
 * change (a `test` of resourceVersion first, as the pod patch has); undefined when none changes. The
 * pod patch (podUpgradePatch) follows it, computed from the pod the resize returned.
 */
export function podResizePatch(sidecarSet: SidecarSet, pod: Pod, capabilities?: RolloutCapabilities): JsonPatchOperation[] | undefined {
  const ctx = rolloutContext(sidecarSet, capabilities);
  const change = kindChanges(podUpgradeView(ctx, pod), (kind, view, sidecar) => kind.upgrade(view, sidecar));
  const ops: JsonPatchOperation[] = [];
  for (const container of change.containers) {
    if (container.field !== 'resources') continue;
    ops.push({ op: 'add', path: `/spec/${container.list}/${container.index}/resources`, value: container.value });
  }
  if (ops.length === 0) return undefined;
  const resourceVersion = pod.metadata?.resourceVersion;
  return resourceVersion === undefined ? ops : [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }, ...ops];
}

/** Where a caller records that the API server refused this pod's resize to this SidecarSet's spec (RolloutCapabilities.refusedResizes). */
export const podResizeRefusalKey = (sidecarSet: SidecarSet, pod: Pod): string => resizeRefusalKey(pod.metadata?.uid ?? '', rolloutContext(sidecarSet).hash);

function changePatch(ctx: RolloutContext, pod: Pod, change: KindChange, updateTimestamp: string, hashAnnotations: Record<string, string>): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  const resourceVersion = pod.metadata?.resourceVersion;
  if (resourceVersion !== undefined) ops.push({ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion });
  const changed: { name: string; imageID: string | undefined }[] = [];
  for (const container of change.containers) {
    if (container.field === 'resources') continue; // through pods/resize (podResizePatch), before this patch
    ops.push({ op: 'replace', path: `/spec/${container.list}/${container.index}/${container.field}`, value: container.value });
    const statuses = container.list === 'containers' ? pod.status?.containerStatuses : pod.status?.initContainerStatuses;
    changed.push({ name: container.name, imageID: statuses?.find((status) => status.name === container.name)?.imageID });
  }

  const annotations = pod.metadata?.annotations ?? {};
  const states = parseInPlaceUpdateStates(annotations[SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]) ?? {};
  const previous = states[ctx.name] ?? {};
  const lastContainerStatuses: Record<string, InPlaceUpdateContainerStatus> = { ...previous.lastContainerStatuses };
  for (const { name, imageID } of changed) lastContainerStatuses[name] = imageID ? { imageID } : {};
  states[ctx.name] = { ...previous, revision: ctx.hash, updateTimestamp, lastContainerStatuses };

  const values: Record<string, string> = {
    ...hashAnnotations,
    [SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]: encodeInPlaceUpdateStates(states),
    ...change.annotations,
  };
  if (!pod.metadata?.annotations) {
    ops.push({ op: 'add', path: '/metadata/annotations', value: values });
    return ops;
  }
  for (const [key, value] of Object.entries(values)) {
    if (annotations[key] === value) continue;
    ops.push({ op: Object.hasOwn(annotations, key) ? 'replace' : 'add', path: pointerJoin('/metadata/annotations', key), value });
  }
  return ops;
}

/** The hash annotation's entries; an unreadable annotation starts afresh (Kruise overwrites it too). */
function readHashes(value: string | undefined): SidecarSetHashes {
  const parsed = parseSidecarSetHashes(value);
  return parsed.ok ? parsed.hashes : new Map();
}
