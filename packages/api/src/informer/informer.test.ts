import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../client/watchEvent.js';
import { Informer, type InformerEvent } from './informer.js';

type Obj = { metadata: { name: string; resourceVersion: string } };
const obj = (name: string, rv: string): Obj => ({ metadata: { name, resourceVersion: rv } });

/** Scripted watch connections: each call to openWatch plays the next script, then waits for abort (or throws). */
function scripted(scripts: (WatchEvent<Obj>[] | Error)[]) {
  let calls = 0;
  const open = (signal: AbortSignal): AsyncIterable<WatchEvent<Obj>> => {
    const script = scripts[Math.min(calls++, scripts.length - 1)]!;
    return (async function* () {
      if (script instanceof Error) throw script;
      for (const event of script) yield event;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    })();
  };
  return { open, calls: () => calls };
}

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('Informer', () => {
  it('loads the list, then applies adds, updates and deletes', async () => {
    const { open } = scripted([
      [
        { type: 'RELISTED', items: [obj('a', '1')], resourceVersion: '1' },
        { type: 'ADDED', object: obj('b', '2') },
        { type: 'MODIFIED', object: obj('a', '3') },
        { type: 'DELETED', object: obj('b', '4') },
      ],
    ]);
    const seen: string[] = [];
    const informer = new Informer(open);
    informer.subscribe((e: InformerEvent<Obj>) => seen.push(`${e.type}:${e.object.metadata.name}@${e.object.metadata.resourceVersion}`));
    informer.start();
    await informer.waitForSync();
    await until(() => seen.length === 4);
    expect(seen).toEqual(['add:a@1', 'add:b@2', 'update:a@3', 'delete:b@4']);
    expect(informer.list()).toEqual([obj('a', '3')]);
    await informer.stop();
  });

  it('turns a relist into deletes for objects that vanished meanwhile', async () => {
    const { open } = scripted([
      [{ type: 'RELISTED', items: [obj('a', '1'), obj('b', '1')], resourceVersion: '1' }],
      [{ type: 'RELISTED', items: [obj('a', '1')], resourceVersion: '5' }],
    ]);
    const seen: string[] = [];
    const informer = new Informer(open, { stallTimeoutMs: 50, initialBackoffMs: 1 });
    informer.subscribe((e) => seen.push(`${e.type}:${e.object.metadata.name}`));
    informer.start();
    await until(() => seen.includes('delete:b'));
    expect(informer.list().map((o) => o.metadata.name)).toEqual(['a']);
    await informer.stop();
  });

  it('restarts a watch that goes silent, and one that fails', async () => {
    const errors: string[] = [];
    const { open, calls } = scripted([new Error('connection reset'), [{ type: 'RELISTED', items: [], resourceVersion: '1' }]]);
    const informer = new Informer(open, { stallTimeoutMs: 30, initialBackoffMs: 1, onError: (e) => errors.push((e as Error).message) });
    informer.start();
    await until(() => calls() >= 3);
    expect(errors[0]).toBe('connection reset');
    expect(errors.some((m) => m.startsWith('watch silent'))).toBe(true);
    expect(informer.hasSynced()).toBe(true);
    await informer.stop();
  });

  it('replays every object on resync', async () => {
    const { open } = scripted([[{ type: 'RELISTED', items: [obj('a', '1'), obj('b', '1')], resourceVersion: '1' }]]);
    const resynced = new Set<string>();
    const informer = new Informer(open, { resyncIntervalMs: 20 });
    informer.subscribe((e) => e.type === 'resync' && resynced.add(e.object.metadata.name));
    informer.start();
    await until(() => resynced.size === 2);
    await informer.stop();
  });
});
