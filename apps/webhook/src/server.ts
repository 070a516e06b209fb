// The webhook's HTTP application. Routes are added as plugins, one per route group.
import Fastify, { type FastifyInstance } from 'fastify';

export interface WebhookServerOptions {
  logger?: boolean;
}

export function buildWebhookServer(options: WebhookServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
