// Level-triggered reconcile of one SidecarSet: read it and its pods from the caches, record its
// revision history, upgrade the next round of pods in place, explain every pod it will not upgrade,
// tell people how the rollout goes, and write its status. Safe to run twice and after a crash: every
// decision is recomputed from what the cluster holds.
import { isAlreadyExists, isConflict, isInvalid, isNotFound, type ControllerRevision, type Pod, type SidecarSet } from '@sidecarset/api';
import { newSidecarSetRevision, planHistory, planRollout, revisionName, podFollowUpPatch, sidecarSetStatus, type RolloutCapabilities, type RolloutPlan } from '@sidecarset/core';
import { involvedObjectOf, POD_TYPE, SIDECARSET_TYPE, type EventRecorder } from '../runtime/index.js';
import type { ReconcileResult } from '../runtime/workQueue.js';
import { UPGRADABLE_CONDITION, type ClusterWriter } from './clusterWriter.js';
import { upgradePod } from './upgradePod.js';

export interface ReconcileDeps {
  sidecarSet(name: string): SidecarSet | undefined;
  podsOf(name: string): Pod[];
  revisions(): ControllerRevision[];
  writer: ClusterWriter;
  events: Pick<EventRecorder, 'record'>;
  /** Namespace of the SidecarSets' ControllerRevisions. */
  revisionNamespace: string;
  now(): Date;
  /** A rollout that makes no progress this long gets a RolloutBlocked event. */
  blockedAfterMs: number;
  /** How soon to look again while a rollout is under way (pod events usually come first). */
  resyncWhileRollingMs: number;
  /** What the cluster offers the upgrade kinds (pods/resize, discovered) and the resizes it refused; default none. */
  capabilities?: RolloutCapabilities & { refusedResizes?: Map<string, string> };
  /** Told after each reconcile whether the SidecarSet's rollout is blocked (undefined: deleted), for the metric. */
  rolloutBlocked?(name: string, blocked: boolean | undefined): void;
}

/** Pod patches in flight at once: a round of hundreds of pods should not wait for each in turn. */
const PATCH_CONCURRENCY = 64;
/** Revision names tried past a collision before the reconcile fails (each is a new 32-bit hash). */
const MAX_COLLISIONS = 10;

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const podKeyOf = (pod: Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/** Per SidecarSet, when the rollout last moved: progress is what a Blocked event measures. */
const lastProgress = new Map<string, { updated: number; at: number }>();

export async function reconcileSidecarSet(name: string, deps: ReconcileDeps): Promise<ReconcileResult | undefined> {
  const sidecarSet = deps.sidecarSet(name);
  if (!sidecarSet) {
    lastProgress.delete(name);
    deps.rolloutBlocked?.(name, undefined);
    return; // deleted: its revisions go with it (owner references)
  }
  const now = deps.now();
  const pods = deps.podsOf(name);
  const { latestRevision, collisionCount } = await syncHistory(sidecarSet, pods, deps);

  const capabilities = deps.capabilities ?? { podResize: false };
  const plan = planRollout(sidecarSet, pods, now, capabilities);
  const byKey = new Map(pods.map((p) => [podKeyOf(p), p]));
  let conflicts = 0;
  // An upgrade for the pods of this round; the follow-up an upgrade kind has due for others (hot
  // upgrade: the old twin back to the empty image). The planner lists no pod in both.
  const followUps = new Set(plan.followUps);
  const upgrade = async (pod: Pod) => {
    try {
      if (followUps.has(podKeyOf(pod))) {
        const ops = podFollowUpPatch(sidecarSet, pod, now, capabilities);
        if (ops) await deps.writer.patchPod(pod, ops);
      } else if ((await upgradePod(sidecarSet, pod, now, deps.writer, capabilities)) === 'resize-refused') {
        conflicts++; // look again soon: the planner now reports the pod not upgradable
      }
    } catch (error) {
      // Changed or gone since the cache saw it: the next reconcile decides again on fresh data.
      if (isConflict(error) || isInvalid(error) || isNotFound(error)) conflicts++;
      else throw error;
    }
  };
  // The status counts the pods as the cache has them before this round, so all of these writes are
  // independent: they go together, and a round costs one API round trip, not one after another.
  const status = { ...sidecarSetStatus(sidecarSet, pods, latestRevision, capabilities), ...(collisionCount !== undefined && { collisionCount }) };
  const writeStatus = async (): Promise<'conflict' | undefined> => {
    if (sameStatus(sidecarSet.status, status)) return;
    try {
      await deps.writer.updateSidecarSetStatus(sidecarSet, status);
    } catch (error) {
      if (isConflict(error)) return 'conflict';
      throw error;
    }
  };
  const [statusWrite] = await Promise.all([
    writeStatus(),
    inParallel([...plan.followUps, ...plan.next].flatMap((key) => byKey.get(key) ?? []), PATCH_CONCURRENCY, upgrade),
    explainNotUpgradable(sidecarSet, plan, byKey, deps, now),
    reportRollout(sidecarSet, plan, latestRevision, deps, now),
  ]);
  if (statusWrite === 'conflict') return { requeue: true };
  const target = plan.matched - plan.notUpgradable.length;
  const rolling = plan.next.length > 0 || plan.followUps.length > 0 || conflicts > 0 || plan.updated < target;
  return rolling ? { requeueAfterMs: conflicts > 0 ? 200 : deps.resyncWhileRollingMs } : undefined;
}

/**
 * Makes sure the current spec has its ControllerRevision and prunes the history; returns its name and
 * the collision count the status carries.
 */
async function syncHistory(sidecarSet: SidecarSet, pods: Pod[], deps: ReconcileDeps): Promise<{ latestRevision: string; collisionCount?: number }> {
  const revisions = deps.revisions();
  const plan = planHistory(sidecarSet, revisions, pods);
  let collisionCount = sidecarSet.status?.collisionCount;
  let latest = plan.current?.metadata?.name;
  if (!latest) {
    // A revision of that name recording another spec is a hash collision: as Kubernetes does, the
    // count goes up (and into the status) until the name is free. Bounded: names are 32-bit hashes.
    const taken = new Set(revisions.map((r) => r.metadata?.name));
    const from = collisionCount ?? 0;
    let count = from;
    while (taken.has(revisionName(sidecarSet, count))) {
      if (++count >= from + MAX_COLLISIONS) throw new Error(`SidecarSet ${sidecarSet.metadata?.name}: ${MAX_COLLISIONS} revision names in a row are taken by other revisions`);
    }
    if (count !== from) collisionCount = count;
    const revision = newSidecarSetRevision(sidecarSet, deps.revisionNamespace, plan.nextRevisionNumber, count);
    try {
      latest = (await deps.writer.createRevision(revision)).metadata?.name;
    } catch (error) {
      // Another replica, or this one before a crash, created it already; should it record another
      // spec, the next reconcile sees it in the cache and counts a collision.
      if (!isAlreadyExists(error)) throw error;
      latest = revision.metadata?.name;
    }
  }
  for (const old of plan.prune) {
    await deps.writer.deleteRevision(old).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }
  return { latestRevision: latest ?? '', ...(collisionCount !== undefined && { collisionCount }) };
}

async function explainNotUpgradable(sidecarSet: SidecarSet, plan: RolloutPlan, pods: Map<string, Pod>, deps: ReconcileDeps, now: Date): Promise<void> {
  for (const { pod: key, reason } of plan.notUpgradable) {
    const pod = pods.get(key);
    if (!pod) continue;
    const message = `SidecarSet ${sidecarSet.metadata?.name}: ${reason}`;
    const current = pod.status?.conditions?.find((c) => c.type === UPGRADABLE_CONDITION);
    if (current?.status === 'False' && current.message === message) continue; // said already
    await deps.writer.setPodCondition(pod, { status: 'False', reason: 'SidecarNotUpgradable', message }, now).catch((error: unknown) => {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    });
    await deps.events.record(involvedObjectOf(pod, POD_TYPE), 'Warning', 'SidecarNotUpgradable', message); // the reason says what the pod keeps
  }
}

async function reportRollout(sidecarSet: SidecarSet, plan: RolloutPlan, revision: string, deps: ReconcileDeps, now: Date): Promise<void> {
  const name = sidecarSet.metadata?.name ?? '';
  const object = involvedObjectOf(sidecarSet, SIDECARSET_TYPE);
  const previous = lastProgress.get(name);
  if (!previous || previous.updated !== plan.updated || plan.next.length > 0) lastProgress.set(name, { updated: plan.updated, at: now.getTime() });
  deps.rolloutBlocked?.(name, false); // until the blocked case below says otherwise
  if (plan.next.length > 0) {
    const reason = sidecarSet.status?.updatedPods === 0 || plan.updated === 0 ? 'RolloutStarted' : 'RolloutProgressed';
    await deps.events.record(object, 'Normal', reason, `upgrading ${plan.next.length} pod(s) in place to revision ${revision}; ${plan.updated}/${plan.matched} updated before this round`);
    return;
  }
  // Once, when the status written so far had not yet seen every pod updated and ready.
  if (plan.matched > 0 && plan.updated === plan.matched && plan.unavailable === 0 && (sidecarSet.status?.updatedReadyPods ?? 0) < plan.matched) {
    await deps.events.record(object, 'Normal', 'RolloutComplete', `all ${plan.matched} matched pods run revision ${revision}`);
    return;
  }
  const stalledFor = now.getTime() - (lastProgress.get(name)?.at ?? now.getTime());
  const budgetWait = plan.waiting.find((w) => w.reason.startsWith('maxUnavailable'));
  if (budgetWait && plan.unavailable > 0 && stalledFor >= deps.blockedAfterMs) {
    deps.rolloutBlocked?.(name, true);
    await deps.events.record(object, 'Warning', 'RolloutBlocked', `no progress for ${Math.round(stalledFor / 1000)} s: ${budgetWait.reason}`);
  }
}

function sameStatus(a: SidecarSet['status'], b: NonNullable<SidecarSet['status']>): boolean {
  if (!a) return false;
  return (Object.keys(b) as (keyof typeof b)[]).every((k) => a[k] === b[k]);
}
