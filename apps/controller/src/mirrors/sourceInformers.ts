// One informer per source a binding names (its namespace and resourceRefs), each a watch of that one
// object by field selector: the controller never caches the ConfigMaps and Secrets of a namespace it
// was not pointed at. Informers start when a binding names a source and stop when none does.
import type { KubeConfig } from '@kubernetes/client-node';
import { pathInformer, withoutManagedFields, type Informer, type SidecarSetResourceBinding } from '@sidecarset/api';
import { sourceKey, type CrossNamespaceSource } from '@sidecarset/core';
import type { MirrorObject } from './mirrorObject.js';

export class SourceInformers {
  private readonly informers = new Map<string, Informer<MirrorObject>>();
  private stopped = false;

  constructor(
    private readonly kubeConfig: KubeConfig,
    /** Called with the source's namespace on every event of a source, and once it has been read. */
    private readonly changed: (namespace: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The source as cached: null when it does not exist, undefined while no binding names it or it is not read yet. */
  get(source: CrossNamespaceSource): MirrorObject | null | undefined {
    const informer = this.informers.get(sourceKey(source));
    if (!informer?.hasSynced()) return undefined;
    return informer.get(`${source.namespace}/${source.name}`) ?? null;
  }

  /** Watches exactly the sources the bindings name. */
  sync(bindings: readonly SidecarSetResourceBinding[]): void {
    if (this.stopped) return;
    const named = new Map<string, CrossNamespaceSource>();
    for (const binding of bindings) {
      const namespace = binding.metadata?.namespace ?? '';
      for (const ref of binding.spec?.resourceRefs ?? []) {
        const source = { kind: ref.kind, namespace, name: ref.name };
        named.set(sourceKey(source), source);
      }
    }
    for (const [key, informer] of this.informers) {
      if (named.has(key)) continue;
      this.informers.delete(key);
      void informer.stop();
    }
    for (const [key, source] of named) {
      if (this.informers.has(key)) continue;
      const collection = source.kind === 'Secret' ? 'secrets' : 'configmaps';
      const informer = pathInformer<MirrorObject>(
        this.kubeConfig,
        `/api/v1/namespaces/${encodeURIComponent(source.namespace)}/${collection}`,
        { fieldSelector: `metadata.name=${source.name}` },
        { onError: this.onError, transform: withoutManagedFields as (o: never) => unknown },
      ) as Informer<MirrorObject>;
      informer.subscribe(() => this.changed(source.namespace));
      this.informers.set(key, informer);
      informer.start();
      void informer.waitForSync().then(() => this.changed(source.namespace));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.informers.values()];
    this.informers.clear();
    await Promise.all(all.map((i) => i.stop()));
  }
}
