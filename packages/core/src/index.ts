export * from './annotations.js';
export { injectPod, sidecarListOf, type InjectionContext, type InjectionError, type InjectionResult, type SkipCode, type SkippedSidecarSet } from './inject/injectPod.js';
export { sidecarContainerForPod } from './inject/sidecarContainerForPod.js';
export { podShapeErrors } from './inject/podShape.js';
export { checkJsonTextBudget, parseJsonWithinBudget, ANNOTATION_JSON_BUDGET, type JsonBudget, type JsonBudgetCheck } from './util/jsonTextBudget.js';
export { isInjectedContainer, SIDECAR_ENV_KEY } from './inject/sharedVolumes.js';
export {
  encodeSidecarSetHashes,
  formatInjectedList,
  parseInjectedList,
  parseSidecarSetHashes,
  type SidecarSetHashes,
  type SidecarSetUpgradeSpec,
} from './inject/podSidecarSetAnnotations.js';
export {
  currentSidecarSetHash,
  currentSidecarSetHashWithoutImage,
  isNativeSidecar,
  sidecarSetHash,
  sidecarSetHashAnnotations,
  sidecarSetHashWithoutImage,
} from './hash/sidecarSetHash.js';
export { goJsonStringify } from './hash/goJson.js';
export { isPodActive, podInactiveReason } from './match/podActivity.js';
export { podNamespace, sidecarSetMatchesPod } from './match/sidecarSetMatchesPod.js';
export { pickSidecarSetsForPod } from './match/pickSidecarSetsForPod.js';
export { resolveInjectionRevision, SIDECARSET_NAME_LABEL, type RevisionResolution } from './revision/resolveInjectionRevision.js';
export { restoreSidecarSetFromRevision, RECORDED_SPEC_FIELDS } from './revision/restoreSidecarSetFromRevision.js';
export { jsonPatch, type JsonPatchOperation } from './patch/jsonPatch.js';
export { applyMergePatch } from './patch/mergePatch.js';
export * from './validation/index.js';
export * from './defaults/index.js';
export { selectorsCanOverlap, selectorsCanAllMatch } from './labels/selectorOverlap.js';
export { validateLabelSelector } from './labels/validateLabelSelector.js';
export * from './rollout/index.js';
export { CONTROLLER_REVISION_HASH_LABEL, newSidecarSetRevision, planHistory, revisionData, revisionMatches, revisionName, type HistoryPlan } from './revision/sidecarSetRevision.js';
export { controllerRevisionHash, fnv32, revisionPatch } from './revision/revisionPatch.js';
export * from './crossNamespace/index.js';
export * from './resources/index.js';
export * from './stdlog/index.js';
export * from './version/index.js';
export * from './nativeSidecar/index.js';
export * from './hotUpgrade/index.js';
export * from './jobExit/index.js';
