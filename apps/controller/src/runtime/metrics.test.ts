import { describe, expect, it } from 'vitest';
import { FakeClock, flushPromises } from './fakeClock.js';
import { createControllerMetrics } from './metrics.js';
import { WorkQueue } from './workQueue.js';

describe('controller metrics', () => {
  it('exposes every controller metric in Prometheus text', async () => {
    const metrics = createControllerMetrics();
    metrics.podWrites.inc({ kind: 'sidecar-image' });
    metrics.leader.set({ name: 'sidecarset-controller' }, 1);
    const text = await metrics.registry.metrics();
    for (const name of ['controller_runtime_reconcile_total', 'controller_runtime_reconcile_time_seconds', 'workqueue_depth', 'workqueue_retries_total', 'workqueue_adds_total'])
      expect(text).toContain(`# TYPE ${name}`);
    expect(text).toContain('sidecarset_pod_writes_total{kind="sidecar-image"} 1');
    expect(text).toContain('leader_election_master_status{name="sidecarset-controller"} 1');
  });

  it('counts what a work queue does through its hooks', async () => {
    const metrics = createControllerMetrics();
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, hooks: metrics.workQueueHooks('sidecarset') });
    let calls = 0;
    void queue.run(1, async () => {
      if (++calls === 1) throw new Error('conflict');
    });
    queue.add('a');
    queue.add('a'); // while a is processed: once more after it (success), and the retry (success)
    await clock.advance(1000);
    const text = await metrics.registry.metrics();
    expect(text).toContain('controller_runtime_reconcile_total{controller="sidecarset",result="error"} 1');
    expect(text).toContain('controller_runtime_reconcile_total{controller="sidecarset",result="success"} 2');
    expect(text).toContain('workqueue_retries_total{name="sidecarset"} 1');
    expect(text).toContain('workqueue_adds_total{name="sidecarset"} 3');
    expect(text).toContain('workqueue_depth{name="sidecarset"} 0');
    await queue.shutDown();
    await flushPromises();
  });
});
