// A watch that survives: it resumes dropped connections from the last resourceVersion and relists
// after 410 Gone, until the caller's AbortSignal fires or an error that retrying cannot fix.
import { setTimeout as sleep } from 'node:timers/promises';
import { toKubernetesApiError } from './toKubernetesApiError.js';
import { classifyWatchLine, type WatchEvent } from './watchEvent.js';
import {
  afterEvent,
  afterRelist,
  type AttemptEnd,
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  initialCursor,
  nextStep,
  type WatchCursor,
} from './watchResume.js';

/** The two server calls a watch needs; the clients back them with client-node's Watch and list. */
export interface WatchSource<T> {
  /**
   * Opens one watch connection from `resourceVersion` and resolves to a function that closes it.
   * `onLine` gets each event's type and object; `onEnd` is called once when the stream ends
   * (`error` null/undefined for a clean close).
   */
  connect(
    resourceVersion: string | undefined,
    onLine: (type: string, object: unknown) => void,
    onEnd: (error: unknown) => void,
  ): Promise<() => void>;
  list(): Promise<{ items: T[]; resourceVersion: string }>;
}

export interface ResumableWatchOptions {
  /** Start after this version; without one the watch lists first and yields RELISTED. */
  resourceVersion?: string;
  /** Stops the watch: the iteration ends without an error. */
  signal?: AbortSignal;
  backoff?: BackoffPolicy;
}

type ConnectionItem = { kind: 'line'; type: string; object: unknown } | { kind: 'end'; error: unknown };

/**
 * Yields server events and, after each list, a RELISTED event with the full state. Throws only
 * KubernetesApiError subclasses, for failures that retrying will not fix (403, 404, 401...).
 */
export async function* resumableWatch<T>(
  source: WatchSource<T>,
  options: ResumableWatchOptions = {},
  now: () => number = Date.now,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const { signal } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let cursor: WatchCursor = initialCursor(options.resourceVersion);

  while (!signal?.aborted) {
    const started = now();
    let end: AttemptEnd;
    if (cursor.mustRelist) {
      try {
        const list = await untilAborted(source.list(), signal);
        if (list === ABORTED) return;
        cursor = afterRelist(list.resourceVersion);
        yield { type: 'RELISTED', items: list.items, resourceVersion: list.resourceVersion };
        continue;
      } catch (e) {
        end = { error: toKubernetesApiError(e), eventsReceived: 0, durationMs: now() - started };
      }
    } else {
      const connection = openConnection(source, cursor.resourceVersion, signal);
      let eventsReceived = 0;
      try {
        for (;;) {
          const item = await connection.next();
          if (item.kind === 'end') {
            end = { error: isNothing(item.error) ? undefined : toKubernetesApiError(item.error), eventsReceived, durationMs: now() - started };
            break;
          }
          const line = classifyWatchLine<T>(item.type, item.object);
          if (line.kind === 'error') {
            end = { error: line.error, eventsReceived, durationMs: now() - started };
            break;
          }
          if (line.kind === 'event') {
            eventsReceived++;
            cursor = afterEvent(cursor, line.resourceVersion);
            yield line.event;
          }
        }
      } finally {
        connection.close();
      }
    }
    if (signal?.aborted) return;
    const step = nextStep(cursor, end, backoff);
    if (step.action === 'fail') throw step.error;
    cursor = step.cursor;
    if (step.delayMs > 0 && !(await pause(step.delayMs, signal))) return;
  }
}

const ABORTED = Symbol('aborted');

/** Settles with the promise, or with ABORTED as soon as the signal fires (the request is abandoned). */
function untilAborted<R>(promise: Promise<R>, signal: AbortSignal | undefined): Promise<R | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

const isNothing = (value: unknown): boolean => value === null || value === undefined;

/** Waits, or returns false as soon as the signal fires. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Turns the callback-style connection into something to await item by item. */
function openConnection<T>(source: WatchSource<T>, resourceVersion: string | undefined, signal: AbortSignal | undefined) {
  const buffered: ConnectionItem[] = [];
  let waiting: ((item: ConnectionItem) => void) | undefined;
  let ended = false;
  let closed = false;
  let stop: (() => void) | undefined;

  const push = (item: ConnectionItem): void => {
    if (ended) return;
    if (item.kind === 'end') ended = true;
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(item);
    } else {
      buffered.push(item);
    }
  };
  // End at once on abort, even while the connection is still being opened.
  const onAbort = (): void => push({ kind: 'end', error: null });
  signal?.addEventListener('abort', onAbort, { once: true });

  source
    .connect(
      resourceVersion,
      (type, object) => push({ kind: 'line', type, object }),
      (error) => push({ kind: 'end', error }),
    )
    .then(
      (close) => {
        if (closed) close();
        else stop = close;
      },
      (error: unknown) => push({ kind: 'end', error }),
    );

  return {
    next(): Promise<ConnectionItem> {
      const item = buffered.shift();
      if (item) return Promise.resolve(item);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    close(): void {
      if (closed) return;
      closed = true;
      signal?.removeEventListener('abort', onAbort);
      stop?.();
    },
  };
}
