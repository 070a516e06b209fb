// Admissions take turns on the event loop. Reading a large body, parsing it and running the rules are
// each synchronous, and requests that arrive together would otherwise all run in the same loop
// iteration, one after another: eight heavy ones in a row kept timers, health checks and every other
// connection waiting for over 100 ms. Work queued here runs one piece per iteration (chained with
// setImmediate, which lets timers and I/O run in between); when nothing is queued it runs at once, so
// an idle webhook adds no latency. Throughput is unchanged: the same work, in a fairer order.

export interface TurnTaking {
  /** Runs `work` when it is its turn; resolves or rejects with its result. */
  take<T>(work: () => T): Promise<Awaited<T>>;
  /** Pieces of work waiting for their turn. */
  waiting(): number;
}

export function turnTaking(): TurnTaking {
  const queue: (() => void)[] = [];
  // True from the moment a piece runs until the next check phase: a piece arriving meanwhile waits,
  // so at most one piece runs per poll phase and one per check phase.
  let turnTaken = false;

  const runNext = (): void => {
    const next = queue.shift();
    if (!next) {
      turnTaken = false;
      return;
    }
    next();
    setImmediate(runNext);
  };

  return {
    take<T>(work: () => T): Promise<Awaited<T>> {
      return new Promise<Awaited<T>>((resolve, reject) => {
        const piece = () => {
          try {
            Promise.resolve(work()).then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        };
        if (turnTaken) {
          queue.push(piece);
          return;
        }
        turnTaken = true;
        piece();
        setImmediate(runNext);
      });
    },
    waiting: () => queue.length,
  };
}
