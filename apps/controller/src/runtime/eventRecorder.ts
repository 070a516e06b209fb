// Records core/v1 Events about the objects the controller acts on, as client-go's record package does,
// simplified: the same (object, type, reason, message) seen again within the aggregation window
// increments `count` and `lastTimestamp` of the Event already written (PATCH) instead of creating a new
// one. Events about cluster-scoped objects (SidecarSets) go to namespace `default`. Recording never
// throws: an Event is a courtesy to people, and must not fail a reconcile.
import { hostname } from 'node:os';
import { isNotFound, requestJson, type Event, type ObjectMeta } from '@sidecarset/api';
import { systemClock, type Clock } from './clock.js';
import { microTime, wholeSecondTime } from './microTime.js';

type KubeConfig = Parameters<typeof requestJson>[0];

export type EventType = 'Normal' | 'Warning';

/** The object an Event is about (core/v1 ObjectReference). */
export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export const POD_TYPE = { apiVersion: 'v1', kind: 'Pod' } as const;
export const SIDECARSET_TYPE = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet' } as const;

/**
 * The reference to `object`. Objects from a list carry no apiVersion/kind, so `type` supplies them
 * (e.g. POD_TYPE); the object's own win when present.
 */
export function involvedObjectOf(object: { apiVersion?: string; kind?: string; metadata?: ObjectMeta }, type: { apiVersion: string; kind: string }): InvolvedObject {
  const meta = object.metadata ?? {};
  return {
    apiVersion: object.apiVersion ?? type.apiVersion,
    kind: object.kind ?? type.kind,
    name: meta.name ?? '',
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    ...(meta.uid ? { uid: meta.uid } : {}),
    ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
  };
}

/** Where Events are written. */
export interface EventSink {
  create(namespace: string, event: Event): Promise<Event>;
  /** Merge-patches an existing Event; NotFoundError when it expired (the API server keeps Events ~1 h). */
  patch(namespace: string, name: string, patch: Partial<Event>): Promise<Event>;
}

export function apiServerEventSink(kubeConfig: KubeConfig): EventSink {
  const events = (namespace: string): string => `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  return {
    create: (namespace, event) => requestJson<Event>(kubeConfig, 'POST', events(namespace), {}, event),
    patch: (namespace, name, patch) =>
      requestJson<Event>(kubeConfig, 'PATCH', `${events(namespace)}/${encodeURIComponent(name)}`, {}, patch, 'application/merge-patch+json'),
  };
}

export interface EventRecorderOptions {
  sink: EventSink;
  /** source.component and reportingController. Default `sidecarset-controller`. */
  component?: string;
  /** reportingInstance and source.host. Default the host name (the Pod's name in a cluster). */
  instance?: string;
  /** Repeats within this window after the last occurrence are aggregated. Default 10 minutes. */
  aggregationWindowMs?: number;
  /** How many distinct events are remembered for aggregation (least recently seen dropped). Default 4096. */
  cacheSize?: number;
  clock?: Clock;
  /** Called with each failure to write an Event. */
  onError?: (error: unknown, event: { object: InvolvedObject; reason: string }) => void;
}

export type RecordResult = { action: 'created' | 'aggregated'; event: Event } | { action: 'failed'; error: unknown };

/** The API server's limit on an Event message (1 kB). */
export const MESSAGE_LIMIT = 1024;

interface Seen {
  namespace: string;
  name: string;
  count: number;
  lastSeen: number;
}

export class EventRecorder {
  private readonly sink: EventSink;
  private readonly component: string;
  private readonly instance: string;
  private readonly windowMs: number;
  private readonly cacheSize: number;
  private readonly clock: Clock;
  private readonly onError: EventRecorderOptions['onError'];
  private readonly seen = new Map<string, Seen>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private sequence = 0;

  constructor(options: EventRecorderOptions) {
    this.sink = options.sink;
    this.component = options.component ?? 'sidecarset-controller';
    this.instance = (options.instance ?? hostname()).slice(0, 128);
    this.windowMs = options.aggregationWindowMs ?? 10 * 60_000;
    this.cacheSize = options.cacheSize ?? 4096;
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError;
  }

  /**
   * Records an Event about `object`. `action` (what the controller did, e.g. `Upgrade`) defaults to
   * `reason`. Resolves with what was written; failures are reported, never thrown.
   */
  record(object: InvolvedObject, type: EventType, reason: string, message: string, action: string = reason): Promise<RecordResult> {
    const text = message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 3)}...` : message;
    const key = JSON.stringify([object.apiVersion, object.kind, object.namespace ?? '', object.name, object.uid ?? '', type, reason, text]);
    // One write at a time per key, so a burst of repeats aggregates instead of racing to create.
    const result = (this.inFlight.get(key) ?? Promise.resolve()).then(() => this.write(key, object, type, reason, text, action));
    this.inFlight.set(key, result);
    void result.then(() => {
      if (this.inFlight.get(key) === result) this.inFlight.delete(key);
    });
    return result;
  }

  private async write(key: string, object: InvolvedObject, type: EventType, reason: string, message: string, action: string): Promise<RecordResult> {
    const now = this.clock.now();
    const namespace = object.namespace || 'default';
    try {
      const seen = this.seen.get(key);
      if (seen && now - seen.lastSeen <= this.windowMs) {
        try {
          const event = await this.sink.patch(seen.namespace, seen.name, { count: seen.count + 1, lastTimestamp: wholeSecondTime(now) });
          this.remember(key, { ...seen, count: event.count ?? seen.count + 1, lastSeen: now });
          return { action: 'aggregated', event };
        } catch (e) {
          if (!isNotFound(e)) throw e; // expired or deleted: write a new one
        }
      }
      const event = await this.sink.create(namespace, this.build(now, namespace, object, type, reason, message, action));
      this.remember(key, { namespace, name: event.metadata.name ?? '', count: event.count ?? 1, lastSeen: now });
      return { action: 'created', event };
    } catch (error) {
      this.onError?.(error, { object, reason });
      return { action: 'failed', error };
    }
  }

  private build(now: number, namespace: string, object: InvolvedObject, type: EventType, reason: string, message: string, action: string): Event {
    // client-go names Events `<object>.<unix nanoseconds in hex>`; the sequence keeps names unique
    // within one millisecond.
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${object.name}.${nanos.toString(16)}`, namespace },
      involvedObject: object,
      reason,
      message,
      type,
      action,
      count: 1,
      firstTimestamp: wholeSecondTime(now),
      lastTimestamp: wholeSecondTime(now),
      eventTime: microTime(now),
      source: { component: this.component, host: this.instance },
      reportingComponent: this.component,
      reportingInstance: this.instance,
    };
  }

  private remember(key: string, seen: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, seen);
    if (this.seen.size > this.cacheSize) this.seen.delete(this.seen.keys().next().value!);
  }
}
