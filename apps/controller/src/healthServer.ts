// Liveness and readiness endpoints of the controller process.
import Fastify, { type FastifyInstance } from 'fastify';

export function buildHealthServer(isReady: () => boolean): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (isReady()) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready' });
  });
  return app;
}
