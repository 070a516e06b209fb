import { describe, expect, it } from 'vitest';
import { turnTaking } from './turnTaking.js';

/** Keeps the thread busy, as a large parse does. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('turnTaking', () => {
  it('runs work as soon as the current callback returns when nothing is waiting', async () => {
    const turns = turnTaking();
    let ran = false;
    const done = turns.take(() => (ran = true));
    expect(ran).toBe(false);
    await expect(done).resolves.toBe(true);
  });

  it('runs one piece per loop iteration: a timer due after the first runs before the second', async () => {
    const turns = turnTaking();
    const order: string[] = [];
    let timer: Promise<void> = Promise.resolve();
    const pieces = [1, 2, 3].map((n) =>
      turns.take(() => {
        order.push(`piece ${n}`);
        if (n === 1) timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
        busy(3); // the timer is due before this piece returns
      }),
    );
    expect(order).toEqual([]);
    expect(turns.waiting()).toBe(3);
    await Promise.all(pieces);
    await timer;
    expect(order).toEqual(['piece 1', 'timer', 'piece 2', 'piece 3']);
    expect(turns.waiting()).toBe(0);
  });

  it('passes results and errors through, and keeps going after an error', async () => {
    const turns = turnTaking();
    const failing = turns.take(() => {
      throw new Error('bad body');
    });
    const asyncValue = turns.take(async () => 42);
    const rejected = turns.take(() => Promise.reject(new Error('later')));
    await expect(failing).rejects.toThrow('bad body');
    await expect(asyncValue).resolves.toBe(42);
    await expect(rejected).rejects.toThrow('later');
    let ran = false;
    await turns.take(() => (ran = true));
    expect(ran).toBe(true);
  });
});
