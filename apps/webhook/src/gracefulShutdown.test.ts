// SIGTERM drains: not ready at once, still serving during the delay, in-flight admissions answered,
// exit 0; exit 1 when they are still running after the timeout. On a real fastify server over HTTP.
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { closeConnectionsWhenDraining, shutDown, type ShutdownSteps } from './gracefulShutdown.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.().catch(() => undefined));

async function server(slowMs: number) {
  let draining = false;
  const app = Fastify({ return503OnClosing: false });
  closeConnectionsWhenDraining(app, () => draining);
  app.get('/readyz', async (_r, reply) => (draining ? reply.code(503).send('draining') : 'ready'));
  app.post('/mutate-pods', async () => {
    await new Promise((r) => setTimeout(r, slowMs));
    return 'admitted';
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const events: string[] = [];
  let exitCode: number | undefined;
  const steps: ShutdownSteps = {
    startDraining: () => ((draining = true), events.push('draining')),
    close: () => app.close(),
    stopRest: async () => void events.push('rest stopped'),
    log: (event) => events.push(event),
    exit: (code) => (exitCode = code),
  };
  return { url, steps, events, exitCode: () => exitCode };
}

describe('shutDown', () => {
  it('reports not ready, serves during the delay, answers what is in flight, exits 0', async () => {
    const s = await server(400);
    const inFlight = fetch(`${s.url}/mutate-pods`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 50));
    const done = shutDown(s.steps, { delayMs: 3000, timeoutMs: 10_000 }, 'SIGTERM'); // a delay long enough for a loaded machine
    expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
    const duringDelay = await fetch(`${s.url}/mutate-pods`, { method: 'POST' }); // a new review still served
    expect(await duringDelay.text()).toBe('admitted');
    expect(await (await inFlight).text()).toBe('admitted');
    await done;
    expect(s.exitCode()).toBe(0);
    expect(s.events).toEqual(['draining', 'shutting down: not ready, still serving', 'rest stopped', 'shut down: every admission answered']);
    await expect(fetch(`${s.url}/readyz`)).rejects.toThrow(); // no longer listening
  });

  it('exits 1 when an admission is still running after the timeout', async () => {
    const s = await server(3000);
    const inFlight = fetch(`${s.url}/mutate-pods`, { method: 'POST' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    await shutDown(s.steps, { delayMs: 0, timeoutMs: 200 }, 'SIGTERM');
    expect(s.exitCode()).toBe(1);
    expect(s.events.at(-1)).toBe('shut down: admissions still in flight after the timeout');
    await inFlight;
  });
});
