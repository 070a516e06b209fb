// Prometheus metrics of the webhook, in a registry of its own so tests can build many servers.
// Every label has a bounded set of values: routes and results are fixed, skip reasons are codes,
// SidecarSet names are the cluster's SidecarSets.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WebhookMetrics {
  registry: Registry;
  requests: Counter<'route' | 'result'>;
  injected: Counter<'sidecarset'>;
  skipped: Counter<'reason'>;
  errors: Counter<'route'>;
  latency: Histogram<'route'>;
  eventLoopDelay: Gauge<'quantile'>;
}

/**
 * How late the event loop ran timers since the previous scrape (monitorEventLoopDelay): quantile
 * 0.5, 0.99 and 1 (the maximum). Every admission and health probe waits behind a blocked loop, so
 * this is the figure that must stay small whatever a request contains.
 */
function eventLoopDelayGauge(registry: Registry): Gauge<'quantile'> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return new Gauge({
    name: 'sidecarset_webhook_event_loop_delay_seconds',
    help: 'Event loop delay since the previous scrape, by quantile (1 is the maximum).',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
      this.set({ quantile: '0.5' }, seconds(delay.percentile(50)));
      this.set({ quantile: '0.99' }, seconds(delay.percentile(99)));
      this.set({ quantile: '1' }, seconds(delay.max));
      delay.reset();
    },
  });
}

export function createWebhookMetrics(withProcessMetrics = true): WebhookMetrics {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({ name: 'sidecarset_webhook_requests_total', help: 'Admission requests by route and result (allowed, denied, bad_request, error).', labelNames: ['route', 'result'], registers: [registry] }),
    injected: new Counter({ name: 'sidecarset_webhook_injected_total', help: 'SidecarSets injected into pods.', labelNames: ['sidecarset'], registers: [registry] }),
    skipped: new Counter({ name: 'sidecarset_webhook_skipped_total', help: 'Matching SidecarSets not injected, by reason (a code: InjectionPaused, NoContainers).', labelNames: ['reason'], registers: [registry] }),
    errors: new Counter({ name: 'sidecarset_webhook_errors_total', help: 'Admission requests that failed with an internal error.', labelNames: ['route'], registers: [registry] }),
    latency: new Histogram({
      name: 'sidecarset_webhook_request_duration_seconds',
      help: 'Time to answer an admission request, by route.',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    eventLoopDelay: eventLoopDelayGauge(registry),
  };
}
