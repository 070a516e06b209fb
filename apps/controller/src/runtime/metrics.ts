// The controller's Prometheus metrics, on their own Registry. Names follow controller-runtime and
// client-go's workqueue so existing dashboards and alerts for Kubernetes controllers apply unchanged;
// what is ours carries the sidecarset_ prefix.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WorkQueueHooks } from './workQueue.js';

export interface ControllerMetrics {
  registry: Registry;
  /** controller_runtime_reconcile_total{controller, result=success|error|requeue|requeue_after} */
  reconcileTotal: Counter<'controller' | 'result'>;
  /** controller_runtime_reconcile_time_seconds{controller} */
  reconcileDuration: Histogram<'controller'>;
  /** workqueue_depth{name} */
  workQueueDepth: Gauge<'name'>;
  /** workqueue_adds_total{name} */
  workQueueAdds: Counter<'name'>;
  /** workqueue_retries_total{name} */
  workQueueRetries: Counter<'name'>;
  /** workqueue_queue_duration_seconds{name}: time a key waited for a worker. */
  workQueueWait: Histogram<'name'>;
  /** sidecarset_pod_writes_total{kind}: the controller's writes, kind=pod-upgrade|pod-resize|pod-condition for Pods, sidecarset-status|controllerrevision for the rest (the name predates those two). */
  podWrites: Counter<'kind'>;
  /** leader_election_master_status{name}: 1 while this replica leads. */
  leader: Gauge<'name'>;
  /** sidecarset_rollout_blocked{sidecarset}: 1 while a rollout is reported RolloutBlocked, else 0. */
  rolloutBlocked: Gauge<'sidecarset'>;
  /** WorkQueue hooks that feed the metrics above for the queue and controller `name`. */
  workQueueHooks<K extends string>(name: string): WorkQueueHooks<K>;
}

export interface ControllerMetricsOptions {
  /** Default: a new Registry (tests and several instances stay apart). */
  registry?: Registry;
  /** Also collect process and Node.js metrics (prom-client defaults). Default false. */
  defaultMetrics?: boolean;
}

/** controller-runtime's reconcile buckets: 5 ms to 60 s. */
const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];
/** client-go workqueue buckets: 1 µs to 10 s, by 10. */
const QUEUE_BUCKETS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

export function createControllerMetrics(options: ControllerMetricsOptions = {}): ControllerMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const reconcileTotal = new Counter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller, by result', labelNames: ['controller', 'result'] as const, registers });
  const reconcileDuration = new Histogram({ name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: ['controller'] as const, buckets: RECONCILE_BUCKETS, registers });
  const workQueueDepth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of the work queue', labelNames: ['name'] as const, registers });
  const workQueueAdds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by the work queue', labelNames: ['name'] as const, registers });
  const workQueueRetries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of rate-limited retries handled by the work queue', labelNames: ['name'] as const, registers });
  const workQueueWait = new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds a key stays in the work queue before a worker takes it', labelNames: ['name'] as const, buckets: QUEUE_BUCKETS, registers });
  const podWrites = new Counter({ name: 'sidecarset_pod_writes_total', help: 'Writes the controller made, by kind: pod-upgrade, pod-resize, pod-condition (Pods); sidecarset-status, controllerrevision', labelNames: ['kind'] as const, registers });
  const leader = new Gauge({ name: 'leader_election_master_status', help: '1 while this replica is the leader of the named lease, else 0', labelNames: ['name'] as const, registers });
  const rolloutBlocked = new Gauge({ name: 'sidecarset_rollout_blocked', help: '1 while the SidecarSet\'s rollout has made no progress for --blocked-after-ms with unavailable pods holding its budget (a RolloutBlocked event), else 0', labelNames: ['sidecarset'] as const, registers });

  return {
    registry,
    reconcileTotal,
    reconcileDuration,
    workQueueDepth,
    workQueueAdds,
    workQueueRetries,
    workQueueWait,
    podWrites,
    leader,
    rolloutBlocked,
    workQueueHooks: <K extends string>(name: string): WorkQueueHooks<K> => {
      // Pre-create the series so dashboards show zeros before the first event.
      workQueueDepth.set({ name }, 0);
      workQueueAdds.inc({ name }, 0);
      workQueueRetries.inc({ name }, 0);
      for (const result of ['success', 'error', 'requeue', 'requeue_after']) reconcileTotal.inc({ controller: name, result }, 0);
      return {
        depth: (depth) => workQueueDepth.set({ name }, depth),
        added: () => workQueueAdds.inc({ name }),
        dequeued: (_key, seconds) => workQueueWait.observe({ name }, seconds),
        retried: () => workQueueRetries.inc({ name }),
        reconciled: (_key, outcome, seconds) => {
          reconcileTotal.inc({ controller: name, result: outcome });
          reconcileDuration.observe({ controller: name }, seconds);
        },
      };
    },
  };
}
