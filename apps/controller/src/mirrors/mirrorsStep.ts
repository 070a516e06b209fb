// The mirrors step of the controller (docs/design/cross-namespace-mirrors.md): its caches (bindings;
// ConfigMaps and Secrets labelled as mirrors; one watch per source a binding names), a work queue
// keyed by source namespace that keeps the mirrors of that namespace's sources, and a work queue keyed
// by pod that lifts the scheduling gate once a pod's mirrors exist and are trusted. It shares the
// controller's SidecarSet, Pod and Namespace caches and its pod index, and reconciles only while the
// controller leads.
import type { KubeConfig } from '@kubernetes/client-node';
import { INJECTED_LIST_ANNOTATION, isPodActive, MIRROR_LABEL, MIRROR_SOURCE_NAMESPACE_LABEL, parseInjectedList } from '@sidecarset/core';
import { pathInformer, withoutManagedFields, type Informer, type InformerEvent, type Namespace, type Pod, type SidecarSet, type SidecarSetResourceBinding } from '@sidecarset/api';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { PodsBySidecarSet } from '../reconcile/podsBySidecarSet.js';
import { WrittenObjects } from '../reconcile/writtenObjects.js';
import { WorkQueue, type ControllerMetrics, type EventRecorder } from '../runtime/index.js';
import type { MirrorObject } from './mirrorObject.js';
import { apiServerMirrorWriter } from './mirrorWriter.js';
import { isGated, reconcileGate } from './reconcileGate.js';
import { reconcileMirrors, type MirrorsDeps } from './reconcileMirrors.js';
import { SourceInformers } from './sourceInformers.js';
import { uniqueSources, type MirrorRef } from './wantedMirrors.js';

/** Pod events gather this long before the source namespaces they touch are reconciled. */
const POD_EVENT_BATCH_MS = 100;
/** Gate workers: each lift is one pod PATCH, and a burst of new pods would wait for them in turn (as many as the rollout patches in flight). */
const GATE_WORKERS = 64;

export interface MirrorsStepOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  metrics: ControllerMetrics;
  events: EventRecorder;
  sidecarSets: Informer<SidecarSet>;
  pods: Informer<Pod>;
  namespaces: Informer<Namespace>;
  /** The controller's index of the pods each SidecarSet selects now and was injected into. */
  index: PodsBySidecarSet;
}

export interface MirrorsStep {
  /** Its own caches, to start, wait for and stop with the controller's. */
  informers: Informer<{ metadata?: object }>[];
  /** Reconciles with `workers` source namespaces at a time (and more pods' gates) until shutDown. */
  run(workers: number): Promise<void>;
  shutDown(): Promise<void>;
  /** Stops the per-source watches (the informers above are the caller's to stop). */
  stop(): Promise<void>;
}

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** A pod change that may change which mirrors are wanted: it came or went, or its labels, injected list or liveness changed. */
function mattersForMirrors(event: InformerEvent<Pod>): boolean {
  if (event.type !== 'update') return event.type !== 'resync';
  const { old, object } = event;
  return (
    !sameLabels(old.metadata?.labels, object.metadata?.labels) ||
    old.metadata?.annotations?.[INJECTED_LIST_ANNOTATION] !== object.metadata?.annotations?.[INJECTED_LIST_ANNOTATION] ||
    isPodActive(old) !== isPodActive(object)
  );
}

export function createMirrorsStep(options: MirrorsStepOptions): MirrorsStep {
  const { kubeConfig, log, metrics, sidecarSets, pods, namespaces, index } = options;
  const onError = (error: unknown) => log.warn({ err: error }, 'watch restarted');
  const selector = { labelSelector: `${MIRROR_LABEL}=true` };
  const trim = { onError, transform: withoutManagedFields as (o: never) => unknown };
  const bindings = pathInformer<SidecarSetResourceBinding>(kubeConfig, '/apis/sidecarset.alibabacloud.com/v1alpha1/sidecarsetresourcebindings', {}, trim) as Informer<SidecarSetResourceBinding>;
  const configMaps = pathInformer<MirrorObject>(kubeConfig, '/api/v1/configmaps', selector, trim) as Informer<MirrorObject>;
  const secrets = pathInformer<MirrorObject>(kubeConfig, '/api/v1/secrets', selector, trim) as Informer<MirrorObject>;
  const hooks = (name: string) => ({ ...metrics.workQueueHooks<string>(name), failed: (key: string, error: unknown) => log.warn({ queue: name, key, err: error }, 'reconcile failed') });
  const queue = new WorkQueue<string>({ hooks: hooks('mirrors') });
  const gates = new WorkQueue<string>({ hooks: hooks('mirror-gates') });
  const sources = new SourceInformers(kubeConfig, (namespace) => queue.add(namespace), onError);
  const writes = new Counter({ name: 'sidecarset_mirror_writes_total', help: 'Writes the controller made for mirrors, by kind', labelNames: ['kind'] as const, registers: [metrics.registry] });
  // A status just written stands in for the cached binding until the watch delivers it: the next
  // reconcile would otherwise write at the old resourceVersion (a conflict) and gates would wait for the event.
  const writtenBindings = new WrittenObjects<SidecarSetResourceBinding>();
  const apiServer = apiServerMirrorWriter(kubeConfig, (kind) => writes.inc({ kind }));
  const writer = {
    ...apiServer,
    async updateBindingStatus(...args: Parameters<typeof apiServer.updateBindingStatus>) {
      const stored = await apiServer.updateBindingStatus(...args);
      writtenBindings.record(stored);
      addGatedIn();
      return stored;
    },
  };

  const bindingsIn = (namespace: string) => writtenBindings.freshestOf(bindings.list().filter((b) => b.metadata?.namespace === namespace));
  const mirror = (ref: MirrorRef) => (ref.kind === 'Secret' ? secrets : configMaps).get(`${ref.namespace}/${ref.name}`);
  const sourceNamespaces = (sidecarSet: SidecarSet | undefined) => new Set(sidecarSet ? uniqueSources(sidecarSet).map((s) => s.namespace) : []);
  const allSourceNamespaces = () => new Set([...bindings.list().map((b) => b.metadata?.namespace ?? ''), ...sidecarSets.list().flatMap((s) => [...sourceNamespaces(s)])]);

  /** Pods carrying the gate, by namespace: the ones a mirror or binding event may release. */
  const gated = new Map<string, Set<string>>();
  const addGatedIn = (namespace?: string) => {
    for (const [ns, keys] of gated) if (namespace === undefined || ns === namespace) keys.forEach((k) => gates.add(k));
  };

  bindings.subscribe((e) => {
    writtenBindings.observe(e);
    sources.sync(bindings.list());
    queue.add(e.object.metadata?.namespace ?? '');
    addGatedIn();
  });
  for (const informer of [configMaps, secrets]) {
    informer.subscribe((e) => {
      for (const object of e.type === 'update' ? [e.old, e.object] : [e.object]) {
        const from = object.metadata?.labels?.[MIRROR_SOURCE_NAMESPACE_LABEL];
        if (from) queue.add(from);
      }
      addGatedIn(e.object.metadata?.namespace);
    });
  }
  sidecarSets.subscribe((e) => {
    for (const ns of new Set([...sourceNamespaces(e.object), ...sourceNamespaces(e.type === 'update' ? e.old : undefined)])) queue.add(ns);
  });
  namespaces.subscribe((e) => {
    if (e.type === 'update' && sameLabels(e.old.metadata?.labels, e.object.metadata?.labels)) return;
    if (e.type === 'resync') return;
    allSourceNamespaces().forEach((ns) => queue.add(ns));
  });
  pods.subscribe((e) => {
    const pod = e.object;
    const namespace = pod.metadata?.namespace ?? '';
    const key = `${namespace}/${pod.metadata?.name}`;
    if (e.type !== 'delete' && isGated(pod)) {
      let keys = gated.get(namespace);
      if (!keys) gated.set(namespace, (keys = new Set()));
      keys.add(key);
      gates.add(key);
    } else {
      gated.get(namespace)?.delete(key);
      if (gated.get(namespace)?.size === 0) gated.delete(namespace);
    }
    if (!mattersForMirrors(e)) return;
    const names = new Set([...parseInjectedList(pod.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]), ...(e.type === 'update' ? parseInjectedList(e.old.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]) : [])]);
    for (const name of names) for (const ns of sourceNamespaces(sidecarSets.get(name))) queue.addAfter(ns, POD_EVENT_BATCH_MS);
  });

  const deps: MirrorsDeps = {
    bindingsIn,
    sidecarSets: () => sidecarSets.list(),
    podsOf: (name) => index.podsOf(name),
    source: (source) => sources.get(source),
    mirror,
    mirrorsOf: (namespace) =>
      [
        ...configMaps.list().map((object) => ({ kind: 'ConfigMap' as const, object })),
        ...secrets.list().map((object) => ({ kind: 'Secret' as const, object })),
      ].filter(({ object }) => object.metadata?.labels?.[MIRROR_SOURCE_NAMESPACE_LABEL] === namespace),
    writer,
    events: options.events,
    created: new Map(),
    told: new Set(),
    gone: new Set(),
    log,
    now: () => new Date(),
  };
  const gateDeps = {
    pod: (key: string) => pods.get(key),
    sidecarSetsOf: (pod: Pod) => index.sidecarSetsOf(pod).flatMap((name) => sidecarSets.get(name) ?? []),
    bindingsIn,
    mirror,
    writer,
    lifted: new Set<string>(),
  };

  return {
    informers: [bindings, configMaps, secrets] as never,
    async run(workers) {
      sources.sync(bindings.list());
      allSourceNamespaces().forEach((ns) => queue.add(ns));
      addGatedIn();
      await Promise.all([queue.run(workers, (ns) => reconcileMirrors(ns, deps)), gates.run(Math.max(workers, GATE_WORKERS), (key) => reconcileGate(key, gateDeps))]);
    },
    async shutDown() {
      await Promise.all([queue.shutDown(), gates.shutDown()]);
    },
    stop: () => sources.stop(),
  };
}
