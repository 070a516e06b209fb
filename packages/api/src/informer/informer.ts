// A cache of one resource kept current by a resumable watch, hardened against the known failure
// modes of long watches: errors restart it with backoff, 410 Gone relists (inside the watch), and a
// watch that goes silent longer than `stallTimeoutMs` (no event, not even a bookmark) is torn down
// and relisted. Handlers see adds, updates and deletes, and a periodic resync of every object.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject } from '../client/customResourceClient.js';
import type { WatchEvent } from '../client/watchEvent.js';

export type InformerEvent<T> =
  | { type: 'add'; object: T }
  | { type: 'update'; object: T; old: T }
  | { type: 'delete'; object: T }
  | { type: 'resync'; object: T };

export interface InformerOptions {
  /** Tears down a watch that delivered nothing (bookmarks arrive about once a minute) for this long. */
  stallTimeoutMs?: number;
  /** Replays every cached object to the handlers this often; 0 disables. */
  resyncIntervalMs?: number;
  /** First delay after a failed watch; doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (error: unknown) => void;
  /** Trims each object before it is cached (memory: thousands of pods). */
  transform?: (object: never) => unknown;
}

export type OpenWatch<T> = (signal: AbortSignal) => AsyncIterable<WatchEvent<T>>;

export const objectKey = (object: KubernetesObject): string =>
  object.metadata?.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : (object.metadata?.name ?? '');

export class Informer<T extends KubernetesObject> {
  private readonly store = new Map<string, T>();
  private readonly handlers = new Set<(event: InformerEvent<T>) => void>();
  private readonly stopped = new AbortController();
  private synced = false;
  private running: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly options: Required<Omit<InformerOptions, 'onError' | 'transform'>> & Pick<InformerOptions, 'onError' | 'transform'>;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly openWatch: OpenWatch<T>,
    options: InformerOptions = {},
  ) {
    this.options = { stallTimeoutMs: 300_000, resyncIntervalMs: 0, initialBackoffMs: 500, maxBackoffMs: 30_000, ...options };
  }

  start(): this {
    this.running ??= this.run();
    if (this.options.resyncIntervalMs > 0) {
      this.resyncTimer = setInterval(() => this.store.forEach((object) => this.emit({ type: 'resync', object })), this.options.resyncIntervalMs);
      this.resyncTimer.unref();
    }
    return this;
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    clearInterval(this.resyncTimer);
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been loaded. */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  list(): T[] {
    return [...this.store.values()];
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  subscribe(handler: (event: InformerEvent<T>) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  private async run(): Promise<void> {
    let backoff = this.options.initialBackoffMs;
    while (!this.stopped.signal.aborted) {
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort();
      this.stopped.signal.addEventListener('abort', abortAttempt);
      let stallTimer = this.armStallTimer(attempt);
      try {
        for await (const event of this.openWatch(attempt.signal)) {
          clearTimeout(stallTimer);
          stallTimer = this.armStallTimer(attempt);
          this.apply(event);
          backoff = this.options.initialBackoffMs;
        }
      } catch (error) {
        if (!this.stopped.signal.aborted) this.options.onError?.(error);
      } finally {
        clearTimeout(stallTimer);
        this.stopped.signal.removeEventListener('abort', abortAttempt);
      }
      if (this.stopped.signal.aborted) break;
      // The watch ended (error or stall): start over with a fresh list after a pause.
      await sleep(backoff, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
    }
  }

  private armStallTimer(attempt: AbortController): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.options.onError?.(new Error(`watch silent for ${this.options.stallTimeoutMs} ms; relisting`));
      attempt.abort();
    }, this.options.stallTimeoutMs);
    timer.unref();
    return timer;
  }

  private apply(event: WatchEvent<T>): void {
    switch (event.type) {
      case 'RELISTED': {
        const fresh = new Map(event.items.map((item) => [objectKey(item), item] as const));
        for (const [key, old] of this.store) if (!fresh.has(key)) this.remove(key, old);
        for (const [key, object] of fresh) this.put(key, object);
        if (!this.synced) {
          this.synced = true;
          this.waiters.splice(0).forEach((resolve) => resolve());
        }
        return;
      }
      case 'ADDED':
      case 'MODIFIED':
        this.put(objectKey(event.object), event.object);
        return;
      case 'DELETED':
        this.remove(objectKey(event.object), event.object);
        return;
      case 'BOOKMARK':
        return;
    }
  }

  private put(key: string, received: T): void {
    const object = this.options.transform ? (this.options.transform(received as never) as T) : received;
    const old = this.store.get(key);
    if (old?.metadata?.resourceVersion && old.metadata.resourceVersion === object.metadata?.resourceVersion) return;
    this.store.set(key, object);
    this.emit(old ? { type: 'update', object, old } : { type: 'add', object });
  }

  private remove(key: string, object: T): void {
    if (!this.store.delete(key)) return;
    this.emit({ type: 'delete', object });
  }

  private emit(event: InformerEvent<T>): void {
    for (const handler of this.handlers) handler(event);
  }
}

/** Drops metadata.managedFields, often half of an object's size and never read by Sidecarset. */
export function withoutManagedFields<T extends { metadata?: { managedFields?: unknown } }>(object: T): T {
  if (!object.metadata?.managedFields) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata } as T;
}
