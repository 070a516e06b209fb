// The upgrade kinds there are, and which of them handle a sidecar. A new kind is one more file here
// and one more entry in UPGRADE_KINDS (docs/design/upgrade-kinds.md).
import type { RolloutSidecar } from '../rolloutContext.js';
import { coldImage } from './coldImage.js';
import { hotUpgrade } from './hotUpgrade.js';
import { podResize } from './podResize.js';
import type { RolloutCapabilities, UpgradeKind } from './upgradeKind.js';

export const UPGRADE_KINDS: readonly UpgradeKind[] = [hotUpgrade, coldImage, podResize];

/** The kinds that handle `sidecar` on a cluster with `capabilities` (a kind that requires one the cluster lacks handles none). */
export const upgradeKindsFor = (sidecar: Omit<RolloutSidecar, 'upgradeKinds'>, capabilities: RolloutCapabilities): UpgradeKind[] =>
  UPGRADE_KINDS.filter((kind) => (!kind.requires || capabilities[kind.requires] === true) && kind.handles(sidecar));

export type { CarrierContainer, ContainerChange, KindChange, PodUpgradeView, RolloutCapabilities, SidecarProgress, UpgradeKind } from './upgradeKind.js';
export { NO_CAPABILITIES } from './upgradeKind.js';
export { resizeRefusalKey } from './podResize.js';
export { kindChanges, podFollowUp } from './kindChanges.js';
