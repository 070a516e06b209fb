// The mirror as it should be: the source's data and binaryData (a ConfigMap's) or type (a Secret's) under the
// mirror's name in the pod's namespace, with the labels and annotations that identify it. Nothing
// else of the source is copied (not its labels, owner references or `immutable`: a mirror follows
// its source).
import type { ConfigMap, Secret } from '@sidecarset/api';
import { mirrorMetadata } from '@sidecarset/core';
import type { WantedMirror } from './wantedMirrors.js';

export type MirrorObject = ConfigMap | Secret;

/** `bindingUid`: of the first binding authorising it, marking the mirror as the controller's (see mirrorMetadata). */
export function desiredMirror(wanted: WantedMirror, source: MirrorObject, bindingUid?: string): MirrorObject {
  const { labels, annotations } = mirrorMetadata(wanted.source, wanted.bindings, bindingUid);
  const metadata = { name: wanted.name, namespace: wanted.namespace, labels, annotations };
  const data = source.data ? { data: source.data } : {};
  if (wanted.kind === 'Secret') {
    const type = (source as Secret).type;
    return { apiVersion: 'v1', kind: 'Secret', metadata, ...data, ...(type ? { type } : {}) } satisfies Secret;
  }
  const binaryData = (source as ConfigMap).binaryData;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, ...data, ...(binaryData ? { binaryData } : {}) } satisfies ConfigMap;
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => {
  const x = Object.entries(a ?? {});
  return x.length === Object.keys(b ?? {}).length && x.every(([k, v]) => b?.[k] === v);
};

/** Whether `stored` already is `desired`: content, our labels and annotations, no label of ours too many. */
export function mirrorUpToDate(stored: MirrorObject, desired: MirrorObject): boolean {
  const has = (want: Record<string, string> | undefined, got: Record<string, string> | undefined) => Object.entries(want ?? {}).every(([k, v]) => got?.[k] === v);
  return (
    sameMap(stored.data, desired.data) &&
    sameMap((stored as ConfigMap).binaryData, (desired as ConfigMap).binaryData) &&
    ((stored as Secret).type ?? 'Opaque') === ((desired as Secret).type ?? 'Opaque') &&
    has(desired.metadata?.labels, stored.metadata?.labels) &&
    has(desired.metadata?.annotations, stored.metadata?.annotations)
  );
}

/** A Secret's type cannot change: such a mirror is deleted and created anew. */
export const typeChanged = (stored: MirrorObject, desired: MirrorObject): boolean =>
  desired.kind === 'Secret' && ((stored as Secret).type ?? 'Opaque') !== ((desired as Secret).type ?? 'Opaque');
