// Pod and SidecarSet annotation keys, the same as OpenKruise's so that pods injected by either
// controller are understood by both.
export const INJECTED_LIST_ANNOTATION = 'kruise.io/sidecarset-injected-list';
export const SIDECARSET_HASH_ANNOTATION = 'kruise.io/sidecarset-hash';
export const SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION = 'kruise.io/sidecarset-hash-without-image';
/** Label on a ControllerRevision pinned by injectionStrategy.revision.customVersion. */
export const CUSTOM_VERSION_LABEL = 'apps.kruise.io/sidecarset-custom-version';
