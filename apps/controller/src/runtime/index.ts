// The controller's runtime: work queue, leader election, events and metrics (controller-runtime's
// parts, in TypeScript). Reconcilers are built on these; main.ts wires them together.
export { sleep, systemClock, type Clock, type TimerHandle } from './clock.js';
export { FakeClock, flushPromises } from './fakeClock.js';
export {
  defaultControllerRateLimiter,
  ExponentialBackoffRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  type DefaultRateLimiterOptions,
  type RateLimiter,
} from './rateLimiter.js';
export { WorkQueue, type Reconcile, type ReconcileOutcome, type ReconcileResult, type WorkQueueHooks, type WorkQueueOptions } from './workQueue.js';
export { apiServerLeaseStore, leasePath, type LeaseStore } from './leaseStore.js';
export { JITTER_FACTOR, LeaderElectionConfigError, LeaderElector, type LeaderElectorOptions } from './leaderElection.js';
export { createControllerMetrics, type ControllerMetrics, type ControllerMetricsOptions } from './metrics.js';
export {
  apiServerEventSink,
  EventRecorder,
  involvedObjectOf,
  MESSAGE_LIMIT,
  POD_TYPE,
  SIDECARSET_TYPE,
  type EventRecorderOptions,
  type EventSink,
  type EventType,
  type InvolvedObject,
  type RecordResult,
} from './eventRecorder.js';
export { microTime, wholeSecondTime } from './microTime.js';
