// Leader election on a coordination.k8s.io/v1 Lease, with client-go's leaderelection semantics:
// - a candidate takes the lease when nobody holds it, or when the holder has not renewed it for
//   leaseDuration as measured on the candidate's own clock from when it last saw the lease change
//   (client-go's observedTime: immune to clock skew between replicas);
// - the leader renews every retryPeriod and steps down if it could not renew for renewDeadline
//   (leaseDuration > renewDeadline, so it has stopped before anyone else may take over);
// - every write carries the resourceVersion read, so of two candidates one wins and the other gets
//   409 Conflict;
// - on stop the leader releases the lease (empty holder, 1 s duration) so another replica takes over
//   at its next retry instead of after leaseDuration (client-go ReleaseOnCancel).
import { isAlreadyExists, isConflict, type Lease, type LeaseSpec } from '@sidecarset/api';
import { sleep, systemClock, type Clock } from './clock.js';
import type { LeaseStore } from './leaseStore.js';
import { microTime } from './microTime.js';

/** client-go's leaderelection.JitterFactor: acquire retries wait retryPeriod * (1 + [0, 1.2)). */
export const JITTER_FACTOR = 1.2;

/** Conflicting writes a release survives (each a renewal of ours that landed first). */
const RELEASE_ATTEMPTS = 3;

export interface LeaderElectorOptions {
  lease: LeaseStore;
  /** Unique per replica, e.g. `${podName}_${randomUUID()}`. */
  identity: string;
  /** How long a lease stays valid without renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it steps down. Default 10 s. */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew. Default 2 s. */
  retryPeriodMs?: number;
  /** Release the lease when stopped while leading. Default true. */
  releaseOnCancel?: boolean;
  /** Called once leadership is acquired; `signal` aborts when it is lost or the elector stops. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called when leadership ends (lost, or stopped), only if it was acquired. */
  onStoppedLeading?: () => void;
  /** Called when the observed holder of the lease changes (including to this replica). */
  onNewLeader?: (identity: string) => void;
  /** API errors while acquiring, renewing or releasing (each is retried or ends leadership). */
  onError?: (error: unknown) => void;
  clock?: Clock;
  /** In [0, 1); the acquire jitter. Default Math.random. */
  random?: () => number;
}

/** A leader election configuration that cannot work; `field` names the option. */
export class LeaderElectionConfigError extends Error {
  override readonly name = 'LeaderElectionConfigError';

  constructor(
    readonly field: 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'identity',
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export class LeaderElector {
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  private readonly options: LeaderElectorOptions;
  private readonly clock: Clock;
  private readonly random: () => number;
  private leading = false;
  private observed: Lease | undefined;
  private observedTime = 0;
  private stopController: AbortController | undefined;
  private releaseOnStop: boolean;
  private running: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.identity = options.identity;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.releaseOnStop = options.releaseOnCancel ?? true;
    if (!this.identity) throw new LeaderElectionConfigError('identity', 'must not be empty');
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new LeaderElectionConfigError('leaseDurationMs', 'must be greater than renewDeadlineMs');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new LeaderElectionConfigError('renewDeadlineMs', `must be greater than retryPeriodMs * ${JITTER_FACTOR}`);
    if (this.retryPeriodMs < 1) throw new LeaderElectionConfigError('retryPeriodMs', 'must be positive');
  }

  /** True while this replica holds the lease and has renewed it within renewDeadline. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last seen on the lease ('' when released), or undefined before the first read. */
  getLeader(): string | undefined {
    return this.observed?.spec?.holderIdentity;
  }

  /**
   * Tries to acquire the lease until it succeeds or `stop` is called, then leads (renewing) until the
   * lease is lost or `stop` is called. Resolves when it no longer leads. May be called again after.
   */
  run(): Promise<void> {
    if (this.running) return this.running;
    const stop = new AbortController();
    this.stopController = stop;
    this.releaseOnStop = this.options.releaseOnCancel ?? true;
    this.running = this.lead(stop.signal).finally(() => {
      this.running = undefined;
      this.stopController = undefined;
    });
    return this.running;
  }

  /**
   * Stops acquiring or renewing and resolves once `run` has returned. A leader releases the lease
   * unless `release` is false (false also simulates a crash in tests: the lease expires on its own).
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (options.release !== undefined) this.releaseOnStop = options.release;
    this.stopController?.abort();
    await this.running;
  }

  /** Stops and hands the lease over at once: `stop({ release: true })`. */
  release(): Promise<void> {
    return this.stop({ release: true });
  }

  private async lead(stop: AbortSignal): Promise<void> {
    if (!(await this.acquire(stop))) {
      // Stopped while an acquire was in flight: if it had already landed, give the lease back.
      if (this.releaseOnStop) await this.releaseLease();
      return;
    }
    this.leading = true;
    const leadership = new AbortController();
    void Promise.resolve()
      .then(() => this.options.onStartedLeading(leadership.signal))
      .catch((e: unknown) => this.options.onError?.(e));
    try {
      await this.renew(stop);
    } finally {
      this.leading = false;
      leadership.abort();
      if (stop.aborted && this.releaseOnStop) await this.releaseLease();
      this.options.onStoppedLeading?.();
    }
  }

  private async acquire(stop: AbortSignal): Promise<boolean> {
    while (!stop.aborted) {
      if (await this.attempt(Number.POSITIVE_INFINITY, stop)) return true;
      await sleep(this.clock, this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR), stop);
    }
    return false;
  }

  private async renew(stop: AbortSignal): Promise<void> {
    let lastRenew = this.clock.now();
    while (!stop.aborted) {
      await sleep(this.clock, this.retryPeriodMs, stop);
      if (stop.aborted) return;
      const remaining = lastRenew + this.renewDeadlineMs - this.clock.now();
      if (remaining <= 0) return;
      if (await this.attempt(remaining, stop)) lastRenew = this.clock.now();
      else if (lastRenew + this.renewDeadlineMs <= this.clock.now()) {
        if (!stop.aborted) this.options.onError?.(new Error(`could not renew the lease for ${this.renewDeadlineMs} ms (renew deadline); stepping down`));
        return;
      }
    }
  }

  /** One tryAcquireOrRenew bounded by `timeoutMs`; false on timeout, stop, error or losing a race. */
  private attempt(timeoutMs: number, stop: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (value: boolean): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) this.clock.clearTimeout(timer);
        stop.removeEventListener('abort', onStop);
        resolve(value);
      };
      const onStop = (): void => finish(false);
      const timer = Number.isFinite(timeoutMs) ? this.clock.setTimeout(() => finish(false), timeoutMs) : undefined;
      stop.addEventListener('abort', onStop, { once: true });
      this.tryAcquireOrRenew().then(finish, (e: unknown) => {
        this.options.onError?.(e);
        finish(false);
      });
    });
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const current = await this.options.lease.get();
    if (!current) {
      try {
        this.observe(await this.options.lease.create(this.record(now, { acquireTime: microTime(now), leaseTransitions: 0 })));
        return true;
      } catch (e) {
        if (isAlreadyExists(e)) return false;
        throw e;
      }
    }
    this.observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const valid = this.observedTime + (spec.leaseDurationSeconds ?? 0) * 1000 > now;
    if (holder !== '' && holder !== this.identity && valid) return false;
    const kept = holder === this.identity
      ? { acquireTime: spec.acquireTime ?? microTime(now), leaseTransitions: spec.leaseTransitions ?? 0 }
      : { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
    try {
      this.observe(await this.options.lease.update(current.metadata?.resourceVersion ?? '', this.record(now, kept)));
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  private record(now: number, kept: { acquireTime: string; leaseTransitions: number }): LeaseSpec {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: kept.acquireTime,
      renewTime: microTime(now),
      leaseTransitions: kept.leaseTransitions,
    };
  }

  /** Remembers the lease; a changed resourceVersion restarts its validity on our clock. */
  private observe(lease: Lease): void {
    const previous = this.observed;
    if (previous?.metadata?.resourceVersion !== lease.metadata?.resourceVersion) this.observedTime = this.clock.now();
    this.observed = lease;
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== '' && holder !== (previous?.spec?.holderIdentity ?? '')) this.options.onNewLeader?.(holder);
  }

  /**
   * Empties the holder if it is still us. A renewal still in flight when `stop` aborted it may land
   * first and make our write conflict; then the lease is read again and the release retried, or the
   * other replica would wait a whole leaseDuration for a lease nobody renews.
   */
  private async releaseLease(): Promise<void> {
    let observed = this.observed;
    for (let attempt = 1; observed?.spec?.holderIdentity === this.identity; attempt++) {
      const now = this.clock.now();
      try {
        this.observe(
          await this.options.lease.update(observed.metadata?.resourceVersion ?? '', {
            holderIdentity: '',
            leaseDurationSeconds: 1,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: observed.spec.leaseTransitions ?? 0,
          }),
        );
        return;
      } catch (e) {
        if (!isConflict(e) || attempt === RELEASE_ATTEMPTS) return void this.options.onError?.(e);
      }
      try {
        observed = await this.options.lease.get();
      } catch (e) {
        return void this.options.onError?.(e);
      }
    }
  }
}
