// The default order in which pods are updated, kube-controller's ActivePods ordering as OpenKruise
// applies it to SidecarSet candidates: pods that are cheapest to disturb go first.
//   1. not yet scheduled before scheduled;
//   2. Pending before Unknown before Running;
//   3. not ready before ready;
//   4. ready for less time before ready for longer (a Ready transition that is later, or missing);
//   5. more container restarts before fewer;
//   6. newer before older (creationTimestamp; a missing one first).
// Ties keep a stable order by "namespace/name", so the plan is the same on every run.
import type { Pod } from '@sidecarset/api';
import { isPodReadyConditionTrue, podReadyCondition } from './podReadiness.js';

/** Everything the comparison reads, extracted once per pod. */
export interface PodOrderKey {
  key: string;
  scheduled: boolean;
  phase: number;
  ready: boolean;
  /** ms since epoch of the Ready transition; NaN when unknown. */
  readySince: number;
  restarts: number;
  /** ms since epoch; NaN when unknown. */
  created: number;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

export function podOrderKey(pod: Pod, key: string): PodOrderKey {
  const ready = isPodReadyConditionTrue(pod);
  let restarts = 0;
  for (const status of pod.status?.containerStatuses ?? []) restarts = Math.max(restarts, status.restartCount ?? 0);
  return {
    key,
    scheduled: Boolean(pod.spec?.nodeName),
    phase: PHASE_ORDER[pod.status?.phase ?? ''] ?? 0,
    ready,
    readySince: ready ? Date.parse(podReadyCondition(pod)?.lastTransitionTime ?? '') : Number.NaN,
    restarts,
    created: Date.parse(pod.metadata?.creationTimestamp ?? ''),
  };
}

/** Negative when `a` is later than `b` or `a` is unknown (and `b` is not): "afterOrZero" in kube-controller. */
function laterOrUnknownFirst(a: number, b: number): number {
  const aUnknown = Number.isNaN(a);
  const bUnknown = Number.isNaN(b);
  if (aUnknown || bUnknown) return aUnknown === bUnknown ? 0 : aUnknown ? -1 : 1;
  return b - a;
}

export function compareDefaultOrder(a: PodOrderKey, b: PodOrderKey): number {
  if (a.scheduled !== b.scheduled) return a.scheduled ? 1 : -1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.ready && b.ready) {
    const since = laterOrUnknownFirst(a.readySince, b.readySince);
    if (since !== 0) return since;
  }
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  const created = laterOrUnknownFirst(a.created, b.created);
  if (created !== 0) return created;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
