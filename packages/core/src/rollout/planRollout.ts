// One round of a SidecarSet's in-place rollout, as OpenKruise v1.9's GetNextUpgradePods plans it, with
// a reason for every matched pod that is left waiting.
//  1. Candidates: matched pods not yet updated, selected by updateStrategy.selector (canary), whose
//     sidecars differ from the SidecarSet only in images, and with no earlier in-place update still
//     running on a ready sidecar.
//  2. Order: the default order (unscheduled, pending, not ready first; newer before older), then
//     priorityStrategy, then scatterStrategy.
//  3. Partition: the last `partition` candidates in that order stay on the old revision. As in
//     OpenKruise, partition counts candidates, not pods: pods a canary selector leaves out, or that
//     cannot be upgraded in place, stay old on top of it.
//  0. Follow-ups first: pods where an upgrade kind has writes due after an upgrade completed (hot
//     upgrade: the old twin back to the empty image) are listed in `followUps`, and while there are
//     any the round updates no other pod, as OpenKruise flips hot-upgrade containers and returns.
//  4. Budget: the remaining candidates in order; a not-ready one is updated without using the budget
//     (it is unavailable already), a ready one while the updated pods that are unavailable (sidecars
//     not yet consistent, or pod not ready) stay below maxUnavailable. The first ready candidate over
//     budget ends the round, as in OpenKruise: the candidates behind it wait, not-ready ones too.
// tools/kruise/test/rolloutParity.integration.test.ts runs the same rollouts under OpenKruise's
// controller and ours and compares them round by round.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { labelSelectorMatches } from '../labels/labelSelector.js';
import { comparePriority, priorityKeyFunction } from './priorityOrder.js';
import { rolloutContext } from './rolloutContext.js';
import { maxUnavailableCount, partitionCount } from './rolloutCounts.js';
import { compareDefaultOrder, podOrderKey } from './rolloutOrder.js';
import { rolloutPods, type RolloutPod } from './rolloutPods.js';
import { expandScatterTerms, scatterOrder } from './scatterOrder.js';
import { podUpgradeView } from './podSidecarStatus.js';
import { countRolloutPods } from './sidecarSetStatus.js';
import { kindChanges, podFollowUp, type RolloutCapabilities } from './upgradeKinds/index.js';

export interface RolloutPlan {
  matched: number;
  updated: number;
  updatedReady: number;
  ready: number;
  /** Updated pods whose sidecars are not yet consistent, or that are not ready. */
  unavailable: number;
  /** maxUnavailable - unavailable: how many ready pods this round may take down (may be negative). */
  budget: number;
  /** "namespace/name" of the pods to update in this round, in order. */
  next: string[];
  /**
   * Every matched pod not yet updated and not in `next`, with why; then the pods the SidecarSet selects
   * that are not part of the rollout (not injected with it, or no longer active), also with why.
   */
  waiting: { pod: string; reason: string }[];
  /**
   * Matched pods not yet updated whose sidecars differ from the SidecarSet in more than the image,
   * among those the rollout would take now: as OpenKruise reports them (its NotUpgradable condition),
   * not while the rollout is paused or NotUpdate, nor for pods a canary selector leaves out.
   */
  notUpgradable: { pod: string; reason: string }[];
  /** "namespace/name" of the pods whose upgrade kinds have a follow-up write due (podFollowUpPatch), in pod order. */
  followUps: string[];
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/**
 * `pods`: the pods of the namespaces the SidecarSet selects (spec.namespaceSelector is the caller's to
 * apply); others are ignored. `now` is part of the contract for time-based rules; no rule reads it yet.
 */
export function planRollout(sidecarSet: SidecarSet, pods: readonly Pod[], _now: Date, capabilities?: RolloutCapabilities): RolloutPlan {
  const ctx = rolloutContext(sidecarSet, capabilities);
  const { matched, excluded } = rolloutPods(ctx, pods);
  const counts = countRolloutPods(matched);
  const strategy = sidecarSet.spec.updateStrategy ?? {};
  const partition = partitionCount(strategy.partition, counts.matched);
  const maxUnavailable = maxUnavailableCount(strategy.maxUnavailable, counts.matched);
  const budget = maxUnavailable - counts.unavailable;

  const next: string[] = [];
  const waiting: { pod: string; reason: string }[] = [];
  const notUpgradable: { pod: string; reason: string }[] = [];
  const candidates: RolloutPod[] = [];
  const blocked = strategy.type === 'NotUpdate' ? 'updateStrategy.type is NotUpdate' : strategy.paused ? 'rollout paused (updateStrategy.paused)' : undefined;

  const followUps: string[] = [];
  const followUpKinds = new Set<string>();
  if (!blocked) {
    for (const entry of matched) {
      const due = podFollowUp(podUpgradeView(ctx, entry.pod));
      if (!due) continue;
      followUps.push(entry.key);
      for (const kind of due.kinds) followUpKinds.add(kind);
    }
  }
  const finishing = followUps.length > 0 ? `${plural(followUps.length, 'pod')} first finish their ${[...followUpKinds].join(', ')} (follow-up writes)` : undefined;

  for (const entry of matched) {
    const { state, key } = entry;
    if (state.updated) continue;
    if (blocked) waiting.push({ pod: key, reason: blocked });
    else if (finishing) waiting.push({ pod: key, reason: finishing });
    else if (strategy.selector && !labelSelectorMatches(strategy.selector, entry.pod.metadata?.labels)) {
      waiting.push({ pod: key, reason: 'not selected by updateStrategy.selector (canary)' });
    } else if (!state.upgradable) {
      notUpgradable.push({ pod: key, reason: state.reason });
      waiting.push({ pod: key, reason: `not upgradable: ${state.reason}` });
    } else if (state.inFlight) {
      waiting.push({ pod: key, reason: `the previous in-place update of container ${state.inFlight} has not finished (its imageID has not changed)` });
    } else candidates.push(entry);
  }

  const ordered = orderCandidates(candidates, matched, sidecarSet);
  const allowed = Math.max(0, ordered.length - partition);
  let unavailable = counts.unavailable;
  let stoppedAt: string | undefined;
  let stopReason = '';
  for (const [index, entry] of ordered.entries()) {
    if (index >= allowed) {
      waiting.push({ pod: entry.key, reason: `partition keeps ${plural(partition, 'pod')} of those this rollout may update on the old revision` });
    } else if (stoppedAt) {
      waiting.push({ pod: entry.key, reason: entry.state.ready ? stopReason : `waits behind ${stoppedAt} in the update order (${stopReason})` });
    } else if (!entry.state.ready) {
      next.push(entry.key);
    } else if (unavailable >= maxUnavailable) {
      stoppedAt = entry.key;
      stopReason = budgetReason(maxUnavailable, counts.unavailable, unavailable - counts.unavailable);
      waiting.push({ pod: entry.key, reason: stopReason });
    } else {
      next.push(entry.key);
      unavailable++;
    }
  }
  waiting.push(...excluded);

  return {
    matched: counts.matched,
    updated: counts.updated,
    updatedReady: counts.updatedReady,
    ready: counts.ready,
    unavailable: counts.unavailable,
    budget,
    next,
    waiting,
    notUpgradable,
    followUps,
  };
}

/**
 * The upgrade kinds that would change something on `pod` now ("cold image", "resize", ...), in the
 * order of the sidecars' kinds: what `kubectl-sidecarset plan` shows per pod.
 */
export function podUpgradeKinds(sidecarSet: SidecarSet, pod: Pod, capabilities?: RolloutCapabilities): string[] {
  const names = new Set<string>();
  kindChanges(podUpgradeView(rolloutContext(sidecarSet, capabilities), pod), (kind, view, sidecar) => {
    const change = kind.upgrade(view, sidecar);
    if (change.containers.length > 0 || Object.keys(change.annotations).length > 0) names.add(kind.name);
    return change;
  });
  return [...names];
}

function budgetReason(maxUnavailable: number, unavailable: number, inRound: number): string {
  if (unavailable === 0 && inRound === 0) return `maxUnavailable ${maxUnavailable} lets no ready pod be updated`;
  const parts: string[] = [];
  if (unavailable > 0) parts.push(`${plural(unavailable, 'updated pod')} not yet ready`);
  if (inRound > 0) parts.push(`${inRound}${unavailable > 0 ? ' more' : ''} updating in this round`);
  return `maxUnavailable ${maxUnavailable} reached (${parts.join(', ')})`;
}

function orderCandidates(candidates: readonly RolloutPod[], matched: readonly RolloutPod[], sidecarSet: SidecarSet): RolloutPod[] {
  const strategy = sidecarSet.spec.updateStrategy ?? {};
  const keyed = candidates.map((entry) => ({ entry, order: podOrderKey(entry.pod, entry.key) }));
  keyed.sort((a, b) => compareDefaultOrder(a.order, b.order));
  let order = keyed.map(({ entry }) => entry);
  const priorityOf = priorityKeyFunction(strategy.priorityStrategy);
  if (priorityOf) {
    const prioritised = order.map((entry, index) => ({ entry, index, priority: priorityOf(entry.pod.metadata?.labels) }));
    prioritised.sort((a, b) => comparePriority(a.priority, b.priority) || a.index - b.index);
    order = prioritised.map(({ entry }) => entry);
  }
  const scatter = strategy.scatterStrategy ?? [];
  if (scatter.length > 0) {
    const all = matched.map((entry) => entry.pod.metadata?.labels);
    order = scatterOrder(order, (entry) => entry.pod.metadata?.labels, expandScatterTerms(scatter, all), all);
  }
  return order;
}
