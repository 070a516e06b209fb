// When a watch connection ends, what to do next: resume from the last resourceVersion, list again
// (after 410 Gone), or give up. Pure: the caller measures time and performs the step.
import { GoneError, type KubernetesApiError, UnavailableError } from './errors.js';

export interface WatchCursor {
  /** Where the next watch starts: the last resourceVersion seen (event, bookmark or list). */
  resourceVersion: string | undefined;
  /** List before watching: at the start when no resourceVersion was given, and after a 410. */
  mustRelist: boolean;
  /** Attempts in a row that failed quickly; drives the backoff, reset by any healthy connection. */
  failures: number;
}

/** How one attempt (a watch connection or a relist) ended. */
export interface AttemptEnd {
  /** Undefined when the server closed the watch cleanly (its timeout, a proxy's idle limit). */
  error: KubernetesApiError | undefined;
  /** Events received on this connection; any event shows the server was working. */
  eventsReceived: number;
  /** How long the attempt lasted; a long-lived connection that drops is normal, not a failure. */
  durationMs: number;
}

export interface BackoffPolicy {
  /** Delay after the first quick failure; doubles with each further one. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A connection that lived this long counts as healthy even without events. */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, healthyAfterMs: 5_000 };

export type WatchStep =
  | { action: 'continue'; cursor: WatchCursor; delayMs: number }
  | { action: 'fail'; error: KubernetesApiError };

export const initialCursor = (resourceVersion: string | undefined): WatchCursor => ({
  resourceVersion: resourceVersion || undefined,
  mustRelist: !resourceVersion,
  failures: 0,
});

/** An event (or bookmark) moved the cursor; an event without a version leaves it where it was. */
export const afterEvent = (cursor: WatchCursor, resourceVersion: string | undefined): WatchCursor => ({
  resourceVersion: resourceVersion || cursor.resourceVersion,
  mustRelist: false,
  failures: 0,
});

/** A relist succeeded: watch from the list's resourceVersion. */
export const afterRelist = (resourceVersion: string): WatchCursor => ({
  resourceVersion: resourceVersion || undefined,
  mustRelist: !resourceVersion,
  failures: 0,
});

export function backoffDelay(failures: number, policy: BackoffPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (failures - 1));
}

/**
 * - clean close or UnavailableError (dropped connection, timeout, 5xx, 429): try again from the
 *   cursor, at once after a healthy connection, with backoff after quick failures;
 * - GoneError (HTTP 410 or an ERROR event with code 410): the version is compacted, relist;
 * - anything else (403, 404: CRD missing, 401...) will not heal by retrying: fail.
 */
export function nextStep(cursor: WatchCursor, end: AttemptEnd, policy: BackoffPolicy = DEFAULT_BACKOFF): WatchStep {
  const { error } = end;
  if (error !== undefined && !(error instanceof UnavailableError) && !(error instanceof GoneError)) {
    return { action: 'fail', error };
  }
  const healthy = end.eventsReceived > 0 || end.durationMs >= policy.healthyAfterMs;
  const failures = healthy ? 0 : cursor.failures + 1;
  const delayMs = backoffDelay(failures, policy);
  if (error instanceof GoneError) {
    return { action: 'continue', cursor: { resourceVersion: undefined, mustRelist: true, failures }, delayMs };
  }
  // Without a version to resume from, only a list gives a consistent starting point.
  const mustRelist = cursor.mustRelist || cursor.resourceVersion === undefined;
  return { action: 'continue', cursor: { ...cursor, mustRelist, failures }, delayMs };
}
