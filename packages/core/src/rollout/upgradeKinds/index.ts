// The upgrade kinds there are, and which of them handle a sidecar. A new kind is one more file here
// and one more entry in UPGRADE_KINDS (docs/design/upgrade-kinds.md).
import type { RolloutSidecar } from '../rolloutContext.js';
import { coldImage } from './coldImage.js';
import { hotUpgrade } from './hotUpgrade.js';
import type { UpgradeKind } from './upgradeKind.js';

export const UPGRADE_KINDS: readonly UpgradeKind[] = [hotUpgrade, coldImage];

export const upgradeKindsFor = (sidecar: Omit<RolloutSidecar, 'upgradeKinds'>): UpgradeKind[] => UPGRADE_KINDS.filter((kind) => kind.handles(sidecar));

export type { CarrierContainer, ContainerChange, KindChange, PodUpgradeView, SidecarProgress, UpgradeKind } from './upgradeKind.js';
export { kindChanges, podFollowUp } from './kindChanges.js';
