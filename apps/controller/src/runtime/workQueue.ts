// A keyed work queue with client-go's workqueue semantics, and the worker loop of controller-runtime:
// - a key is queued once however often it is added;
// - a key being processed is never handed to a second worker; added again meanwhile, it is queued
//   once more when the first reconcile finishes;
// - failed keys come back after a per-key exponential backoff, bounded overall by a token bucket;
// - shutDown stops handing out work and resolves when in-flight reconciles have finished.
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rateLimiter.js';

/** What a reconcile may ask for besides success: come back after a delay, or with backoff. */
export interface ReconcileResult {
  /** Process the key again after this many milliseconds (its backoff is reset). */
  requeueAfterMs?: number;
  /** Process the key again after its rate-limited backoff, without counting an error. */
  requeue?: boolean;
}

export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

export type Reconcile<K extends string> = (key: K) => Promise<void | ReconcileResult>;

/** Optional observers, e.g. Prometheus metrics (see metrics.ts `workQueueHooks`) or logs. */
export interface WorkQueueHooks<K extends string> {
  /** Keys waiting to be handed to a worker, after every change. */
  depth?(depth: number): void;
  /** Every add, including ones de-duplicated away. */
  added?(key: K): void;
  /** A key handed to a worker after waiting this long in the queue. */
  dequeued?(key: K, waitedSeconds: number): void;
  /** A rate-limited re-add, with the delay it got. */
  retried?(key: K, delayMs: number): void;
  /** A reconcile finished. */
  reconciled?(key: K, outcome: ReconcileOutcome, durationSeconds: number): void;
  /** A reconcile threw (it is re-queued rate-limited). */
  failed?(key: K, error: unknown): void;
}

export interface WorkQueueOptions<K extends string> {
  clock?: Clock;
  /** Default: 5 ms doubling to 60 s per key, 10 qps burst 100 overall. */
  rateLimiter?: RateLimiter<K>;
  hooks?: WorkQueueHooks<K>;
}

export class WorkQueue<K extends string> {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly hooks: WorkQueueHooks<K>;
  /** Keys waiting for a worker, in order. */
  private readonly queue: K[] = [];
  /** Keys that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly queuedAt = new Map<K, number>();
  private readonly delayed = new Map<K, { due: number; timer: TimerHandle }>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private stopping = false;
  private workers: Promise<void> | undefined;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
    this.hooks = options.hooks ?? {};
  }

  /** Keys waiting for a worker (not counting those being processed or delayed). */
  get length(): number {
    return this.queue.length;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Queues `key` unless it is already queued; a key being processed is queued again when it is done. */
  add(key: K): void {
    this.hooks.added?.(key);
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Adds `key` after `ms`. Of several pending delayed adds of one key, the earliest wins. */
  addAfter(key: K, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) return this.add(key);
    const due = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending) {
      if (pending.due <= due) return;
      this.clock.clearTimeout(pending.timer);
    }
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { due, timer });
  }

  /** Adds `key` after the rate limiter's delay: its own backoff, or longer if the overall bucket is empty. */
  addRateLimited(key: K): void {
    if (this.stopping) return;
    const delay = this.rateLimiter.when(key);
    this.hooks.retried?.(key, delay);
    this.addAfter(key, delay);
  }

  /** Resets `key`'s backoff (call when it was processed successfully). */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  /** Failures counted for `key` since it was last forgotten. */
  retries(key: K): number {
    return this.rateLimiter.retries(key);
  }

  /**
   * The next key to process, marked as processing until `done(key)`; waits when the queue is empty.
   * Undefined once the queue is shutting down. `run` calls this for you.
   */
  get(): Promise<K | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    if (this.queue.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile, queues it again. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.stopping) this.enqueue(key);
    if (this.processing.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Runs `workers` concurrent loops that take keys and reconcile them. A reconcile that throws, or
   * asks for `requeue`, is re-added rate-limited; `requeueAfterMs` re-adds after that delay; success
   * forgets the key's backoff. Resolves when every worker has stopped after `shutDown`.
   */
  run(workers: number, reconcile: Reconcile<K>): Promise<void> {
    if (this.workers) throw new Error('WorkQueue.run was already called');
    const loops = Array.from({ length: Math.max(1, workers) }, () => this.worker(reconcile));
    this.workers = Promise.all(loops).then(() => undefined);
    return this.workers;
  }

  /**
   * Stops taking work: adds are ignored, delayed adds are cancelled, keys still queued are dropped
   * (level-triggered: the next leader or process lists them again). Resolves when in-flight reconciles
   * have finished.
   */
  async shutDown(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
      this.delayed.clear();
      this.queue.length = 0;
      this.queuedAt.clear();
      this.hooks.depth?.(0);
      for (const resolve of this.getters.splice(0)) resolve(undefined);
    }
    if (this.processing.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.workers;
  }

  private enqueue(key: K): void {
    this.queue.push(key);
    this.queuedAt.set(key, this.clock.now());
    this.hooks.depth?.(this.queue.length);
    while (this.getters.length > 0 && this.queue.length > 0) this.getters.shift()!(this.take());
  }

  private take(): K {
    const key = this.queue.shift()!;
    this.dirty.delete(key);
    this.processing.add(key);
    this.hooks.depth?.(this.queue.length);
    const queuedAt = this.queuedAt.get(key);
    this.queuedAt.delete(key);
    if (queuedAt !== undefined) this.hooks.dequeued?.(key, (this.clock.now() - queuedAt) / 1000);
    return key;
  }

  private async worker(reconcile: Reconcile<K>): Promise<void> {
    for (let key = await this.get(); key !== undefined; key = await this.get()) {
      const started = this.clock.now();
      let outcome: ReconcileOutcome;
      try {
        const result = await reconcile(key);
        if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
          outcome = 'requeue_after';
          this.forget(key);
          this.addAfter(key, result.requeueAfterMs);
        } else if (result?.requeue) {
          outcome = 'requeue';
          this.addRateLimited(key);
        } else {
          outcome = 'success';
          this.forget(key);
        }
      } catch (error) {
        outcome = 'error';
        this.hooks.failed?.(key, error);
        this.addRateLimited(key);
      }
      this.hooks.reconciled?.(key, outcome, (this.clock.now() - started) / 1000);
      this.done(key);
    }
  }
}
