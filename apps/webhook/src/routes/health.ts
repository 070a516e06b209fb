// GET /healthz (the process answers), /readyz (caches loaded), /metrics (Prometheus text).
import type { FastifyInstance } from 'fastify';
import type { WebhookCaches } from '../caches.js';
import type { WebhookMetrics } from '../metrics.js';

export function healthRoutes(app: FastifyInstance, caches: WebhookCaches, metrics: WebhookMetrics): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) =>
    caches.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready', reason: 'caches are still loading' }),
  );
  app.get('/metrics', async (_request, reply) => {
    reply.header('Content-Type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
