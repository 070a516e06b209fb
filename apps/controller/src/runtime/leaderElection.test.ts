import { AlreadyExistsError, ConflictError, UnavailableError, type Lease, type LeaseSpec } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { FakeClock, flushPromises } from './fakeClock.js';
import { LeaderElectionConfigError, LeaderElector, type LeaderElectorOptions } from './leaderElection.js';
import type { LeaseStore } from './leaseStore.js';

/** One Lease in memory with the API server's optimistic concurrency; `down` makes every call fail. */
class MemoryLeaseStore implements LeaseStore {
  readonly description = 'memory lease';
  lease: Lease | undefined;
  down = false;
  private version = 0;

  async get(): Promise<Lease | undefined> {
    this.check();
    return this.lease && structuredClone(this.lease);
  }

  async create(spec: LeaseSpec): Promise<Lease> {
    this.check();
    if (this.lease) throw new AlreadyExistsError({ code: 409, reason: 'AlreadyExists' });
    this.lease = { metadata: { name: 'l', resourceVersion: String(++this.version) }, spec: { ...spec } };
    return structuredClone(this.lease);
  }

  async update(resourceVersion: string, spec: LeaseSpec): Promise<Lease> {
    this.check();
    if (this.lease?.metadata?.resourceVersion !== resourceVersion) throw new ConflictError({ code: 409, reason: 'Conflict' });
    this.lease = { metadata: { name: 'l', resourceVersion: String(++this.version) }, spec: { ...this.lease.spec, ...spec } };
    return structuredClone(this.lease);
  }

  private check(): void {
    if (this.down) throw new UnavailableError({ code: 503, reason: 'ServiceUnavailable' });
  }
}

function elector(store: LeaseStore, clock: FakeClock, identity: string, extra: Partial<LeaderElectorOptions> = {}) {
  const log: string[] = [];
  const e = new LeaderElector({
    lease: store,
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock,
    random: () => 0,
    onStartedLeading: () => void log.push('started'),
    onStoppedLeading: () => void log.push('stopped'),
    ...extra,
  });
  return { e, log };
}

describe('LeaderElector', () => {
  it('acquires an absent lease and keeps renewing it', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const a = elector(store, clock, 'a');
    void a.e.run();
    await flushPromises();
    expect(a.e.isLeader()).toBe(true);
    expect(a.log).toEqual(['started']);
    expect(store.lease?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    const first = store.lease!.spec!;
    await clock.advance(2_000);
    expect(store.lease?.spec?.renewTime).not.toBe(first.renewTime);
    expect(store.lease?.spec).toMatchObject({ holderIdentity: 'a', acquireTime: first.acquireTime, leaseTransitions: 0 });
  });

  it('a second candidate waits while the lease is renewed, and takes it once the leader stops renewing', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const a = elector(store, clock, 'a');
    const b = elector(store, clock, 'b');
    void a.e.run();
    await flushPromises();
    void b.e.run();
    await clock.advance(60_000);
    expect([a.e.isLeader(), b.e.isLeader()]).toEqual([true, false]);
    expect(b.e.getLeader()).toBe('a');

    await a.e.stop({ release: false }); // crash: the lease is left to expire
    expect(a.log).toEqual(['started', 'stopped']);
    expect(store.lease?.spec?.holderIdentity).toBe('a');
    await clock.advance(12_000);
    expect(b.e.isLeader()).toBe(false); // 15 s from b's last sight of a renewal not yet over
    await clock.advance(6_000);
    expect(b.e.isLeader()).toBe(true);
    expect(store.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('release hands the lease over at the next retry', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const a = elector(store, clock, 'a');
    const b = elector(store, clock, 'b');
    void a.e.run();
    await flushPromises();
    void b.e.run();
    await clock.advance(10_000);
    await a.e.release();
    expect(store.lease?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await clock.advance(2_000);
    expect(b.e.isLeader()).toBe(true);
  });

  it('release still empties the lease when a renewal in flight changed it first', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const a = elector(store, clock, 'a');
    void a.e.run();
    await flushPromises();
    // The next renewal's update waits; it reaches the store just before the release's update does.
    let landRenewal = (): void => {};
    const renewalHeld = new Promise<void>((resolve) => (landRenewal = resolve));
    let renewalLanded: Promise<Lease> | undefined;
    const update = store.update.bind(store);
    let calls = 0;
    store.update = async (resourceVersion, spec) => {
      calls++;
      if (calls === 1) return (renewalLanded = renewalHeld.then(() => update(resourceVersion, spec)));
      if (calls === 2) {
        landRenewal();
        await renewalLanded;
      }
      return update(resourceVersion, spec);
    };
    await clock.advance(2_000);
    expect(calls).toBe(1);
    await a.e.release();
    expect(store.lease?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('steps down when it cannot renew for renewDeadline, aborting the leading signal', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    let signal: AbortSignal | undefined;
    const a = elector(store, clock, 'a', { onStartedLeading: (s) => void (signal = s) });
    const done = a.e.run();
    await flushPromises();
    expect(signal?.aborted).toBe(false);
    store.down = true;
    await clock.advance(8_000);
    expect(a.e.isLeader()).toBe(true);
    await clock.advance(2_000);
    expect(a.e.isLeader()).toBe(false);
    expect(signal?.aborted).toBe(true);
    await done;
  });

  it('steps down at renewDeadline even when a renewal hangs', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const a = elector(store, clock, 'a');
    void a.e.run();
    await flushPromises();
    store.get = () => new Promise(() => {});
    await clock.advance(10_000);
    expect(a.e.isLeader()).toBe(false);
    expect(a.log).toEqual(['started', 'stopped']);
  });

  it('of two candidates racing for an expired lease exactly one wins', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    await store.create({ holderIdentity: 'gone', leaseDurationSeconds: 15 });
    const a = elector(store, clock, 'a');
    const b = elector(store, clock, 'b');
    void a.e.run();
    void b.e.run();
    await clock.advance(20_000);
    expect([a.e.isLeader(), b.e.isLeader()].filter(Boolean)).toHaveLength(1);
  });

  it.each([
    [{ leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }, 'leaseDurationMs'],
    [{ renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }, 'renewDeadlineMs'],
    [{ identity: '' }, 'identity'],
  ])('rejects %j naming %s', (options, field) => {
    const make = () => new LeaderElector({ lease: new MemoryLeaseStore(), identity: 'a', onStartedLeading: () => {}, ...options });
    expect(make).toThrow(LeaderElectionConfigError);
    expect(make).toThrow(field);
  });
});
