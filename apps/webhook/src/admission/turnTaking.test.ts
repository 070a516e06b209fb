import { describe, expect, it } from 'vitest';
import { turnTaking } from './turnTaking.js';

/** Keeps the thread busy, as a large parse does. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('turnTaking', () => {
  it('runs work at once when nothing is waiting', async () => {
    const turns = turnTaking();
    let ran = false;
    const done = turns.take(() => (ran = true));
    expect(ran).toBe(true);
    await expect(done).resolves.toBe(true);
  });

  it('lets a due timer run between pieces that arrived together', async () => {
    const turns = turnTaking();
    const order: string[] = [];
    const pieces = [1, 2, 3].map((n) =>
      turns.take(() => {
        order.push(`piece ${n}`);
        busy(3); // the timer below is due after the first piece
      }),
    );
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    expect(order).toEqual(['piece 1']);
    expect(turns.waiting()).toBe(2);
    await Promise.all([...pieces, timer]);
    // One piece ran in this iteration's check phase; the timer ran before the next piece.
    expect(order).toEqual(['piece 1', 'piece 2', 'timer', 'piece 3']);
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
