// /healthz (the process answers), /readyz (caches loaded; a standby replica is ready too) and
// /metrics (Prometheus text) of the controller.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export function buildHealthServer(isReady: () => boolean, registry?: Registry): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (isReady()) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready' });
  });
  if (registry) {
    app.get('/metrics', async (_request, reply) => {
      reply.header('Content-Type', registry.contentType);
      return registry.metrics();
    });
  }
  return app;
}
