// Lifts the scheduling gate `sidecarset.dev/mirrors` from one pod (the key, namespace/name) once every
// mirror its spec refers to, for the SidecarSets that select it now, exists and is trusted: its UID
// is recorded in the status of a binding that authorises it. A squatted name is never trusted, so a
// pod that would mount it stays gated (Pending, SchedulingGated) until the squatting object is gone.
import { isConflict, isInvalid, isNotFound, type Pod, type SidecarSet, type SidecarSetResourceBinding } from '@sidecarset/api';
import { authorisingBindings, isPodActive, mirrorName, MIRRORS_SCHEDULING_GATE } from '@sidecarset/core';
import type { ReconcileResult } from '../runtime/workQueue.js';
import type { MirrorObject } from './mirrorObject.js';
import type { MirrorWriter } from './mirrorWriter.js';
import { liveBindings, podRefersTo, uniqueSources, type MirrorRef } from './wantedMirrors.js';

export interface GateDeps {
  pod(key: string): Pod | undefined;
  /** The SidecarSets the pod was injected with that select it now. */
  sidecarSetsOf(pod: Pod): SidecarSet[];
  bindingsIn(namespace: string): SidecarSetResourceBinding[];
  mirror(ref: MirrorRef): MirrorObject | undefined;
  writer: Pick<MirrorWriter, 'setSchedulingGates'>;
  /** `uid/resourceVersion` of pods whose gate this process lifted: the cache may show them gated a moment longer. */
  lifted: Set<string>;
}

export const isGated = (pod: Pod): boolean => pod.spec?.schedulingGates?.some((g) => g.name === MIRRORS_SCHEDULING_GATE) ?? false;

/** Whether every mirror the pod refers to exists and is trusted (a pod that refers to none has all of them). */
export function mirrorsReady(pod: Pod, deps: Omit<GateDeps, 'pod' | 'writer'>): boolean {
  const namespace = pod.metadata?.namespace ?? '';
  for (const sidecarSet of deps.sidecarSetsOf(pod)) {
    for (const source of uniqueSources(sidecarSet)) {
      const name = mirrorName(source);
      if (!podRefersTo(pod, source.kind, name)) continue;
      const stored = deps.mirror({ kind: source.kind, namespace, name });
      if (!stored) return false;
      const recorded = authorisingBindings(liveBindings(deps.bindingsIn(source.namespace)), sidecarSet.metadata?.name ?? '', source)
        .flatMap((b) => b.status?.mirrors ?? [])
        .some((m) => m.kind === source.kind && m.namespace === namespace && m.name === name && m.uid === stored.metadata?.uid);
      if (!recorded) return false;
    }
  }
  return true;
}

export async function reconcileGate(key: string, deps: GateDeps): Promise<ReconcileResult | undefined> {
  const pod = deps.pod(key);
  if (!pod || !isPodActive(pod) || !isGated(pod)) return;
  if (deps.sidecarSetsOf(pod).length === 0) return; // not ours to lift: no SidecarSet that selects it now
  if (!mirrorsReady(pod, deps)) return; // a mirror or binding event brings it back
  const seen = `${pod.metadata?.uid}/${pod.metadata?.resourceVersion}`;
  if (deps.lifted.has(seen)) return;
  try {
    await deps.writer.setSchedulingGates(pod, (pod.spec?.schedulingGates ?? []).filter((g) => g.name !== MIRRORS_SCHEDULING_GATE));
    deps.lifted.add(seen);
    if (deps.lifted.size > 10_000) deps.lifted.delete(deps.lifted.values().next().value!);
  } catch (error) {
    // Gone, or changed since the cache saw it (often: the gate already lifted by this very queue and
    // the cache not caught up). The pod's next event brings it back while it is still gated; a
    // rate-limited retry here would only spend the queue's shared retry budget.
    if (isNotFound(error) || isConflict(error) || isInvalid(error)) return;
    throw error;
  }
  return;
}
