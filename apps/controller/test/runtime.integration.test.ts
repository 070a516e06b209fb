// The controller runtime against a real API server: two replicas elect one leader on a Lease, hand
// over on release and on a crash, and Events are written and aggregated.
import { requestJson, type Event, type Lease } from '@sidecarset/api';
import { startControlPlane, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServerEventSink, EventRecorder, involvedObjectOf, POD_TYPE, SIDECARSET_TYPE } from '../src/runtime/eventRecorder.js';
import { LeaderElector } from '../src/runtime/leaderElection.js';
import { apiServerLeaseStore, leasePath } from '../src/runtime/leaseStore.js';

let plane: ControlPlane;

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
});
afterAll(async () => {
  await plane?.stop();
});

// A standby retries every retryPeriod * (1 + [0, 1.2)): at most 2.2 s here, well inside the 4 s lease even
// when the machine is busy with other suites.
const TIMINGS = { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 1_000 };

function candidates(leaseName: string) {
  const started: string[] = [];
  const make = (identity: string): LeaderElector =>
    new LeaderElector({
      lease: apiServerLeaseStore(plane.kubeConfig, 'kube-system', leaseName),
      identity,
      ...TIMINGS,
      onStartedLeading: () => void started.push(identity),
    });
  const electors = [make('replica-a'), make('replica-b')];
  for (const e of electors) void e.run();
  return { electors, started };
}

const readLease = (name: string): Promise<Lease> => requestJson<Lease>(plane.kubeConfig, 'GET', leasePath('kube-system', name));
const leaders = (electors: LeaderElector[]): LeaderElector[] => electors.filter((e) => e.isLeader());

describe('leader election on a Lease', () => {
  it('exactly one of two replicas leads, and the other takes over within the lease duration when it releases', async () => {
    const { electors, started } = candidates('release-handover');
    await expect.poll(() => leaders(electors).length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 3 * TIMINGS.retryPeriodMs)); // several renewals
    expect(leaders(electors)).toHaveLength(1);
    const [leader] = leaders(electors);
    const other = electors.find((e) => e !== leader)!;
    expect((await readLease('release-handover')).spec?.holderIdentity).toBe(leader!.identity);

    const released = Date.now();
    await leader!.release();
    expect(leader!.isLeader()).toBe(false);
    await expect.poll(() => other.isLeader(), { timeout: TIMINGS.leaseDurationMs, interval: 50 }).toBe(true);
    expect(Date.now() - released).toBeLessThan(TIMINGS.leaseDurationMs);
    const lease = await readLease('release-handover');
    expect(lease.spec).toMatchObject({ holderIdentity: other.identity, leaseTransitions: 1 });
    expect(started).toEqual([leader!.identity, other.identity]);
    await other.release();
    expect((await readLease('release-handover')).spec?.holderIdentity).toBe('');
  });

  it('when the leader stops renewing without releasing, the other takes over after the lease expires', async () => {
    const { electors } = candidates('crash-handover');
    await expect.poll(() => leaders(electors).length, { timeout: 10_000 }).toBe(1);
    const [leader] = leaders(electors);
    const other = electors.find((e) => e !== leader)!;

    await leader!.stop({ release: false }); // a crash: no more renewals, the lease left as it was
    const abandoned = await readLease('crash-handover');
    expect(abandoned.spec?.holderIdentity).toBe(leader!.identity);
    await expect.poll(() => other.isLeader(), { timeout: 3 * TIMINGS.leaseDurationMs, interval: 50 }).toBe(true);
    // Not before the lease expired: leaseDuration after the last renewal.
    expect(Date.now() - Date.parse(abandoned.spec!.renewTime!)).toBeGreaterThanOrEqual(TIMINGS.leaseDurationMs);
    expect((await readLease('crash-handover')).spec?.holderIdentity).toBe(other.identity);
    await other.release();
  });
});

describe('events', () => {
  const listEvents = async (namespace: string, name: string): Promise<Event[]> =>
    (await requestJson<{ items: Event[] }>(plane.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}/events`, { fieldSelector: `involvedObject.name=${name}` })).items;

  it('creates an Event about a pod and aggregates a repeat into count 2', async () => {
    const errors: unknown[] = [];
    const recorder = new EventRecorder({ sink: apiServerEventSink(plane.kubeConfig), instance: 'controller-test', onError: (e) => errors.push(e) });
    const pod = involvedObjectOf({ metadata: { name: 'web-0', namespace: 'default', uid: '6f1c7d1e-0000-4000-8000-000000000001' } }, POD_TYPE);
    const first = await recorder.record(pod, 'Warning', 'SidecarSetUpgradable', 'sidecar1 differs in more than its image');
    expect(errors).toEqual([]);
    expect(first.action).toBe('created');
    expect((await recorder.record(pod, 'Warning', 'SidecarSetUpgradable', 'sidecar1 differs in more than its image')).action).toBe('aggregated');
    await recorder.record(pod, 'Normal', 'SidecarUpgraded', 'sidecar1 image nginx:1.25');

    const events = await listEvents('default', 'web-0');
    expect(events).toHaveLength(2);
    const warning = events.find((e) => e.reason === 'SidecarSetUpgradable');
    expect(warning).toMatchObject({
      type: 'Warning',
      count: 2,
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'default', uid: pod.uid },
      source: { component: 'sidecarset-controller' },
      reportingComponent: 'sidecarset-controller',
      reportingInstance: 'controller-test',
    });
    expect(events.find((e) => e.reason === 'SidecarUpgraded')?.count).toBe(1);
  });

  it('writes Events about a cluster-scoped SidecarSet to namespace default', async () => {
    const recorder = new EventRecorder({ sink: apiServerEventSink(plane.kubeConfig) });
    const sidecarSet = involvedObjectOf({ metadata: { name: 'logtail-sidecarset', uid: '6f1c7d1e-0000-4000-8000-000000000002' } }, SIDECARSET_TYPE);
    expect((await recorder.record(sidecarSet, 'Normal', 'RolloutPaused', 'updateStrategy.paused is true')).action).toBe('created');
    const [event] = await listEvents('default', 'logtail-sidecarset');
    expect(event).toMatchObject({ involvedObject: { kind: 'SidecarSet', apiVersion: 'apps.kruise.io/v1alpha1', name: 'logtail-sidecarset' }, count: 1 });
    expect(event!.involvedObject.namespace).toBeUndefined();
  });
});
