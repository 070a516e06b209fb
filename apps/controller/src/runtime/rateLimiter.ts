// How long a failed key waits before its next try, as client-go's workqueue rate limiters: a per-key
// exponential backoff, an overall token bucket, and the slower of the two.
import type { Clock } from './clock.js';

export interface RateLimiter<K extends string = string> {
  /** Milliseconds `key` should wait before it is processed again; counts a failure. */
  when(key: K): number;
  /** Forgets `key`'s failures: its next `when` starts from the base delay again. */
  forget(key: K): void;
  /** Failures counted for `key` since it was last forgotten. */
  retries(key: K): number;
}

/** base * 2^failures, capped at max (client-go ItemExponentialFailureRateLimiter). */
export class ExponentialBackoffRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 60_000,
  ) {}

  when(key: K): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** failures);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

/**
 * A token bucket over every key: `burst` tokens, refilled at `qps` a second; each `when` takes a token
 * and, when none is left, waits until its token will have been refilled (golang.org/x/time/rate Reserve).
 */
export class TokenBucketRateLimiter<K extends string = string> implements RateLimiter<K> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    readonly qps = 10,
    readonly burst = 100,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_key: K): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  forget(_key: K): void {}

  retries(_key: K): number {
    return 0;
  }
}

/** The longest wait any of `limiters` asks for (client-go MaxOfRateLimiter). */
export class MaxOfRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(key: K): number {
    return Math.max(0, ...this.limiters.map((limiter) => limiter.when(key)));
  }

  forget(key: K): void {
    for (const limiter of this.limiters) limiter.forget(key);
  }

  retries(key: K): number {
    return Math.max(0, ...this.limiters.map((limiter) => limiter.retries(key)));
  }
}

export interface DefaultRateLimiterOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  qps?: number;
  burst?: number;
}

/** client-go's DefaultControllerRateLimiter: 5 ms doubling to 60 s per key, 10 qps burst 100 overall. */
export function defaultControllerRateLimiter<K extends string = string>(clock: Clock, options: DefaultRateLimiterOptions = {}): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ExponentialBackoffRateLimiter<K>(options.baseDelayMs ?? 5, options.maxDelayMs ?? 60_000),
    new TokenBucketRateLimiter<K>(clock, options.qps ?? 10, options.burst ?? 100),
  );
}
