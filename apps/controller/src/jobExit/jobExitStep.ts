// The job-exit step of the controller: a watch of the pods that run with restartPolicy Never or
// OnFailure (field selector, trimmed to what the planner reads), a work queue keyed by pod, and
// reconciles (reconcileJobExit.ts) while the controller leads. Like OpenKruise's SidecarTerminator it
// acts on any such pod whose containers carry KRUISE_TERMINATE_SIDECAR_* variables, injected or not:
// the swap only changes an image of the pod's own container to one its author (or the controller's
// configuration) named, which the author could have written at creation.
import type { KubeConfig } from '@kubernetes/client-node';
import { podInformer, type Informer, type Pod } from '@sidecarset/api';
import { endedJobSidecars } from '@sidecarset/core';
import type { Logger } from 'pino';
import { WorkQueue, type ControllerMetrics, type EventRecorder } from '../runtime/index.js';
import { apiServerJobExitWriter, type JobExitWriter } from './jobExitWriter.js';
import { JOB_POD_FIELD_SELECTOR, jobExitPodView } from './jobExitPodView.js';
import { reconcileJobExit } from './reconcileJobExit.js';

export interface JobExitStepOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  metrics: ControllerMetrics;
  events: EventRecorder;
  /** --exit-image: the image a sidecar without KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE is swapped to. */
  exitImage?: string;
  /** For tests: the writes. */
  writer?: JobExitWriter;
}

export interface JobExitStep {
  informers: Informer<{ metadata?: object }>[];
  run(workers: number): Promise<void>;
  shutDown(): Promise<void>;
}

const keyOf = (pod: Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

export function createJobExitStep(options: JobExitStepOptions): JobExitStep {
  const onError = (error: unknown) => options.log.warn({ err: error }, 'job pod watch restarted');
  const pods = podInformer(options.kubeConfig, { fieldSelector: JOB_POD_FIELD_SELECTOR }, { onError, transform: jobExitPodView as (object: never) => unknown });
  const queue = new WorkQueue<string>({ hooks: options.metrics.workQueueHooks('job-exit') });
  const writer = options.writer ?? apiServerJobExitWriter(options.kubeConfig, (kind) => options.metrics.podWrites.inc({ kind }));
  // Only pods whose app has ended with a sidecar still running are queued: the others need nothing.
  pods.subscribe((event) => {
    if (event.type !== 'delete' && endedJobSidecars(event.object)) queue.add(keyOf(event.object));
  });
  return {
    informers: [pods] as never,
    async run(workers) {
      for (const pod of pods.list()) if (endedJobSidecars(pod)) queue.add(keyOf(pod));
      await queue.run(workers, async (key) => {
        const outcome = await reconcileJobExit(key, { pod: (k) => pods.get(k), writer, events: options.events, ...(options.exitImage ? { exitImage: options.exitImage } : {}), now: () => new Date() });
        if (outcome !== 'nothing' && outcome !== 'gone') options.log.info({ pod: key, outcome }, 'job pod sidecars');
      });
    },
    shutDown: () => queue.shutDown(),
  };
}
