import { NotFoundError, UnavailableError, type Event } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { EventRecorder, involvedObjectOf, POD_TYPE, SIDECARSET_TYPE, type EventSink } from './eventRecorder.js';
import { FakeClock } from './fakeClock.js';

class MemoryEventSink implements EventSink {
  readonly events = new Map<string, Event>();
  failing = false;

  async create(namespace: string, event: Event): Promise<Event> {
    if (this.failing) throw new UnavailableError({ code: 503, reason: 'ServiceUnavailable' });
    const stored = { ...event, metadata: { ...event.metadata, namespace } };
    this.events.set(`${namespace}/${event.metadata.name}`, stored);
    return stored;
  }

  async patch(namespace: string, name: string, patch: Partial<Event>): Promise<Event> {
    const stored = this.events.get(`${namespace}/${name}`);
    if (!stored) throw new NotFoundError({ code: 404, reason: 'NotFound' });
    Object.assign(stored, patch);
    return stored;
  }
}

const pod = involvedObjectOf({ metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' } }, POD_TYPE);

describe('EventRecorder', () => {
  it('writes an Event about a pod into the pod namespace with its reference, source and times', async () => {
    const sink = new MemoryEventSink();
    const recorder = new EventRecorder({ sink, clock: new FakeClock(Date.UTC(2025, 0, 1, 12)), instance: 'controller-0' });
    const result = await recorder.record(pod, 'Warning', 'SidecarNotUpgradable', 'sidecar1 differs in more than its image');
    expect(result.action).toBe('created');
    const [event] = [...sink.events.values()];
    expect(event).toMatchObject({
      metadata: { namespace: 'shop' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'u1' },
      type: 'Warning',
      reason: 'SidecarNotUpgradable',
      count: 1,
      firstTimestamp: '2025-01-01T12:00:00Z',
      eventTime: '2025-01-01T12:00:00.000000Z',
      source: { component: 'sidecarset-controller', host: 'controller-0' },
      reportingComponent: 'sidecarset-controller',
    });
    expect(event!.metadata.name).toMatch(/^web-0\.[0-9a-f]+$/);
  });

  it('sends events about a cluster-scoped SidecarSet to namespace default', async () => {
    const sink = new MemoryEventSink();
    const recorder = new EventRecorder({ sink });
    await recorder.record(involvedObjectOf({ metadata: { name: 'logtail' } }, SIDECARSET_TYPE), 'Normal', 'RolloutStarted', 'x');
    expect([...sink.events.keys()][0]).toMatch(/^default\/logtail\./);
  });

  it('aggregates repeats within the window, even concurrent ones, and starts a new Event after it', async () => {
    const sink = new MemoryEventSink();
    const clock = new FakeClock();
    const recorder = new EventRecorder({ sink, clock, aggregationWindowMs: 60_000 });
    const results = await Promise.all([1, 2, 3].map(() => recorder.record(pod, 'Normal', 'Upgraded', 'sidecar1 to v2')));
    expect(results.map((r) => r.action)).toEqual(['created', 'aggregated', 'aggregated']);
    expect([...sink.events.values()].map((e) => e.count)).toEqual([3]);
    await recorder.record(pod, 'Normal', 'Upgraded', 'sidecar1 to v3');
    expect(sink.events.size).toBe(2);
    await clock.advance(61_000);
    await recorder.record(pod, 'Normal', 'Upgraded', 'sidecar1 to v2');
    expect(sink.events.size).toBe(3);
  });

  it('creates a new Event when the aggregated one has expired on the server', async () => {
    const sink = new MemoryEventSink();
    const recorder = new EventRecorder({ sink });
    await recorder.record(pod, 'Normal', 'Upgraded', 'm');
    sink.events.clear();
    expect((await recorder.record(pod, 'Normal', 'Upgraded', 'm')).action).toBe('created');
  });

  it('reports a failed write instead of throwing', async () => {
    const sink = new MemoryEventSink();
    sink.failing = true;
    const errors: unknown[] = [];
    const recorder = new EventRecorder({ sink, onError: (e) => errors.push(e) });
    expect((await recorder.record(pod, 'Normal', 'Upgraded', 'm')).action).toBe('failed');
    expect(errors).toHaveLength(1);
  });
});
