// Labels, annotations and the scheduling gate that mark mirrors and the pods that mount them. They
// identify, never prove: anyone who can write ConfigMaps in a namespace can write them too (the
// controller trusts the UIDs recorded in a binding's status.mirrors). One exception:
// MIRROR_BINDING_UID_ANNOTATION, which deploy/manifests/controller.yaml's admission policy lets no
// identity but the controller's set or change, so that a mirror created just before a crash (its
// UID not recorded yet) is still recognised as the controller's.
import { sourceKey, type CrossNamespaceSource } from './source.js';

/** Label on every mirror, `"true"`; the controller's informers select on it. */
export const MIRROR_LABEL = 'sidecarset.dev/mirror';
/** Label on a mirror: the source's namespace. */
export const MIRROR_SOURCE_NAMESPACE_LABEL = 'sidecarset.dev/mirror-source-namespace';
/** Annotation on a mirror: `Kind/namespace/name` of its source. */
export const MIRROR_SOURCE_ANNOTATION = 'sidecarset.dev/mirror-source';
/** Annotation on a mirror: the names of the bindings that authorise it, sorted, comma-separated. */
export const MIRROR_BINDINGS_ANNOTATION = 'sidecarset.dev/mirror-bindings';
/** Annotation on a mirror: the UID of the binding it was written for; only the controller may set or change it. */
export const MIRROR_BINDING_UID_ANNOTATION = 'sidecarset.dev/mirror-binding-uid';
/** Annotation on a pod: `Kind/namespace/name` of each source it mounts through a mirror, sorted, comma-separated. */
export const POD_MIRRORS_ANNOTATION = 'sidecarset.dev/mirrors';
/** Scheduling gate on a pod until every mirror it mounts exists and is trusted. */
export const MIRRORS_SCHEDULING_GATE = 'sidecarset.dev/mirrors';

export interface MirrorMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function mirrorMetadata(source: CrossNamespaceSource, bindingNames: readonly string[], bindingUid?: string): MirrorMetadata {
  return {
    labels: { [MIRROR_LABEL]: 'true', [MIRROR_SOURCE_NAMESPACE_LABEL]: source.namespace },
    annotations: {
      [MIRROR_SOURCE_ANNOTATION]: sourceKey(source),
      [MIRROR_BINDINGS_ANNOTATION]: [...new Set(bindingNames)].sort().join(','),
      ...(bindingUid ? { [MIRROR_BINDING_UID_ANNOTATION]: bindingUid } : {}),
    },
  };
}

/** The pod annotation's value: each source once, sorted. */
export const formatPodMirrors = (sources: readonly CrossNamespaceSource[]): string => [...new Set(sources.map(sourceKey))].sort().join(',');
