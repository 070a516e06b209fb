// Cross-namespace ConfigMaps and Secrets through mirrors (issue 10, docs/design/cross-namespace-mirrors.md).
export { splitSourceRef, sourceKey, parseSourceKey, sameSource, type CrossNamespaceSource, type SourceKind } from './source.js';
export { crossNamespaceSources, volumeSources, type SourceReference } from './crossNamespaceSources.js';
export { mirrorName, MIRROR_NAME_MAX } from './mirrorName.js';
export {
  mirrorMetadata,
  formatPodMirrors,
  MIRROR_LABEL,
  MIRROR_SOURCE_NAMESPACE_LABEL,
  MIRROR_SOURCE_ANNOTATION,
  MIRROR_BINDINGS_ANNOTATION,
  MIRROR_BINDING_UID_ANNOTATION,
  POD_MIRRORS_ANNOTATION,
  MIRRORS_SCHEDULING_GATE,
  type MirrorMetadata,
} from './mirrorMetadata.js';
export { authorisingBindings, bindingAuthorises, missingBindingMessage } from './authorisingBindings.js';
export { validateSourceRef } from './validateSourceRef.js';
export { mirrorInjectedVolumes, mirrorRecorded, type VolumeOrigin, type MirrorStepContext, type MirrorStepResult, type MirrorError } from './mirrorInjectedVolumes.js';
export { markPodMirrors } from './markPodMirrors.js';
export { unauthorisedSourceWarnings, MAX_SOURCE_WARNINGS } from './unauthorisedSourceWarnings.js';
