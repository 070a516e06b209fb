import { describe, expect, it } from 'vitest';
import { FakeClock } from './fakeClock.js';
import { defaultControllerRateLimiter, ExponentialBackoffRateLimiter, TokenBucketRateLimiter } from './rateLimiter.js';

describe('per-key exponential backoff', () => {
  it('doubles from the base delay per failure, up to the cap, per key', () => {
    const limiter = new ExponentialBackoffRateLimiter(5, 60_000);
    expect([1, 2, 3, 4, 5].map(() => limiter.when('a'))).toEqual([5, 10, 20, 40, 80]);
    expect(limiter.when('b')).toBe(5);
    expect(limiter.retries('a')).toBe(5);
    for (let i = 0; i < 30; i++) limiter.when('a');
    expect(limiter.when('a')).toBe(60_000);
  });

  it('forget starts the key over from the base delay', () => {
    const limiter = new ExponentialBackoffRateLimiter(5, 60_000);
    limiter.when('a');
    limiter.when('a');
    limiter.forget('a');
    expect(limiter.retries('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });
});

describe('overall token bucket', () => {
  it('lets a burst through, then spaces the rest at qps, and refills with time', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucketRateLimiter(clock, 10, 3);
    expect([1, 2, 3].map(() => bucket.when('k'))).toEqual([0, 0, 0]);
    expect(bucket.when('k')).toBe(100);
    expect(bucket.when('k')).toBe(200);
    await clock.advance(1000); // refilled, up to the burst
    expect(bucket.when('k')).toBe(0);
  });
});

describe('default controller rate limiter', () => {
  it('is the slower of the key backoff and the bucket', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter(clock, { qps: 1, burst: 1 });
    expect(limiter.when('a')).toBe(5); // bucket has a token; backoff 5 ms
    expect(limiter.when('b')).toBe(1000); // bucket empty: 1 s, more than b's 5 ms
  });
});
