// What admission decisions read: SidecarSets, Namespace labels and SidecarSet ControllerRevisions,
// all kept by watches (never listed per request). Ready only once every cache has loaded.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  controllerRevisionInformer,
  namespaceInformer,
  sidecarSetInformer,
  type ControllerRevision,
  type Informer,
  type InformerOptions,
  type SidecarSet,
} from '@sidecarset/api';
import { apiServerNamespaceReader, namespaceLookup, type NamespaceLookupResult } from './namespaceLookup.js';

export interface WebhookCaches {
  ready(): boolean;
  sidecarSets(): SidecarSet[];
  /** Labels of a namespace, or undefined when it is not (yet) known. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Reads a namespace the watch has not delivered yet from the API server. */
  lookupNamespaceLabels(namespace: string): Promise<NamespaceLookupResult>;
  revisions(): ControllerRevision[];
}

export interface InformerCaches extends WebhookCaches {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function informerCaches(kubeConfig: KubeConfig, revisionNamespace: string, options: InformerOptions = {}): InformerCaches {
  const sidecarSets = sidecarSetInformer(kubeConfig, options);
  const namespaces = namespaceInformer(kubeConfig, options);
  // Only SidecarSet revisions: the controller labels them with the SidecarSet's name.
  const revisions = controllerRevisionInformer(kubeConfig, revisionNamespace, { labelSelector: 'kruise.io/sidecarset-name' }, options);
  const all: Informer<{ metadata?: object }>[] = [sidecarSets, namespaces, revisions] as never;
  const lookup = namespaceLookup(apiServerNamespaceReader(kubeConfig));
  return {
    ready: () => all.every((i) => i.hasSynced()),
    sidecarSets: () => sidecarSets.list(),
    namespaceLabels: (name) => namespaces.get(name)?.metadata?.labels ?? (namespaces.get(name) ? {} : undefined),
    lookupNamespaceLabels: lookup,
    revisions: () => revisions.list(),
    async start() {
      all.forEach((i) => i.start());
      await Promise.all(all.map((i) => i.waitForSync()));
    },
    async stop() {
      await Promise.all(all.map((i) => i.stop()));
    },
  };
}

/** Fixed contents, for tests of the HTTP layer and for offline use. */
export function staticCaches(contents: { sidecarSets?: SidecarSet[]; namespaces?: Record<string, Record<string, string>>; revisions?: ControllerRevision[] }): WebhookCaches {
  return {
    ready: () => true,
    sidecarSets: () => contents.sidecarSets ?? [],
    namespaceLabels: (name) => contents.namespaces?.[name] ?? { 'kubernetes.io/metadata.name': name },
    lookupNamespaceLabels: (name) => Promise.resolve({ ok: true, labels: contents.namespaces?.[name] ?? { 'kubernetes.io/metadata.name': name } }),
    revisions: () => contents.revisions ?? [],
  };
}
