import { describe, expect, it } from 'vitest';
import { ForbiddenError, GoneError, NotFoundError, UnavailableError } from './errors.js';
import { failureStatus } from './toKubernetesApiError.js';
import { afterEvent, afterRelist, type AttemptEnd, backoffDelay, type BackoffPolicy, initialCursor, nextStep, type WatchCursor } from './watchResume.js';

const policy: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1_000, healthyAfterMs: 5_000 };
const gone = new GoneError(failureStatus(410, 'too old resource version: 5 (10)', 'Expired'));
const refused = new UnavailableError(failureStatus(0, 'connect ECONNREFUSED', 'ServiceUnavailable'));
const forbidden = new ForbiddenError(failureStatus(403, 'cannot watch sidecarsets'));
const crdMissing = new NotFoundError(failureStatus(404, 'the server could not find the requested resource'));

const watching = (resourceVersion: string | undefined, failures = 0): WatchCursor => ({ resourceVersion, mustRelist: false, failures });
const relisting = (failures = 0): WatchCursor => ({ resourceVersion: undefined, mustRelist: true, failures });
const ended = (error: AttemptEnd['error'], eventsReceived: number, durationMs: number): AttemptEnd => ({ error, eventsReceived, durationMs });

describe('nextStep', () => {
  const cases: { name: string; cursor: WatchCursor; end: AttemptEnd; expected: ReturnType<typeof nextStep> }[] = [
    {
      name: 'server closed a busy watch: resume at once from the last version',
      cursor: watching('42'),
      end: ended(undefined, 3, 1_000),
      expected: { action: 'continue', cursor: watching('42'), delayMs: 0 },
    },
    {
      name: 'client-node inactivity timeout after a long quiet watch: resume at once',
      cursor: watching('42'),
      end: ended(new UnavailableError(failureStatus(0, 'timeout', 'Timeout')), 0, 30_000),
      expected: { action: 'continue', cursor: watching('42'), delayMs: 0 },
    },
    {
      name: 'connection refused right away: resume from the same version after the first backoff',
      cursor: watching('42'),
      end: ended(refused, 0, 3),
      expected: { action: 'continue', cursor: watching('42', 1), delayMs: 100 },
    },
    {
      name: 'third quick failure in a row: the delay doubles each time',
      cursor: watching('42', 2),
      end: ended(refused, 0, 3),
      expected: { action: 'continue', cursor: watching('42', 3), delayMs: 400 },
    },
    {
      name: 'many quick failures: the delay stops growing at the maximum',
      cursor: watching('42', 20),
      end: ended(refused, 0, 3),
      expected: { action: 'continue', cursor: watching('42', 21), delayMs: 1_000 },
    },
    {
      name: '410 Gone (HTTP or ERROR event) after events: relist at once',
      cursor: watching('42'),
      end: ended(gone, 2, 10),
      expected: { action: 'continue', cursor: relisting(), delayMs: 0 },
    },
    {
      name: '410 Gone straight after connecting: relist, with backoff',
      cursor: watching('42'),
      end: ended(gone, 0, 5),
      expected: { action: 'continue', cursor: relisting(1), delayMs: 100 },
    },
    {
      name: 'relist failed because the server is down: relist again after backoff',
      cursor: relisting(1),
      end: ended(refused, 0, 5),
      expected: { action: 'continue', cursor: relisting(2), delayMs: 200 },
    },
    {
      name: 'dropped before any version was known: list to get a consistent start',
      cursor: watching(undefined),
      end: ended(undefined, 0, 10_000),
      expected: { action: 'continue', cursor: relisting(), delayMs: 0 },
    },
    { name: '403 Forbidden will not heal by retrying: fail', cursor: watching('42'), end: ended(forbidden, 0, 5), expected: { action: 'fail', error: forbidden } },
    { name: '404 (CRD not installed) will not heal by retrying: fail', cursor: relisting(), end: ended(crdMissing, 0, 5), expected: { action: 'fail', error: crdMissing } },
  ];

  it.each(cases)('$name', ({ cursor, end, expected }) => {
    expect(nextStep(cursor, end, policy)).toEqual(expected);
  });
});

describe('cursor updates', () => {
  it('a watch without a resourceVersion lists first', () => {
    expect(initialCursor(undefined)).toEqual(relisting());
    expect(initialCursor('')).toEqual(relisting());
  });

  it('a watch with a resourceVersion starts there', () => {
    expect(initialCursor('7')).toEqual(watching('7'));
  });

  it('an event or bookmark moves the cursor and clears the failures', () => {
    expect(afterEvent(watching('7', 3), '9')).toEqual(watching('9'));
  });

  it('an event without a version keeps the last one', () => {
    expect(afterEvent(watching('7'), undefined)).toEqual(watching('7'));
  });

  it('a relist continues from the list version', () => {
    expect(afterRelist('100')).toEqual(watching('100'));
  });

  it('backoff is zero without failures', () => {
    expect(backoffDelay(0, policy)).toBe(0);
  });
});
