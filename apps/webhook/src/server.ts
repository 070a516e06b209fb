// The webhook's HTTP application: every route group, on HTTPS when given a key and certificate.
// Tests build it without TLS and drive it with app.inject().
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { boundedJsonBody } from './admission/boundedJsonBody.js';
import { limitLargeBodies } from './admission/largeBodies.js';
import { turnTaking } from './admission/turnTaking.js';
import { closeConnectionsWhenDraining } from './gracefulShutdown.js';
import type { WebhookCaches } from './caches.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { convertSidecarSetsRoute } from './routes/convertSidecarSets.js';
import { healthRoutes } from './routes/health.js';
import { mutatePodsRoute } from './routes/mutatePods.js';
import { resourceBindingRoutes } from './routes/resourceBindings.js';
import { sidecarSetRoutes } from './routes/sidecarSets.js';
import { clientCertificateTlsOptions, requireClientCertificate, type ClientAuthentication } from './tls/clientAuthentication.js';

/**
 * controller-runtime's limit (OpenKruise's webhook server): an UPDATE review carries two objects of at
 * most 3 MiB (the API server's request limit) plus the request. A body beyond it is not a real review.
 * Parse time is bounded separately, by the number of JSON values (admission/boundedJsonBody.ts).
 */
export const BODY_LIMIT_BYTES = 7 * 1024 * 1024;

export interface WebhookServerOptions {
  caches: WebhookCaches;
  metrics?: WebhookMetrics;
  /** pino options (a stream lets tests read the log), or false for silence. */
  logger?: boolean | { level?: string; stream?: DestinationStream };
  tls?: { key: string; cert: string };
  /** Only callers with a client certificate from this CA reach the admission routes (off when absent). */
  clientAuthentication?: ClientAuthentication;
  /** True once shutdown has begun: /readyz answers 503 while admissions are still served. */
  draining?: () => boolean;
  now?: () => Date;
  /** Random numbers in [0, 1) for Partial revision draws (Math.random when absent). */
  random?: () => number;
}

export function buildWebhookServer(options: WebhookServerOptions): FastifyInstance {
  const metrics = options.metrics ?? createWebhookMetrics(false);
  const common = {
    logger: options.logger ?? false,
    disableRequestLogging: true, // one line per admission, written by the admission routes
    bodyLimit: BODY_LIMIT_BYTES,
    // A review that arrives while the server closes is served, not answered 503: the API server
    // counts a 503 as a failed admission (failurePolicy Fail: a failed pod creation).
    return503OnClosing: false,
  };
  // HTTP/2 (HTTP/1.1 still accepted): the API server multiplexes its concurrent admission calls over
  // one connection instead of paying a TLS handshake for each new pooled HTTP/1.1 connection.
  const app = (
    options.tls ? Fastify({ ...common, http2: true, https: { allowHTTP1: true, key: options.tls.key, cert: options.tls.cert, ...(options.clientAuthentication ? clientCertificateTlsOptions(options.clientAuthentication.ca) : {}) } }) : Fastify(common)
  ) as unknown as FastifyInstance;
  const turns = turnTaking();
  boundedJsonBody(app, turns);
  const deps = { caches: options.caches, metrics, turns };
  if (options.clientAuthentication) requireClientCertificate(app, options.clientAuthentication);
  limitLargeBodies(app, BODY_LIMIT_BYTES);
  if (options.draining) closeConnectionsWhenDraining(app, options.draining);
  healthRoutes(app, options.caches, metrics, options.draining);
  mutatePodsRoute(app, { ...deps, ...(options.now ? { now: options.now } : {}), ...(options.random ? { random: options.random } : {}) });
  sidecarSetRoutes(app, deps);
  resourceBindingRoutes(app, deps);
  convertSidecarSetsRoute(app, deps);
  return app;
}
