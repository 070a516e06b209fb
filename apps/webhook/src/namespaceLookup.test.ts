import type { Namespace } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { namespaceLookup, type NamespaceReader } from './namespaceLookup.js';

const namespace = (name: string, labels: Record<string, string>): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

describe('namespaceLookup: a namespace the watch has not delivered yet', () => {
  it('is read once from the API server and remembered', async () => {
    const reads: string[] = [];
    const lookup = namespaceLookup(async (name) => (reads.push(name), namespace(name, { team: 'a' })));
    expect(await lookup('fresh')).toEqual({ ok: true, labels: { team: 'a' } });
    expect(await lookup('fresh')).toEqual({ ok: true, labels: { team: 'a' } });
    expect(reads).toEqual(['fresh']);
  });

  it('concurrent admissions for one namespace share one read', async () => {
    let reads = 0;
    const lookup = namespaceLookup(async (name) => (reads++, await new Promise((r) => setTimeout(r, 20)), namespace(name, {})));
    await Promise.all([lookup('ns'), lookup('ns'), lookup('ns')]);
    expect(reads).toBe(1);
  });

  it('a read that does not answer in time is a failure, not a guess', async () => {
    const hang: NamespaceReader = (_name, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const result = await namespaceLookup(hang, { timeoutMs: 30 })('slow');
    expect(result).toEqual({ ok: false, reason: 'no answer within 30 ms' });
  });

  it('names that are not namespace names never reach the API server', async () => {
    let reads = 0;
    const lookup = namespaceLookup(async (name) => (reads++, namespace(name, {})));
    for (const name of ['../secrets', 'a/b', 'UPPER', 'x'.repeat(64), '']) expect((await lookup(name)).ok).toBe(false);
    expect(reads).toBe(0);
  });

  it('caps lookups in flight, and remembers a bounded number of namespaces', async () => {
    const pending: (() => void)[] = [];
    const lookup = namespaceLookup((name) => new Promise((resolve) => pending.push(() => resolve(namespace(name, {})))), { maxInFlight: 2, maxRemembered: 2 });
    const first = [lookup('a'), lookup('b')];
    expect(await lookup('c')).toEqual({ ok: false, reason: 'too many namespace lookups at once' });
    pending.forEach((release) => release());
    await Promise.all(first);
    const reads: string[] = [];
    const counting = namespaceLookup(async (name) => (reads.push(name), namespace(name, {})), { maxRemembered: 2 });
    for (const name of ['a', 'b', 'c', 'a']) await counting(name);
    expect(reads).toEqual(['a', 'b', 'c', 'a']); // 'a' was forgotten to make room for 'c'
  });
});
