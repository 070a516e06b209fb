// Admissions take turns on the event loop. Reading a large body, parsing it and running the rules are
// each synchronous, and requests that arrive together would otherwise all run in the same loop
// iteration, one after another: eight heavy ones in a row kept timers, health checks and every other
// connection waiting for over 100 ms. Work queued here runs one piece per loop iteration, in its check
// phase (setImmediate), so timers and I/O run between any two pieces. An idle webhook waits only for
// the callback it is in to return: microseconds. Throughput is unchanged: the same work, in a fairer order.

export interface TurnTaking {
  /** Runs `work` when it is its turn; resolves or rejects with its result. */
  take<T>(work: () => T): Promise<Awaited<T>>;
  /** Pieces of work waiting for their turn. */
  waiting(): number;
}

export function turnTaking(): TurnTaking {
  const queue: (() => void)[] = [];
  let scheduled = false;

  // Scheduled from the check phase, the next immediate runs in the next iteration: one piece each.
  const runNext = (): void => {
    const next = queue.shift();
    if (next) next();
    if (queue.length > 0) setImmediate(runNext);
    else scheduled = false;
  };

  return {
    take<T>(work: () => T): Promise<Awaited<T>> {
      return new Promise<Awaited<T>>((resolve, reject) => {
        queue.push(() => {
          try {
            Promise.resolve(work()).then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        });
        if (!scheduled) {
          scheduled = true;
          setImmediate(runNext);
        }
      });
    },
    waiting: () => queue.length,
  };
}
