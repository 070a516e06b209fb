export { planRollout, podUpgradeKinds, type RolloutPlan } from './planRollout.js';
export { podSidecarStatus, type PodSidecarStatus } from './podSidecarStatus.js';
export { sidecarSetStatus } from './sidecarSetStatus.js';
export { podFollowUpPatch, podResizePatch, podResizeRefusalKey, podUpgradePatch } from './podUpgradePatch.js';
export { notUpgradableReason } from './notUpgradableReason.js';
export { rolloutPodView } from './rolloutPodView.js';
export { maxUnavailableCount, partitionCount } from './rolloutCounts.js';
export {
  encodeInPlaceUpdateStates,
  parseInPlaceUpdateStates,
  SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION,
  type InPlaceUpdateState,
  type InPlaceUpdateStates,
} from './inPlaceUpdateState.js';
export { NO_CAPABILITIES, UPGRADE_KINDS, type RolloutCapabilities, type UpgradeKind, type KindChange, type ContainerChange, type CarrierContainer, type SidecarProgress, type PodUpgradeView } from './upgradeKinds/index.js';
