// The typed events a watch yields, and how a raw line from client-node's Watch becomes one.
import type { Status } from '../generated/index.js';
import type { KubernetesApiError } from './errors.js';
import { errorFromStatus, failureStatus } from './toKubernetesApiError.js';

/** A bookmark carries no object, only the version to resume from (allowWatchBookmarks). */
export interface WatchBookmark {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; object: WatchBookmark }
  /**
   * Not from the server: the watch fell behind (410 Gone) or started without a resourceVersion, so
   * it listed. `items` is the whole current state and replaces whatever the consumer knew; events
   * between the old state and this list (deletions included) are not replayed.
   */
  | { type: 'RELISTED'; items: T[]; resourceVersion: string };

export type ClassifiedLine<T> =
  | { kind: 'event'; event: WatchEvent<T>; resourceVersion: string | undefined }
  | { kind: 'error'; error: KubernetesApiError }
  | { kind: 'ignored' };

/** The object is the wire JSON of T; the server guarantees the shape for this resource. */
export function classifyWatchLine<T>(type: string, object: unknown): ClassifiedLine<T> {
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return { kind: 'event', event: { type, object: object as T }, resourceVersion: resourceVersionOf(object) };
    case 'BOOKMARK':
      return { kind: 'event', event: { type, object: object as WatchBookmark }, resourceVersion: resourceVersionOf(object) };
    case 'ERROR':
      return { kind: 'error', error: errorFromStatus(asStatus(object)) };
    default:
      return { kind: 'ignored' };
  }
}

function resourceVersionOf(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const metadata = (object as { metadata?: { resourceVersion?: unknown } }).metadata;
  return typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
}

function asStatus(object: unknown): Status {
  if (typeof object === 'object' && object !== null) {
    const status = object as Partial<Status>;
    return { ...status, metadata: status.metadata ?? {} };
  }
  return failureStatus(500, 'watch ERROR event without a Status');
}
