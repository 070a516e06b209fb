// Prometheus metrics of the webhook, in a registry of its own so tests can build many servers.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WebhookMetrics {
  registry: Registry;
  requests: Counter<'route' | 'result'>;
  injected: Counter<'sidecarset'>;
  skipped: Counter<'reason'>;
  errors: Counter<'route'>;
  latency: Histogram<'route'>;
}

export function createWebhookMetrics(withProcessMetrics = true): WebhookMetrics {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({ name: 'sidecarset_webhook_requests_total', help: 'Admission requests by route and result (allowed, denied, bad_request, error).', labelNames: ['route', 'result'], registers: [registry] }),
    injected: new Counter({ name: 'sidecarset_webhook_injected_total', help: 'SidecarSets injected into pods.', labelNames: ['sidecarset'], registers: [registry] }),
    skipped: new Counter({ name: 'sidecarset_webhook_skipped_total', help: 'Matching SidecarSets not injected, by reason.', labelNames: ['reason'], registers: [registry] }),
    errors: new Counter({ name: 'sidecarset_webhook_errors_total', help: 'Admission requests that failed with an internal error.', labelNames: ['route'], registers: [registry] }),
    latency: new Histogram({
      name: 'sidecarset_webhook_request_duration_seconds',
      help: 'Time to answer an admission request, by route.',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}
