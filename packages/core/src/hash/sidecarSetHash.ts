// The SidecarSet revision hash, as OpenKruise's sidecarcontrol.SidecarSetHash computes it: sha256
// over encoding/json's text for `map[string]interface{}{"containers": spec.containers}` (plus
// `"initContainers": spec.initContainers` when one of them is a native sidecar, restartPolicy Always),
// hex-encoded, then each hex digit mapped through Kubernetes' rand.SafeEncodeString alphabet. The
// containers are written as Go writes its SidecarContainer structs (goStruct.ts), so the values are
// byte for byte OpenKruise's for the same (defaulted) SidecarSet, and independent of JavaScript key
// order. The without-image variant blanks every image first, so it changes exactly when something
// other than an image changes.
import { createHash } from 'node:crypto';
import type { SidecarContainer, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { goStructJson } from './goStruct.js';
import { SIDECAR_CONTAINER_STRUCTS } from './goSidecarContainer.js';

/** k8s.io/apimachinery/pkg/util/rand's alphabet: no vowels, no 0/1/3 that read like letters. */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every character to SAFE_ALPHANUMS[code % 27], as rand.SafeEncodeString does. */
export function safeEncodeString(value: string): string {
  let out = '';
  for (const ch of value) out += SAFE_ALPHANUMS[ch.codePointAt(0)! % SAFE_ALPHANUMS.length];
  return out;
}

/** An init container with restartPolicy Always: a Kubernetes native sidecar. */
export const isNativeSidecar = (container: { restartPolicy?: string }): boolean => container.restartPolicy === 'Always';

const containersJson = (containers: SidecarContainer[] | undefined): string => goStructJson(containers, '[]SidecarContainer', SIDECAR_CONTAINER_STRUCTS);

/** The map's keys in encoding/json's (sorted) order. */
function hashInput(containers: SidecarContainer[] | undefined, initContainers: SidecarContainer[] | undefined): string {
  const withInit = Array.isArray(initContainers) && initContainers.some(isNativeSidecar);
  return `{"containers":${containersJson(containers)}${withInit ? `,"initContainers":${containersJson(initContainers)}` : ''}}`;
}

const sha256Safe = (text: string): string => safeEncodeString(createHash('sha256').update(text).digest('hex'));

const withoutImage = (containers: SidecarContainer[] | undefined): SidecarContainer[] | undefined =>
  containers?.map((container) => ({ ...container, image: undefined }));

/** Value of the SidecarSet's `kruise.io/sidecarset-hash` annotation. */
export function sidecarSetHash(sidecarSet: SidecarSet): string {
  return sha256Safe(hashInput(sidecarSet.spec.containers, sidecarSet.spec.initContainers));
}

/** Value of the SidecarSet's `kruise.io/sidecarset-hash-without-image` annotation. */
export function sidecarSetHashWithoutImage(sidecarSet: SidecarSet): string {
  return sha256Safe(hashInput(withoutImage(sidecarSet.spec.containers), withoutImage(sidecarSet.spec.initContainers)));
}

/** Both hash annotations, for the SidecarSet's own metadata.annotations. */
export function sidecarSetHashAnnotations(sidecarSet: SidecarSet): Record<string, string> {
  return {
    [SIDECARSET_HASH_ANNOTATION]: sidecarSetHash(sidecarSet),
    [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: sidecarSetHashWithoutImage(sidecarSet),
  };
}

/** The hash the SidecarSet carries in its annotation, or the one computed from its spec when it has none. */
export const currentSidecarSetHash = (sidecarSet: SidecarSet): string =>
  sidecarSet.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION] || sidecarSetHash(sidecarSet);

/** Like currentSidecarSetHash, for the without-image hash. */
export const currentSidecarSetHashWithoutImage = (sidecarSet: SidecarSet): string =>
  sidecarSet.metadata?.annotations?.[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] || sidecarSetHashWithoutImage(sidecarSet);
