// The SidecarSet controller: caches filled by informers on every replica (a standby takes over
// warm), a keyed work queue fed by SidecarSet, Pod, Namespace and ControllerRevision events, and
// reconcile workers that run only while this replica holds the leader Lease. Namespace labels are
// cached because a SidecarSet acts only on the pods it selects now, namespaceSelector included.
import type { KubeConfig } from '@kubernetes/client-node';
import { controllerRevisionInformer, namespaceInformer, podInformer, storedSidecarSetInformer, type Informer, type Namespace, type Pod, type SidecarSet } from '@sidecarset/api';
import { rolloutPodView, SIDECARSET_NAME_LABEL, toV1alpha1 } from '@sidecarset/core';
import type { Logger } from 'pino';
import type { ControllerConfig } from './config.js';
import { apiServerWriter } from './reconcile/clusterWriter.js';
import { PodsBySidecarSet } from './reconcile/podsBySidecarSet.js';
import { reconcileSidecarSet } from './reconcile/reconcileSidecarSet.js';
import { withMirrorFields } from './mirrors/mirrorPodView.js';
import { createMirrorsStep } from './mirrors/mirrorsStep.js';
import { createJobExitStep } from './jobExit/jobExitStep.js';
import { WrittenObjects } from './reconcile/writtenObjects.js';
import { podResizeDiscovery } from './discovery/podResizeDiscovery.js';
import { apiServerEventSink, apiServerLeaseStore, createControllerMetrics, EventRecorder, LeaderElector, WorkQueue, type ControllerMetrics } from './runtime/index.js';

/**
 * How long pod events gather before the SidecarSets they touch are reconciled: a storm of pod events
 * (a Deployment of thousands scaling up) costs one reconcile of all their pods per moment.
 */
const POD_EVENT_BATCH_MS = 500;
/**
 * The same while the SidecarSet's rollout is under way: each upgraded pod that is ready again frees
 * budget for the next, and waiting for the batch would add to every pod's turn. But at least as long
 * as its last reconcile took (up to POD_EVENT_BATCH_MS), so that on a starved machine, where a
 * reconcile of 1,000 pods can take 300 ms rather than 10, reconciles do not follow each other without
 * a pause and the API server and the kubelets keep their share.
 */
const ROLLING_POD_EVENT_BATCH_MS = 100;

/** What the controller reads of a Namespace: its labels. */
const namespaceLabelsView = (namespace: Namespace): Namespace => ({ metadata: { name: namespace.metadata?.name, resourceVersion: namespace.metadata?.resourceVersion, labels: namespace.metadata?.labels } });

export interface SidecarSetController {
  metrics: ControllerMetrics;
  /** Caches loaded. */
  ready(): boolean;
  isLeader(): boolean;
  /** Starts the caches, then leads (or waits to) and reconciles. Resolves once the caches are loaded. */
  start(): Promise<void>;
  /** Finishes in-flight reconciles, releases the Lease, stops the caches. */
  stop(): Promise<void>;
  /** Called when leadership is lost: the process should exit so that it starts clean. */
  onLostLeadership?: () => void;
}

export function createController(config: ControllerConfig, kubeConfig: KubeConfig, log: Logger): SidecarSetController {
  const metrics = createControllerMetrics({ defaultMetrics: true }); // heap and RSS for operators
  const onError = (error: unknown) => log.warn({ err: error }, 'watch restarted');
  const sidecarSets = storedSidecarSetInformer(kubeConfig, toV1alpha1, { onError }); // v1beta1 on the wire, the core's v1alpha1 shape in the cache
  const pods = podInformer(kubeConfig, {}, { onError, transform: (pod: Pod) => withMirrorFields(rolloutPodView(pod), pod) }); // only what the rollout and mirrors read: thousands of pods
  const revisions = controllerRevisionInformer(kubeConfig, config.namespace, { labelSelector: SIDECARSET_NAME_LABEL }, { onError });
  const namespaces = namespaceInformer(kubeConfig, { onError, transform: namespaceLabelsView });
  const informers: Informer<{ metadata?: object }>[] = [sidecarSets, pods, revisions, namespaces] as never;
  const index = new PodsBySidecarSet({
    sidecarSet: (name) => sidecarSets.get(name),
    namespaceLabels: (name) => {
      const namespace = namespaces.get(name);
      return namespace && (namespace.metadata?.labels ?? {});
    },
  });
  const queue = new WorkQueue<string>({ hooks: metrics.workQueueHooks('sidecarset') });
  // pods/resize served? (discovery at start, then every 10 minutes): the resize kind needs it.
  const resize = podResizeDiscovery(kubeConfig, { disabled: config.podResize === 'off', onError: (error) => log.warn({ err: error }, 'API discovery of pods/resize failed') });
  // What the reconciles wrote, until the caches have it (writtenObjects.ts).
  const writtenPods = new WrittenObjects<Pod>();
  const writtenSidecarSets = new WrittenObjects<SidecarSet>();
  let patched = 0; // pod upgrades written, for the debug log of each reconcile
  const apiServer = apiServerWriter(kubeConfig, (kind) => metrics.podWrites.inc({ kind }));
  const writer = {
    ...apiServer,
    async patchPod(...args: Parameters<typeof apiServer.patchPod>) {
      const stored = await apiServer.patchPod(...args);
      patched++;
      if (stored) writtenPods.record(rolloutPodView(stored));
      return stored;
    },
    async updateSidecarSetStatus(...args: Parameters<typeof apiServer.updateSidecarSetStatus>) {
      const stored = await apiServer.updateSidecarSetStatus(...args);
      if (stored) writtenSidecarSets.record(stored);
      return stored;
    },
  };
  const events = new EventRecorder({ sink: apiServerEventSink(kubeConfig), onError: (error) => log.warn({ err: error }, 'event not recorded') });
  const mirrors = createMirrorsStep({ kubeConfig, log, metrics, events, sidecarSets, pods, namespaces, index });
  informers.push(...mirrors.informers);
  // Job pods whose app ended: regular sidecars stopped by an exit-image swap (jobExit/).
  const jobExit = createJobExitStep({ kubeConfig, log, metrics, events, ...(config.exitImage ? { exitImage: config.exitImage } : {}) });
  informers.push(...jobExit.informers);
  let leading = false;
  let lostLeadership = false;

  sidecarSets.subscribe((e) => {
    writtenSidecarSets.observe(e);
    queue.add(e.object.metadata?.name ?? '');
  });
  /** SidecarSets whose last reconcile found their rollout under way, with how long it took (ms). */
  const rolling = new Map<string, number>();
  // A pod event asks for a reconcile a moment later, so that a storm of pod events (a Deployment of
  // thousands scaling up) costs one reconcile of all their pods per moment, not one per event.
  pods.subscribe((e) => {
    writtenPods.observe(e);
    for (const name of index.applyPod(e)) {
      const lastReconcileMs = rolling.get(name);
      queue.addAfter(name, lastReconcileMs === undefined ? POD_EVENT_BATCH_MS : Math.min(POD_EVENT_BATCH_MS, Math.max(ROLLING_POD_EVENT_BATCH_MS, lastReconcileMs)));
    }
  });
  // A namespace relabelled in or out of a namespaceSelector changes which pods the SidecarSet acts on.
  namespaces.subscribe((e) => index.applyNamespace(e).forEach((name) => queue.add(name)));
  revisions.subscribe((e) => {
    const owner = e.object.metadata?.labels?.[SIDECARSET_NAME_LABEL];
    if (owner) queue.add(owner);
  });

  const reconcile = async (name: string) => {
    const started = Date.now();
    const patchedBefore = patched;
    const result = await reconcileSidecarSet(name, {
      sidecarSet: (n) => writtenSidecarSets.freshest(sidecarSets.get(n)),
      podsOf: (n) => writtenPods.freshestOf(index.podsOf(n)),
      revisions: () => revisions.list(),
      writer,
      events,
      revisionNamespace: config.namespace,
      now: () => new Date(),
      blockedAfterMs: config.blockedAfterMs,
      resyncWhileRollingMs: config.resyncMs,
      capabilities: resize.capabilities,
      rolloutBlocked: (n, blocked) => (blocked === undefined ? metrics.rolloutBlocked.remove({ sidecarset: n }) : metrics.rolloutBlocked.set({ sidecarset: n }, blocked ? 1 : 0)),
    });
    const ms = Date.now() - started;
    if (result?.requeueAfterMs !== undefined) rolling.set(name, ms);
    else if (!result?.requeue) rolling.delete(name);
    log.debug({ sidecarSet: name, ms, patched: patched - patchedBefore, result }, 'reconciled');
    return result;
  };

  const lead = async (signal: AbortSignal) => {
    leading = true;
    metrics.leader.set({ name: config.leaseName }, 1);
    log.info({ identity: config.identity }, 'leading: reconciling SidecarSets');
    for (const s of sidecarSets.list()) queue.add(s.metadata?.name ?? '');
    signal.addEventListener('abort', () => void Promise.all([queue.shutDown(), mirrors.shutDown(), jobExit.shutDown()]), { once: true });
    await Promise.all([queue.run(config.workers, reconcile), mirrors.run(config.workers), jobExit.run(config.workers)]);
  };

  const elector = config.leaderElect
    ? new LeaderElector({
        lease: apiServerLeaseStore(kubeConfig, config.namespace, config.leaseName),
        identity: config.identity,
        leaseDurationMs: config.leaseDurationMs,
        renewDeadlineMs: config.renewDeadlineMs,
        retryPeriodMs: config.retryPeriodMs,
        onStartedLeading: lead,
        onStoppedLeading: () => {
          leading = false;
          metrics.leader.set({ name: config.leaseName }, 0);
          if (!stopping) {
            lostLeadership = true;
            log.error('lost the leader Lease');
            controller.onLostLeadership?.();
          }
        },
        onNewLeader: (identity) => log.info({ leader: identity }, 'leader observed'),
        onError: (error) => log.warn({ err: error }, 'leader election'),
      })
    : undefined;
  let stopping = false;
  let electing: Promise<void> | undefined;

  const controller: SidecarSetController = {
    metrics,
    ready: () => informers.every((i) => i.hasSynced()) && !lostLeadership,
    isLeader: () => leading,
    async start() {
      informers.forEach((i) => i.start());
      await Promise.all(informers.map((i) => i.waitForSync()));
      log.info({ podResize: await resize.refresh(), setting: config.podResize }, 'in-place resize (pods/resize)');
      resize.start(10 * 60_000, (served) => {
        log.info({ podResize: served }, 'pods/resize discovery changed');
        for (const s of sidecarSets.list()) queue.add(s.metadata?.name ?? '');
      });
      log.info({ sidecarSets: sidecarSets.list().length, pods: pods.list().length }, 'caches loaded');
      if (elector) electing = elector.run();
      else void lead(new AbortController().signal);
    },
    async stop() {
      stopping = true;
      resize.stop();
      await queue.shutDown();
      await mirrors.shutDown();
      await jobExit.shutDown();
      if (elector) {
        await elector.stop({ release: true });
        await electing;
      }
      await Promise.all(informers.map((i) => i.stop()));
      await mirrors.stop();
    },
  };
  return controller;
}
