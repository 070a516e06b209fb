// The status the controller writes on a SidecarSet, as OpenKruise's calculateStatus counts it:
// matchedPods, updatedPods (recorded hash is the current one), readyPods (sidecars consistent and the
// pod Running and Ready) and updatedReadyPods (both). collisionCount is carried over.
import type { Pod, SidecarSet, SidecarSetStatus } from '@sidecarset/api';
import { rolloutContext } from './rolloutContext.js';
import type { RolloutCapabilities } from './upgradeKinds/index.js';
import { rolloutPods, type RolloutPod } from './rolloutPods.js';

export interface RolloutCounts {
  matched: number;
  updated: number;
  ready: number;
  updatedReady: number;
  /** Updated pods whose sidecars are not yet consistent, or that are not ready. */
  unavailable: number;
}

export function countRolloutPods(matched: readonly RolloutPod[]): RolloutCounts {
  const counts: RolloutCounts = { matched: matched.length, updated: 0, ready: 0, updatedReady: 0, unavailable: 0 };
  for (const { state } of matched) {
    const available = state.consistent && state.ready;
    if (available) counts.ready++;
    if (!state.updated) continue;
    counts.updated++;
    if (available) counts.updatedReady++;
    else counts.unavailable++;
  }
  return counts;
}

export function sidecarSetStatus(sidecarSet: SidecarSet, pods: readonly Pod[], latestRevision: string, capabilities?: RolloutCapabilities): SidecarSetStatus {
  const counts = countRolloutPods(rolloutPods(rolloutContext(sidecarSet, capabilities), pods).matched);
  const generation = sidecarSet.metadata?.generation;
  const collisionCount = sidecarSet.status?.collisionCount;
  return {
    ...(generation !== undefined && { observedGeneration: generation }),
    matchedPods: counts.matched,
    updatedPods: counts.updated,
    readyPods: counts.ready,
    updatedReadyPods: counts.updatedReady,
    latestRevision,
    ...(collisionCount !== undefined && { collisionCount }),
  };
}
