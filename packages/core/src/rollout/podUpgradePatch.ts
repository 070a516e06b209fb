// The JSON patch that upgrades one pod's sidecars in place, as OpenKruise's updatePodSidecarAndHash
// does, but as a patch rather than an update of the whole pod:
// - the image of each sidecar whose image differs: spec.containers, and also native-sidecar
//   spec.initContainers (restartPolicy Always), which OpenKruise leaves alone; app containers never;
// - kruise.io/sidecarset-hash and kruise.io/sidecarset-hash-without-image: this SidecarSet's entry,
//   updateTimestamp = now, other SidecarSets' entries kept;
// - kruise.io/sidecarset-inplace-update-state: this SidecarSet's entry with the imageIDs the changed
//   containers run now, so that completion is seen when the imageID changes;
// - first, a `test` of metadata.resourceVersion, so that the patch fails on a pod changed since it was read.
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
import { rolloutContext } from './rolloutContext.js';

export function podUpgradePatch(sidecarSet: SidecarSet, pod: Pod, now: Date): JsonPatchOperation[] {
  const ctx = rolloutContext(sidecarSet);
  const ops: JsonPatchOperation[] = [];
  const resourceVersion = pod.metadata?.resourceVersion;
  if (resourceVersion !== undefined) ops.push({ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion });

  const images = new Map<string, string | undefined>();
  for (const sidecar of ctx.sidecars) images.set(`${sidecar.kind}/${sidecar.name}`, sidecarSet.spec[sidecar.kind]?.find((c) => c.name === sidecar.name)?.image);
  const changed: { name: string; imageID: string | undefined }[] = [];
  for (const kind of ['containers', 'initContainers'] as const) {
    const statuses = kind === 'containers' ? pod.status?.containerStatuses : pod.status?.initContainerStatuses;
    (pod.spec?.[kind] ?? []).forEach((container, index) => {
      const key = `${kind}/${container.name}`;
      if (!images.has(key)) return;
      const image = images.get(key);
      if (image === undefined || image === container.image) return;
      ops.push({ op: 'replace', path: `/spec/${kind}/${index}/image`, value: image });
      changed.push({ name: container.name, imageID: statuses?.find((status) => status.name === container.name)?.imageID });
    });
  }

  const annotations = pod.metadata?.annotations ?? {};
  const updateTimestamp = toMetav1Time(now.toISOString());
  const sidecarList = sidecarListOf(sidecarSet);
  const hashes = readHashes(annotations[SIDECARSET_HASH_ANNOTATION]);
  const controllerRevision = sidecarSet.status?.latestRevision;
  hashes.set(ctx.name, { updateTimestamp, hash: ctx.hash, sidecarSetName: ctx.name, sidecarList, ...(controllerRevision ? { controllerRevision } : {}) });
  const withoutImage = readHashes(annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]);
  withoutImage.set(ctx.name, { updateTimestamp, hash: ctx.hashWithoutImage, sidecarSetName: ctx.name, sidecarList: sidecarList.slice() });

  const states = parseInPlaceUpdateStates(annotations[SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]) ?? {};
  const previous = states[ctx.name] ?? {};
  const lastContainerStatuses: Record<string, InPlaceUpdateContainerStatus> = { ...previous.lastContainerStatuses };
  for (const { name, imageID } of changed) lastContainerStatuses[name] = imageID ? { imageID } : {};
  states[ctx.name] = { ...previous, revision: ctx.hash, updateTimestamp, lastContainerStatuses };

  const values: Record<string, string> = {
    [SIDECARSET_HASH_ANNOTATION]: encodeSidecarSetHashes(hashes),
    [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: encodeSidecarSetHashes(withoutImage),
    [SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]: encodeInPlaceUpdateStates(states),
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
