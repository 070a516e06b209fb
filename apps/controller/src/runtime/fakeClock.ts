// A hand-driven Clock for tests: time moves only when `advance` is called, timers fire in due order
// and pending promise callbacks run between them, so async workers make progress without sleeps.
import type { Clock, TimerHandle } from './clock.js';

interface FakeTimer {
  id: number;
  due: number;
  callback: () => void;
}

/** Lets every queued promise callback (and what they queue in turn) run. */
export async function flushPromises(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer !== handle);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing each due timer at its own instant, flushing promises after each. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    await flushPromises();
    for (;;) {
      const next = this.timers.filter((timer) => timer.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.current = Math.max(this.current, next.due);
      next.callback();
      await flushPromises();
    }
    this.current = end;
    await flushPromises();
  }
}
