import { describe, expect, it } from 'vitest';
import { ForbiddenError } from './errors.js';
import { resumableWatch, type WatchSource } from './resumableWatch.js';
import type { WatchEvent } from './watchEvent.js';

interface Item {
  metadata: { name: string; resourceVersion: string };
}
const item = (name: string, resourceVersion: string): Item => ({ metadata: { name, resourceVersion } });

/** What one scripted connection does once opened. */
type Script = { lines: [type: string, object: unknown][]; then: 'close' | 'hang' | { error: unknown } } | { refuse: unknown };

/**
 * A WatchSource that plays scripted connections and lists and records the resourceVersion each
 * connection asked for: enough to drive the resume logic without a server.
 */
function scriptedSource(connections: Script[], lists: Item[][] = []) {
  const requestedVersions: (string | undefined)[] = [];
  let listCalls = 0;
  let closedConnections = 0;
  const source: WatchSource<Item> = {
    async connect(resourceVersion, onLine, onEnd) {
      requestedVersions.push(resourceVersion);
      const script = connections.shift() ?? { lines: [], then: 'hang' as const };
      if ('refuse' in script) throw script.refuse;
      queueMicrotask(() => {
        for (const [type, object] of script.lines) onLine(type, object);
        if (script.then === 'close') onEnd(null);
        else if (script.then !== 'hang') onEnd(script.then.error);
      });
      return () => {
        closedConnections++;
      };
    },
    async list() {
      const items = lists[listCalls] ?? [];
      listCalls++;
      return { items, resourceVersion: String(100 * listCalls) };
    },
  };
  return { source, requestedVersions, listCalls: () => listCalls, closedConnections: () => closedConnections };
}

const fast = { initialDelayMs: 1, maxDelayMs: 1, healthyAfterMs: 60_000 };

async function take(events: AsyncIterable<WatchEvent<Item>>, count: number): Promise<WatchEvent<Item>[]> {
  const seen: WatchEvent<Item>[] = [];
  for await (const event of events) {
    seen.push(event);
    if (seen.length === count) break;
  }
  return seen;
}

const expiredStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 2 (50)', reason: 'Expired', code: 410 };

describe('resumableWatch', () => {
  it('without a resourceVersion, lists first and watches from the list version', async () => {
    const { source, requestedVersions } = scriptedSource([{ lines: [['ADDED', item('b', '101')]], then: 'hang' }], [[item('a', '90')]]);
    const events = await take(resumableWatch(source, { backoff: fast }), 2);
    expect(events).toEqual([
      { type: 'RELISTED', items: [item('a', '90')], resourceVersion: '100' },
      { type: 'ADDED', object: item('b', '101') },
    ]);
    expect(requestedVersions).toEqual(['100']);
  });

  it('resumes a dropped connection from the last event version, without listing', async () => {
    const { source, requestedVersions, listCalls } = scriptedSource([
      { lines: [['ADDED', item('a', '11')], ['MODIFIED', item('a', '12')]], then: { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) } },
      { lines: [['DELETED', item('a', '13')]], then: 'hang' },
    ]);
    const events = await take(resumableWatch(source, { resourceVersion: '10', backoff: fast }), 3);
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(requestedVersions).toEqual(['10', '12']);
    expect(listCalls()).toBe(0);
  });

  it('resumes from a bookmark version and passes the bookmark on', async () => {
    const bookmark = { kind: 'SidecarSet', apiVersion: 'apps.kruise.io/v1alpha1', metadata: { resourceVersion: '30' } };
    const { source, requestedVersions } = scriptedSource([
      { lines: [['BOOKMARK', bookmark]], then: 'close' },
      { lines: [['ADDED', item('a', '31')]], then: 'hang' },
    ]);
    const events = await take(resumableWatch(source, { resourceVersion: '10', backoff: fast }), 2);
    expect(events[0]).toEqual({ type: 'BOOKMARK', object: bookmark });
    expect(requestedVersions).toEqual(['10', '30']);
  });

  it('on an ERROR event with 410, relists, yields RELISTED, and watches from the list version', async () => {
    const { source, requestedVersions } = scriptedSource(
      [
        { lines: [['ADDED', item('a', '3')], ['ERROR', expiredStatus]], then: 'hang' },
        { lines: [['MODIFIED', item('a', '101')]], then: 'hang' },
      ],
      [[item('a', '60'), item('b', '70')]],
    );
    const events = await take(resumableWatch(source, { resourceVersion: '2', backoff: fast }), 3);
    expect(events).toEqual([
      { type: 'ADDED', object: item('a', '3') },
      { type: 'RELISTED', items: [item('a', '60'), item('b', '70')], resourceVersion: '100' },
      { type: 'MODIFIED', object: item('a', '101') },
    ]);
    expect(requestedVersions).toEqual(['2', '100']);
  });

  it('on an HTTP 410 when connecting, relists', async () => {
    const { source, requestedVersions } = scriptedSource([{ refuse: Object.assign(new Error('Gone'), { statusCode: 410 }) }], [[item('a', '60')]]);
    const events = await take(resumableWatch(source, { resourceVersion: '2', backoff: fast }), 1);
    expect(events).toEqual([{ type: 'RELISTED', items: [item('a', '60')], resourceVersion: '100' }]);
    expect(requestedVersions).toEqual(['2']);
  });

  it('throws a typed error for failures that retrying cannot fix', async () => {
    const { source } = scriptedSource([{ lines: [], then: { error: Object.assign(new Error('Forbidden'), { statusCode: 403 }) } }]);
    await expect(take(resumableWatch(source, { resourceVersion: '1', backoff: fast }), 1)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('ends cleanly when the signal fires while waiting for events, and closes the connection', async () => {
    const { source, closedConnections } = scriptedSource([{ lines: [['ADDED', item('a', '2')]], then: 'hang' }]);
    const controller = new AbortController();
    const seen: WatchEvent<Item>[] = [];
    for await (const event of resumableWatch(source, { resourceVersion: '1', signal: controller.signal, backoff: fast })) {
      seen.push(event);
      setTimeout(() => controller.abort(), 5);
    }
    expect(seen).toHaveLength(1);
    expect(closedConnections()).toBe(1);
  });

  it('ends cleanly when the signal fires during a backoff after repeated failures', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const { source, requestedVersions } = scriptedSource(Array.from({ length: 1000 }, () => ({ refuse: refused })));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const events = await take(resumableWatch(source, { resourceVersion: '5', signal: controller.signal, backoff: { ...fast, maxDelayMs: 5 } }), 1);
    expect(events).toEqual([]);
    expect(requestedVersions.length).toBeGreaterThan(1);
    expect(new Set(requestedVersions)).toEqual(new Set(['5']));
  });

  it('closes the connection when the consumer stops iterating', async () => {
    const { source, closedConnections } = scriptedSource([{ lines: [['ADDED', item('a', '2')], ['ADDED', item('b', '3')]], then: 'hang' }]);
    await take(resumableWatch(source, { resourceVersion: '1', backoff: fast }), 1);
    expect(closedConnections()).toBe(1);
  });
});
