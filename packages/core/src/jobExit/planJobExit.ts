// What the controller does for a Job pod whose app containers have ended but whose regular sidecars
// still run (restartPolicy Never: every app container terminated; OnFailure: every one exited 0, as
// the kubelet restarts the others), without a node daemon: an in-place image swap of each such sidecar
// to an image that exits (its own KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE, else the exit image
// the controller is configured with). With neither, the sidecar is reported as stuck, with why.
// Sidecars with KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE: once the other sidecars have ended, the pod's
// phase is written from the app containers (Succeeded when all exited 0, else Failed) with the
// condition SidecarTerminated, as OpenKruise's SidecarTerminator does, and then they are swapped too.
// Pure: the pod as read in, the plan out.
import type { ContainerStatus, Pod } from '@sidecarset/api';
import type { ContainerChange } from '../rollout/upgradeKinds/upgradeKind.js';
import { jobSidecarOf, type JobSidecar } from './jobSidecars.js';

/**
 * One container's image set in place: an upgrade kind's ContainerChange (rollout/upgradeKinds/), so the
 * same patch shape carries it. Not a registered kind: the kinds answer the SidecarSet rollout (bring a
 * pod to the SidecarSet's spec), while this swap leaves that spec because the pod's app has ended.
 */
export type ExitImageSwap = Extract<ContainerChange, { field: 'image' }> & { list: 'containers' };

export interface StuckSidecar {
  name: string;
  reason: string;
}

export interface JobExitPlan {
  swaps: ExitImageSwap[];
  /** Written to the pod's status before the swaps (ignore-exit-code sidecars). */
  phase?: 'Succeeded' | 'Failed';
  /** Sidecars that keep running, and why. */
  stuck: StuckSidecar[];
}

export interface JobExitOptions {
  /** The controller's exit image (--exit-image); undefined when none is configured. */
  exitImage?: string;
}

export const SIDECAR_TERMINATED_CONDITION = 'SidecarTerminated';

const NOTHING: JobExitPlan = { swaps: [], stuck: [] };

const statusOf = (pod: Pod, name: string): ContainerStatus | undefined => pod.status?.containerStatuses?.find((s) => s.name === name);
const terminated = (status: ContainerStatus | undefined): boolean => status?.state?.terminated != null;
const succeeded = (status: ContainerStatus | undefined): boolean => status?.state?.terminated?.exitCode === 0;

/** The pod's sidecars to stop, or undefined when the pod is not a Job pod whose app has ended. */
export function endedJobSidecars(pod: Pod): JobSidecar[] | undefined {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  if (restartPolicy === 'Always' || pod.metadata?.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase !== 'Running') return undefined; // Pending: nothing ran yet; terminal: nothing left to do
  const containers = pod.spec?.containers ?? [];
  // Statuses for every container, or the kubelet has not reported them all yet.
  if ((pod.status?.containerStatuses ?? []).length !== containers.length) return undefined;
  const sidecars: JobSidecar[] = [];
  const apps: string[] = [];
  containers.forEach((container, index) => {
    const sidecar = jobSidecarOf(container, index);
    if (sidecar) sidecars.push(sidecar);
    else apps.push(container.name);
  });
  if (sidecars.length === 0 || sidecars.every((s) => terminated(statusOf(pod, s.name)))) return undefined;
  const appsEnded = restartPolicy === 'OnFailure' ? apps.every((n) => succeeded(statusOf(pod, n))) : apps.every((n) => terminated(statusOf(pod, n)));
  return appsEnded ? sidecars : undefined;
}

export function planJobExit(pod: Pod, options: JobExitOptions): JobExitPlan {
  const sidecars = endedJobSidecars(pod);
  if (!sidecars) return NOTHING;
  const running = sidecars.filter((s) => !terminated(statusOf(pod, s.name)));
  const plan: JobExitPlan = { swaps: [], stuck: [] };
  const swap = (sidecar: JobSidecar): void => {
    const image = sidecar.withImage ?? options.exitImage;
    if (!image) {
      plan.stuck.push({ name: sidecar.name, reason: 'no exit image: set KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE on the sidecar or start the controller with --exit-image' });
      return;
    }
    // Already swapped: the kubelet is restarting it on that image, which exits.
    if (pod.spec?.containers[sidecar.index]?.image === image) return;
    plan.swaps.push({ list: 'containers', index: sidecar.index, name: sidecar.name, field: 'image', value: image });
  };
  const ignoring = running.filter((s) => s.ignoreExitCode);
  running.filter((s) => !s.ignoreExitCode).forEach(swap);
  const othersEnded = sidecars.filter((s) => !s.ignoreExitCode).every((s) => terminated(statusOf(pod, s.name)));
  if (ignoring.length > 0 && othersEnded) {
    const apps = (pod.spec?.containers ?? []).filter((c) => !sidecars.some((s) => s.name === c.name));
    plan.phase = apps.every((c) => succeeded(statusOf(pod, c.name))) ? 'Succeeded' : 'Failed';
    ignoring.forEach(swap);
    // The phase is final without them: a missing exit image no longer keeps the pod open.
    plan.stuck = plan.stuck.filter((s) => !ignoring.some((i) => i.name === s.name));
  }
  return plan;
}
