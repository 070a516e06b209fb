// One Job pod's reconcile against a recording writer and an in-memory Event sink: the phase before the
// swaps, the swap's guarded patch, and the Warning Event when no exit image is configured.
import type { Event, Pod } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { EventRecorder, type EventSink } from '../runtime/index.js';
import { swapPatch, type JobExitWriter } from './jobExitWriter.js';
import { jobExitPodView } from './jobExitPodView.js';
import { reconcileJobExit } from './reconcileJobExit.js';

class Events implements EventSink {
  readonly list: Event[] = [];
  async create(_namespace: string, event: Event): Promise<Event> {
    this.list.push(event);
    return event;
  }
  async patch(): Promise<Event> {
    throw new Error('not aggregated in these tests');
  }
}

const writes: string[] = [];
const writer: JobExitWriter = {
  swapImages: async (pod, swaps) => void writes.push(`swap ${pod.metadata?.name} ${swaps.map((s) => `${s.name}=${s.value}`).join(',')}`),
  setPhase: async (pod, phase) => void writes.push(`phase ${pod.metadata?.name} ${phase}`),
};

function jobPod(env: { name: string; value: string }[]): Pod {
  return {
    metadata: { name: 'job-abc', namespace: 'batch', uid: 'u1', resourceVersion: '7', labels: { a: 'b' }, annotations: { big: 'x'.repeat(1000) } },
    spec: {
      restartPolicy: 'Never',
      containers: [
        { name: 'filebeat', image: 'busybox', env: [{ name: 'OTHER', value: 'kept out' }, ...env], args: ['sleep', '36000'] },
        { name: 'main', image: 'batch:1' },
      ],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'filebeat', image: 'busybox', imageID: 'x', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } },
        { name: 'main', image: 'batch:1', imageID: 'y', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } },
      ],
    },
  } as Pod;
}

async function run(pod: Pod, exitImage?: string) {
  writes.length = 0;
  const sink = new Events();
  const events = new EventRecorder({ sink, instance: 'test' });
  const view = jobExitPodView(pod);
  const outcome = await reconcileJobExit('batch/job-abc', { pod: () => view, writer, events, ...(exitImage ? { exitImage } : {}), now: () => new Date('2026-01-01T00:00:05Z') });
  await new Promise((r) => setTimeout(r, 10)); // events are recorded in the background
  return { outcome, events: sink.list, view };
}

describe('reconcileJobExit', () => {
  it('the view keeps only what the planner reads', () => {
    const view = jobExitPodView(jobPod([{ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' }]));
    expect(view.metadata).toEqual({ name: 'job-abc', namespace: 'batch', uid: 'u1', resourceVersion: '7' });
    expect(view.spec?.containers[0]).toEqual({ name: 'filebeat', image: 'busybox', env: [{ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' }] });
  });

  it('swaps to the configured exit image and says so in a Normal Event', async () => {
    const { outcome, events } = await run(jobPod([{ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' }]), 'sidecarset/exit:1');
    expect(outcome).toBe('swapped');
    expect(writes).toEqual(['swap job-abc filebeat=sidecarset/exit:1']);
    expect(events.map((e) => [e.type, e.reason])).toEqual([['Normal', 'SidecarExitImage']]);
  });

  it('no exit image configured: nothing written, a Warning Event saying why the pod still runs', async () => {
    const { outcome, events } = await run(jobPod([{ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' }]));
    expect(outcome).toBe('stuck');
    expect(writes).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Warning', reason: 'SidecarStillRunning', involvedObject: { kind: 'Pod', name: 'job-abc', namespace: 'batch', uid: 'u1' } });
    expect(events[0]!.message).toContain('--exit-image');
    expect(events[0]!.message).toContain('KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE');
  });

  it('ignore exit code: the phase is written before the swap', async () => {
    const { outcome } = await run(jobPod([{ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' }, { name: 'KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE', value: 'TRUE' }]), 'exit:1');
    expect(outcome).toBe('phase');
    expect(writes).toEqual(['phase job-abc Succeeded', 'swap job-abc filebeat=exit:1']);
  });

  it('the swap patch pins the container name and the image read', () => {
    const pod = jobPod([]);
    expect(swapPatch(pod, [{ list: 'containers', index: 0, name: 'filebeat', field: 'image', value: 'exit:1' }])).toEqual([
      { op: 'test', path: '/spec/containers/0/name', value: 'filebeat' },
      { op: 'test', path: '/spec/containers/0/image', value: 'busybox' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'exit:1' },
    ]);
  });
});
