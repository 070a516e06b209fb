// One pod's job-exit reconcile: plan with the core (planJobExit), write the phase first (so the swapped
// ignore-exit-code sidecars' exit codes cannot decide it), then the swaps, then say what was done or
// why a sidecar still runs. Idempotent: a pod already swapped plans nothing more.
import type { Pod } from '@sidecarset/api';
import { planJobExit } from '@sidecarset/core';
import { involvedObjectOf, POD_TYPE, type EventRecorder } from '../runtime/index.js';
import type { JobExitWriter } from './jobExitWriter.js';

export interface JobExitDeps {
  pod: (key: string) => Pod | undefined;
  writer: JobExitWriter;
  events: EventRecorder;
  exitImage?: string;
  now: () => Date;
}

export type JobExitOutcome = 'nothing' | 'swapped' | 'phase' | 'stuck' | 'gone';

export async function reconcileJobExit(key: string, deps: JobExitDeps): Promise<JobExitOutcome> {
  const pod = deps.pod(key);
  if (!pod) return 'gone';
  const plan = planJobExit(pod, deps.exitImage ? { exitImage: deps.exitImage } : {});
  const object = involvedObjectOf({ ...POD_TYPE, metadata: pod.metadata }, POD_TYPE);
  let outcome: JobExitOutcome = 'nothing';
  if (plan.phase) {
    await deps.writer.setPhase(pod, plan.phase, deps.now());
    void deps.events.record(object, 'Normal', 'SidecarTerminated', `app containers ended: phase ${plan.phase}, from the app containers (sidecars with KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE left out)`);
    outcome = 'phase';
  }
  if (plan.swaps.length > 0) {
    await deps.writer.swapImages(pod, plan.swaps);
    const list = plan.swaps.map((s) => `${s.name} -> ${s.value}`).join(', ');
    void deps.events.record(object, 'Normal', 'SidecarExitImage', `app containers ended: stopping sidecars by an in-place swap to an exit image (${list})`);
    outcome = outcome === 'phase' ? 'phase' : 'swapped';
  }
  if (plan.stuck.length > 0) {
    const list = plan.stuck.map((s) => `${s.name}: ${s.reason}`).join('; ');
    void deps.events.record(object, 'Warning', 'SidecarStillRunning', `app containers ended but sidecars keep the pod running (${list})`);
    if (outcome === 'nothing') outcome = 'stuck';
  }
  return outcome;
}
