// What admission decisions read: SidecarSets, Namespace labels, SidecarSet ControllerRevisions,
// SidecarSetResourceBindings (all namespaces) and the patchPodMetadata whitelist, all kept by
// watches (never listed per request). Ready once every
// cache has loaded, or for the whitelist's ConfigMap once its first read has failed: it only decides
// SidecarSets that patch pod annotations, so while it is not loaded (or cannot be read) those are
// refused, saying why, and pods and every other SidecarSet are admitted as usual.
// CSIDriver names (csiDrivers.ts) decide whether a stdlog volume is rewritten; Node kubelet versions
// and the API server's version (nodeVersions.ts) whether a sidecar asking for it is a native sidecar.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  controllerRevisionInformer,
  namespaceInformer,
  pathInformer,
  storedSidecarSetInformer,
  type ControllerRevision,
  type Informer,
  type InformerOptions,
  type SidecarSet,
  type SidecarSetResourceBinding,
} from '@sidecarset/api';
import { KRUISE_CONFIGURATION_NAME, parsePatchMetadataWhitelist, toV1alpha1, type NodeVersions, type PatchMetadataWhitelist, type WhitelistOptions } from '@sidecarset/core';
import { apiServerNamespaceReader, namespaceLookup, type NamespaceLookupResult } from './namespaceLookup.js';
import { csiDriverCache } from './csiDrivers.js';
import { nodeVersionCache } from './nodeVersions.js';

export interface WebhookCaches {
  ready(): boolean;
  sidecarSets(): SidecarSet[];
  /** Labels of a namespace, or undefined when it is not (yet) known. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Reads a namespace the watch has not delivered yet from the API server. */
  lookupNamespaceLabels(namespace: string): Promise<NamespaceLookupResult>;
  revisions(): ControllerRevision[];
  /** Names of the cluster's CSIDrivers: a stdlog volume whose driver is missing is rewritten (core stdlog/). */
  csiDrivers(): ReadonlySet<string>;
  /** SidecarSetResourceBindings of every namespace: which SidecarSet may mount which ConfigMap or Secret of another namespace. */
  bindings(): SidecarSetResourceBinding[];
  /** The patchPodMetadata whitelist of OpenKruise's kruise-configuration ConfigMap, as last seen. */
  patchMetadataWhitelist(): PatchMetadataWhitelist;
  /** Every Node's labels and kubelet version, and the API server's version (core nativeSidecar/). */
  nodeVersions(): NodeVersions;
}

export interface InformerCaches extends WebhookCaches {
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface ConfigMap {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

export interface WhitelistSettings extends WhitelistOptions {
  /** The ConfigMap holding the whitelist, in the revision namespace (the webhook's own); default kruise-configuration. */
  configMap?: string;
  /** Called with the whitelist once first read, and again whenever the ConfigMap changes (for the log). */
  onChange?: (whitelist: PatchMetadataWhitelist) => void;
}

/** Only the whitelist's one ConfigMap is watched (a field selector on its name). */
export function informerCaches(kubeConfig: KubeConfig, revisionNamespace: string, options: InformerOptions = {}, whitelistSettings: WhitelistSettings = {}): InformerCaches {
  // v1beta1 on the wire (no /convert call while this cache fills), the core's v1alpha1 shape in the cache.
  const sidecarSets = storedSidecarSetInformer(kubeConfig, toV1alpha1, options);
  const namespaces = namespaceInformer(kubeConfig, options);
  // Only SidecarSet revisions: the controller labels them with the SidecarSet's name.
  const revisions = controllerRevisionInformer(kubeConfig, revisionNamespace, { labelSelector: 'kruise.io/sidecarset-name' }, options);
  const bindings = pathInformer<SidecarSetResourceBinding>(kubeConfig, '/apis/sidecarset.alibabacloud.com/v1alpha1/sidecarsetresourcebindings', {}, options) as Informer<SidecarSetResourceBinding>;
  const all: Informer<{ metadata?: object }>[] = [sidecarSets, namespaces, revisions, bindings] as never;
  const csiDrivers = csiDriverCache(kubeConfig, options);
  all.push(csiDrivers.informer as never);
  const nodes = nodeVersionCache(kubeConfig, options);
  const lookup = namespaceLookup(apiServerNamespaceReader(kubeConfig));
  const whitelist = whitelistCache(kubeConfig, revisionNamespace, whitelistSettings, options);
  return {
    ready: () => all.every((i) => i.hasSynced()) && nodes.informer.hasSynced() && whitelist.settled(),
    sidecarSets: () => sidecarSets.list(),
    namespaceLabels: (name) => namespaces.get(name)?.metadata?.labels ?? (namespaces.get(name) ? {} : undefined),
    lookupNamespaceLabels: lookup,
    revisions: () => revisions.list(),
    csiDrivers: csiDrivers.names,
    bindings: () => bindings.list(),
    patchMetadataWhitelist: whitelist.current,
    nodeVersions: nodes.versions,
    async start() {
      all.forEach((i) => i.start());
      whitelist.informer.start();
      await Promise.all([...all.map((i) => i.waitForSync()), whitelist.loadedOrFailed, nodes.start()]);
    },
    async stop() {
      await Promise.all([...all, whitelist.informer].map((i) => i.stop()).concat(nodes.stop()));
    },
  };
}

/** The ConfigMap's watch, and its whitelist parsed once per version of the object. */
function whitelistCache(kubeConfig: KubeConfig, namespace: string, settings: WhitelistSettings, options: InformerOptions) {
  const name = settings.configMap ?? KRUISE_CONFIGURATION_NAME;
  const gate = settings.defaultsAllowed ? { defaultsAllowed: true } : {};
  const source = `ConfigMap ${namespace}/${name}`;
  let lastError: unknown;
  let failed: () => void = () => undefined;
  const firstFailure = new Promise<void>((resolve) => (failed = resolve));
  const informer = pathInformer<ConfigMap>(kubeConfig, `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`, { fieldSelector: `metadata.name=${name}` }, {
    ...options,
    onError: (error) => {
      lastError = error;
      failed();
      options.onError?.(error);
    },
  });
  let parsed: { object: ConfigMap | undefined; whitelist: PatchMetadataWhitelist } | undefined;
  const current = (): PatchMetadataWhitelist => {
    if (!informer.hasSynced()) {
      const why = lastError === undefined ? 'its watch has not loaded yet' : `reading it failed (${errorText(lastError)}); the webhook's ServiceAccount needs get, list and watch on it`;
      return { kind: 'unknown', source, reason: why, ...gate };
    }
    const object = informer.get(`${namespace}/${name}`);
    if (!parsed || parsed.object !== object) parsed = { object, whitelist: parsePatchMetadataWhitelist(object ? (object.data ?? {}) : undefined, source, gate) };
    return parsed.whitelist;
  };
  if (settings.onChange) {
    const report = settings.onChange;
    // Events delivered while the first list is applied come before hasSynced(): reported once after it.
    informer.subscribe((event) => void (event.type !== 'resync' && informer.hasSynced() && report(current())));
    void informer.waitForSync().then(() => report(current()));
  }
  let settled = false;
  const loadedOrFailed = Promise.race([informer.waitForSync(), firstFailure]).then(() => void (settled = true));
  return { informer, current, loadedOrFailed, settled: () => settled };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** Fixed contents, for tests of the HTTP layer and for offline use. */
export function staticCaches(contents: {
  sidecarSets?: SidecarSet[];
  namespaces?: Record<string, Record<string, string>>;
  revisions?: ControllerRevision[];
  /** Default: none. */
  csiDrivers?: string[];
  bindings?: SidecarSetResourceBinding[];
  /** Default: no whitelist ConfigMap. */
  patchMetadataWhitelist?: PatchMetadataWhitelist;
  /** Default: no node known and an API server of 1.29+ (native sidecars where asked). */
  nodeVersions?: NodeVersions;
}): WebhookCaches {
  const whitelist = contents.patchMetadataWhitelist ?? { kind: 'missing', source: `ConfigMap sidecarset-system/${KRUISE_CONFIGURATION_NAME}` };
  return {
    ready: () => true,
    sidecarSets: () => contents.sidecarSets ?? [],
    namespaceLabels: (name) => contents.namespaces?.[name] ?? { 'kubernetes.io/metadata.name': name },
    lookupNamespaceLabels: (name) => Promise.resolve({ ok: true, labels: contents.namespaces?.[name] ?? { 'kubernetes.io/metadata.name': name } }),
    revisions: () => contents.revisions ?? [],
    csiDrivers: () => new Set(contents.csiDrivers ?? []),
    bindings: () => contents.bindings ?? [],
    patchMetadataWhitelist: () => whitelist,
    nodeVersions: () => contents.nodeVersions ?? { nodes: [], apiServerVersion: 'v1.36.0' },
  };
}
