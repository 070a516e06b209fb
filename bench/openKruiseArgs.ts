// Flags both benchmarks give OpenKruise's manager on top of startOpenKruise's.
/**
 * Feature gates off, each for a CRD that is not installed (startOpenKruise installs only SidecarSet's
 * and those its start-up insists on or waits for):
 * - WorkloadSpread: its pod webhook lists WorkloadSpreads for every pod with a controller (the
 *   Deployment's pods of bench:controller) and denies the pod when the kind is missing.
 * - PodUnavailableBudget*: with PodUnavailableBudget's CRD installed (startOpenKruise does, or its
 *   start-up waits a minute for it) its controller also waits for the CloneSet and Advanced
 *   StatefulSet kinds, which are not, and after controller-runtime's 2-minute cache-sync timeout the
 *   whole manager exits.
 * Their pod webhook steps are skipped then (they would find no objects anyway).
 */
export const KRUISE_BENCH_ARGS = ['--feature-gates=WorkloadSpread=false,PodUnavailableBudgetDeleteGate=false,PodUnavailableBudgetUpdateGate=false'];
