import { describe, expect, it } from 'vitest';
import { FakeClock, flushPromises } from './fakeClock.js';
import { ExponentialBackoffRateLimiter, TokenBucketRateLimiter, defaultControllerRateLimiter } from './rateLimiter.js';
import { WorkQueue, type ReconcileOutcome } from './workQueue.js';

/** A reconcile whose calls the test finishes by hand. */
function controlledReconcile() {
  const calls: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: unknown) => void }[]>();
  let active = 0;
  let maxActivePerKey = 0;
  const activePerKey = new Map<string, number>();
  const reconcile = (key: string): Promise<void> => {
    calls.push(key);
    active++;
    activePerKey.set(key, (activePerKey.get(key) ?? 0) + 1);
    maxActivePerKey = Math.max(maxActivePerKey, activePerKey.get(key)!);
    return new Promise<void>((resolve, reject) => {
      const end = (): void => {
        active--;
        activePerKey.set(key, activePerKey.get(key)! - 1);
      };
      const list = pending.get(key) ?? [];
      list.push({ resolve: () => (end(), resolve()), reject: (e) => (end(), reject(e)) });
      pending.set(key, list);
    });
  };
  const finish = async (key: string, error?: unknown): Promise<void> => {
    const next = pending.get(key)?.shift();
    if (!next) throw new Error(`no reconcile of ${key} in flight`);
    if (error === undefined) next.resolve();
    else next.reject(error);
    await flushPromises();
  };
  return { reconcile, finish, calls, get active() { return active; }, get maxActivePerKey() { return maxActivePerKey; } };
}

function newQueue(clock = new FakeClock()) {
  const outcomes: [string, ReconcileOutcome][] = [];
  const depths: number[] = [];
  const queue = new WorkQueue<string>({
    clock,
    rateLimiter: defaultControllerRateLimiter(clock),
    hooks: { reconciled: (key, outcome) => outcomes.push([key, outcome]), depth: (d) => depths.push(d) },
  });
  return { clock, queue, outcomes, depths };
}

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.length).toBe(2);
    const r = controlledReconcile();
    void queue.run(4, r.reconcile);
    await flushPromises();
    expect(r.calls).toEqual(['a', 'b']);
  });

  it('never hands a key being processed to a second worker, and runs it once more after when re-added', async () => {
    const { queue } = newQueue();
    const r = controlledReconcile();
    void queue.run(4, r.reconcile);
    queue.add('a');
    await flushPromises();
    expect(r.calls).toEqual(['a']);
    queue.add('a');
    queue.add('a');
    await flushPromises();
    expect(r.calls).toEqual(['a']); // still one in flight, none started concurrently
    expect(queue.length).toBe(0);
    await r.finish('a');
    expect(r.calls).toEqual(['a', 'a']); // exactly once more
    await r.finish('a');
    expect(r.calls).toEqual(['a', 'a']);
    expect(r.maxActivePerKey).toBe(1);
  });

  it('processes different keys concurrently up to the worker count', async () => {
    const { queue } = newQueue();
    const r = controlledReconcile();
    void queue.run(2, r.reconcile);
    for (const key of ['a', 'b', 'c']) queue.add(key);
    await flushPromises();
    expect(r.active).toBe(2);
    await r.finish('a');
    expect(r.calls).toEqual(['a', 'b', 'c']);
  });

  it('addAfter adds the key when the delay has passed, the earliest of several delays winning', async () => {
    const { queue, clock } = newQueue();
    const r = controlledReconcile();
    void queue.run(1, r.reconcile);
    queue.addAfter('a', 1000);
    queue.addAfter('a', 300);
    queue.addAfter('a', 2000);
    await clock.advance(299);
    expect(r.calls).toEqual([]);
    await clock.advance(1);
    expect(r.calls).toEqual(['a']);
    await r.finish('a');
    await clock.advance(5000);
    expect(r.calls).toEqual(['a']);
  });

  it('re-queues a failed reconcile with a backoff that doubles, and success forgets it', async () => {
    const { queue, clock, outcomes } = newQueue();
    const r = controlledReconcile();
    void queue.run(1, r.reconcile);
    queue.add('a');
    await flushPromises();
    await r.finish('a', new Error('boom')); // retry in 5 ms
    expect(queue.retries('a')).toBe(1);
    await clock.advance(4);
    expect(r.calls.length).toBe(1);
    await clock.advance(1);
    expect(r.calls.length).toBe(2);
    await r.finish('a', new Error('boom')); // retry in 10 ms
    await clock.advance(9);
    expect(r.calls.length).toBe(2);
    await clock.advance(1);
    expect(r.calls.length).toBe(3);
    await r.finish('a'); // success: backoff forgotten
    expect(queue.retries('a')).toBe(0);
    expect(outcomes.map(([, o]) => o)).toEqual(['error', 'error', 'success']);
    queue.addRateLimited('a');
    await clock.advance(5);
    expect(r.calls.length).toBe(4);
  });

  it('forget resets the backoff of a key', () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, rateLimiter: new ExponentialBackoffRateLimiter(5, 60_000) });
    for (let i = 0; i < 5; i++) queue.addRateLimited('a');
    expect(queue.retries('a')).toBe(5);
    queue.forget('a');
    expect(queue.retries('a')).toBe(0);
  });

  it('limits retries overall with the token bucket', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, rateLimiter: new TokenBucketRateLimiter(clock, 10, 2) });
    const r = controlledReconcile();
    void queue.run(10, r.reconcile);
    for (const key of ['a', 'b', 'c', 'd']) queue.addRateLimited(key);
    await clock.advance(0);
    expect(r.calls).toEqual(['a', 'b']); // the burst
    await clock.advance(100);
    expect(r.calls).toEqual(['a', 'b', 'c']);
    await clock.advance(100);
    expect(r.calls).toEqual(['a', 'b', 'c', 'd']);
  });

  it('honours requeueAfterMs from a reconcile', async () => {
    const { queue, clock, outcomes } = newQueue();
    const calls: string[] = [];
    void queue.run(1, async (key) => {
      calls.push(key);
      return calls.length === 1 ? { requeueAfterMs: 500 } : undefined;
    });
    queue.add('a');
    await clock.advance(499);
    expect(calls).toEqual(['a']);
    await clock.advance(1);
    expect(calls).toEqual(['a', 'a']);
    expect(outcomes.map(([, o]) => o)).toEqual(['requeue_after', 'success']);
  });

  it('shutDown stops taking work and resolves only when in-flight reconciles finish', async () => {
    const { queue, clock } = newQueue();
    const r = controlledReconcile();
    const running = queue.run(1, r.reconcile);
    queue.add('a');
    queue.add('b'); // queued behind a, dropped by shutDown
    queue.addAfter('c', 100);
    await flushPromises();
    let stopped = false;
    const stopping = queue.shutDown().then(() => (stopped = true));
    await flushPromises();
    expect(stopped).toBe(false);
    queue.add('d');
    await r.finish('a');
    await stopping;
    expect(stopped).toBe(true);
    await running;
    await clock.advance(1000);
    expect(r.calls).toEqual(['a']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports the queue depth', async () => {
    const { queue, depths } = newQueue();
    queue.add('a');
    queue.add('b');
    void queue.run(1, async () => {});
    await flushPromises();
    expect(depths).toEqual([1, 2, 1, 0]);
  });
});
