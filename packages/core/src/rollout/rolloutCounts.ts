// How many pods updateStrategy.partition keeps and updateStrategy.maxUnavailable allows, as OpenKruise
// computes them for a SidecarSet: an integer is a number of pods, "N%" a share of the matched pods
// rounded UP (GetScaledValueFromIntOrPercent with roundUp). A percentage partition below "100%" that
// rounds up to every pod keeps one pod fewer, so that at least one pod is updated
// (CalculatePartitionReplicas, with more than one pod); "100%" keeps them all.
import { DEFAULT_MAX_UNAVAILABLE } from '../defaults/defaultSidecarSet.js';

const PERCENT = /^(\d+)%$/;

/** The value of an int-or-percent field over `total` pods, rounded up; undefined when it cannot be read. */
export function scaledIntOrPercent(value: number | string, total: number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const percent = PERCENT.exec(value);
  if (!percent) return undefined; // "5" is neither a number nor a percentage: validation rejects it
  return Math.ceil((Number(percent[1]) * total) / 100);
}

/** Pods the partition keeps on the old revision, between 0 and `matched`. Unreadable means 0, as in Kruise. */
export function partitionCount(partition: number | string | undefined, matched: number): number {
  if (partition === undefined || partition === null) return 0;
  let kept = scaledIntOrPercent(partition, matched) ?? 0;
  if (typeof partition === 'string' && partition !== '100%' && matched > 1 && kept >= matched) kept = matched - 1;
  return Math.max(0, Math.min(kept, matched));
}

/** Most updated pods that may be unavailable at once (default 1). Unreadable means the default. */
export function maxUnavailableCount(maxUnavailable: number | string | undefined, matched: number): number {
  if (maxUnavailable === undefined || maxUnavailable === null) return DEFAULT_MAX_UNAVAILABLE;
  return scaledIntOrPercent(maxUnavailable, matched) ?? DEFAULT_MAX_UNAVAILABLE;
}
