// SIGTERM without failed admissions. With failurePolicy Fail, every admission this replica drops is a
// pod creation that fails somewhere in the cluster. So on SIGTERM the webhook:
//  1. reports not ready at once (/readyz 503), so the endpoints drop it, and keeps serving for
//     `delayMs` while that reaches the API server (new connections then go to other replicas);
//  2. closes: stops listening, sends HTTP/2 GOAWAY on open sessions (the API server opens a new
//     connection, through the Service, for its next review) and finishes the admissions in flight;
//  3. exits 0, or 1 when they are not finished after `timeoutMs` (the kubelet's grace period ends).
// A second signal exits at once.
import type { FastifyInstance } from 'fastify';

/**
 * While draining, an HTTP/1.1 response carries `Connection: close`: the connection ends after it
 * instead of idling until the keep-alive timeout (which would hold close() up). HTTP/2 sessions
 * get GOAWAY from close() instead (and may not carry that header).
 */
export function closeConnectionsWhenDraining(app: FastifyInstance, draining: () => boolean): void {
  app.addHook('onSend', async (request, reply) => {
    if (draining() && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
  });
}

export interface ShutdownSteps {
  /** Readiness goes false. */
  startDraining(): void;
  /** Stop listening, close sessions, resolve once requests in flight are answered. */
  close(): Promise<void>;
  /** Anything after the server (caches, timers). */
  stopRest(): Promise<void>;
  log(event: string, fields?: Record<string, unknown>): void;
  exit(code: number): void;
}

export interface ShutdownTiming {
  delayMs: number;
  timeoutMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One shutdown, run to its end; the returned promise resolves after exit() was called. */
export async function shutDown(steps: ShutdownSteps, timing: ShutdownTiming, signal: string): Promise<void> {
  const started = Date.now();
  steps.startDraining();
  steps.log('shutting down: not ready, still serving', { signal, delayMs: timing.delayMs });
  await sleep(timing.delayMs);
  const closed = steps.close().then(
    () => 'closed' as const,
    (error: unknown) => (steps.log('close failed', { err: String(error) }), 'failed' as const),
  );
  const outcome = await Promise.race([closed, sleep(timing.timeoutMs).then(() => 'timeout' as const)]);
  await steps.stopRest().catch(() => undefined);
  steps.log(outcome === 'closed' ? 'shut down: every admission answered' : `shut down: ${outcome === 'timeout' ? 'admissions still in flight after the timeout' : 'close failed'}`, { ms: Date.now() - started });
  steps.exit(outcome === 'closed' ? 0 : 1);
}

/** Installs the handlers: the first SIGTERM or SIGINT shuts down, the second exits at once. */
export function shutDownOnSignals(steps: ShutdownSteps, timing: ShutdownTiming): void {
  let running = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (running) {
        steps.log('second signal: exiting now', { signal });
        steps.exit(1);
        return;
      }
      running = true;
      void shutDown(steps, timing, signal);
    });
  }
}
