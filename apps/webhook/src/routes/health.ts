// GET /healthz (the process answers), /readyz (caches loaded), /metrics (Prometheus text).
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import type { WebhookCaches } from '../caches.js';
import type { WebhookMetrics } from '../metrics.js';

/** `draining`: true once shutdown has begun; readiness then fails so the endpoints drop this replica while it still serves. */
export function healthRoutes(app: FastifyInstance, caches: WebhookCaches, metrics: WebhookMetrics, draining: () => boolean = () => false): void {
  if (!metrics.registry.getSingleMetric('sidecarset_webhook_cached_sidecarsets')) {
    new Gauge({
      name: 'sidecarset_webhook_cached_sidecarsets',
      help: 'SidecarSets in the webhook cache.',
      registers: [metrics.registry],
      collect() {
        this.set(caches.sidecarSets().length);
      },
    });
  }
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (draining()) return reply.code(503).send({ status: 'not ready', reason: 'shutting down' });
    return caches.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready', reason: 'caches are still loading' });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('Content-Type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
