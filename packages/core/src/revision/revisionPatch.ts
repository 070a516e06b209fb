// The bytes of a SidecarSet ControllerRevision's data and the hash in its name, as OpenKruise writes
// them, so that a revision either controller creates is the one the other finds (same name, same
// `controller.kubernetes.io/hash` label, same data) and a cluster can move between the two and back.
// OpenKruise encodes the SidecarSet, reads the JSON into a map, keeps the recorded spec fields (null
// when the spec has none) under `"$patch": "replace"`, and writes that map again: Go's struct layout
// decides which zero values appear (`"resources":{}`), the map its sorted key order. The name's hash is
// Kubernetes' HashControllerRevision: 32-bit FNV-1 over those bytes and the collision count in decimal.
import type { SidecarSet } from '@sidecarset/api';
import { goJsonStringify } from '../hash/goJson.js';
import { SIDECARSET_SPEC_STRUCTS } from '../hash/goSidecarSetSpec.js';
import { goStructJson } from '../hash/goStruct.js';
import { safeEncodeString } from '../hash/sidecarSetHash.js';
import { RECORDED_SPEC_FIELDS } from './restoreSidecarSetFromRevision.js';

/** The JSON text OpenKruise stores as the revision's data for this spec. */
export function revisionPatch(sidecarSet: { spec: Partial<SidecarSet['spec']> }): string {
  const encoded = JSON.parse(goStructJson(sidecarSet.spec, 'SidecarSetSpec', SIDECARSET_SPEC_STRUCTS)) as Record<string, unknown>;
  const spec: Record<string, unknown> = { $patch: 'replace' };
  for (const field of RECORDED_SPEC_FIELDS) spec[field] = encoded[field] ?? null;
  return goJsonStringify({ spec });
}

/** 32-bit FNV-1 (Go's hash/fnv New32: multiply, then xor) over the UTF-8 bytes of each part in turn. */
export function fnv32(...parts: string[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    for (const byte of Buffer.from(part, 'utf8')) hash = Math.imul(hash, 0x01000193) ^ byte;
  }
  return hash >>> 0;
}

/** The `controller.kubernetes.io/hash` of a revision: safe-encoded decimal FNV-1 of its data and collision count. */
export const controllerRevisionHash = (patch: string, collisionCount: number): string => safeEncodeString(String(fnv32(patch, String(collisionCount))));

/** `<prefix>-<hash>`, the prefix cut to 223 characters (ControllerRevisionName). */
export const controllerRevisionName = (prefix: string, hash: string): string => `${prefix.slice(0, 223)}-${hash}`;
