// `rollout status`: is a SidecarSet's rollout complete, still moving, or blocked, and why. Read from
// the SidecarSet (has the controller seen this generation?) and from the same planRollout the
// controller runs on the live pods (what the next round would do, why each other pod waits).
import type { SidecarSet } from '@sidecarset/api/offline';
import type { RolloutPlan } from '@sidecarset/core';

export type RolloutState = 'complete' | 'progressing' | 'blocked';

export interface RolloutProgress {
  state: RolloutState;
  /** One line, as kubectl rollout status prints it. */
  message: string;
  matched: number;
  updated: number;
  updatedReady: number;
  /** Why the pods not updated wait, most frequent first (blocked or partitioned only). */
  reasons: { reason: string; pods: number }[];
}

const PARTITION = /^partition keeps /;
const IN_FLIGHT = /^the previous in-place update of container /;

function groupReasons(waiting: readonly { reason: string }[]): { reason: string; pods: number }[] {
  const counts = new Map<string, number>();
  for (const { reason } of waiting) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, pods]) => ({ reason, pods })).sort((a, b) => b.pods - a.pods || a.reason.localeCompare(b.reason));
}

export function rolloutProgress(sidecarSet: SidecarSet, plan: RolloutPlan): RolloutProgress {
  const name = sidecarSet.metadata?.name ?? '';
  const counts = { matched: plan.matched, updated: plan.updated, updatedReady: plan.updatedReady };
  const base = { ...counts, reasons: [] as { reason: string; pods: number }[] };
  const generation = sidecarSet.metadata?.generation;
  const observed = sidecarSet.status?.observedGeneration;
  if (generation !== undefined && (observed === undefined || observed < generation)) {
    return { ...base, state: 'progressing', message: `Waiting for sidecarset "${name}" spec update to be observed (generation ${generation}, observed ${observed ?? 'none'})...` };
  }
  if (plan.updated === plan.matched && plan.updatedReady === plan.matched) {
    return { ...base, state: 'complete', message: `sidecarset "${name}" successfully rolled out: ${plan.matched} of ${plan.matched} pods updated and ready` };
  }
  // The waiting list starts with the matched pods not updated and not in the next round; the pods the
  // SidecarSet selects but does not roll out (not injected, inactive) follow them.
  const rolloutWaiting = plan.waiting.slice(0, Math.max(0, plan.matched - plan.updated - plan.next.length));
  const progressing = `Waiting for sidecarset "${name}" rollout to finish: ${plan.updated} of ${plan.matched} pods updated, ${plan.updatedReady} ready`;
  if (plan.next.length > 0 || plan.unavailable > 0 || rolloutWaiting.some((w) => IN_FLIGHT.test(w.reason))) {
    return { ...base, state: 'progressing', message: `${progressing}${plan.next.length ? `; ${plan.next.length} in the next round` : ''}...` };
  }
  const reasons = groupReasons(rolloutWaiting);
  if (rolloutWaiting.length > 0 && rolloutWaiting.every((w) => PARTITION.test(w.reason))) {
    return { ...base, reasons, state: 'complete', message: `sidecarset "${name}" partitioned rollout complete: ${plan.updated} of ${plan.matched} pods updated, ${rolloutWaiting.length} kept on the old revision by partition` };
  }
  const top = reasons[0];
  return {
    ...base,
    reasons,
    state: 'blocked',
    message: `sidecarset "${name}" rollout blocked: ${plan.updated} of ${plan.matched} pods updated, ${plan.matched - plan.updated} waiting${top ? ` (${top.pods}: ${top.reason}${reasons.length > 1 ? `; and ${reasons.length - 1} other reason${reasons.length > 2 ? 's' : ''}` : ''})` : ''}`,
  };
}
