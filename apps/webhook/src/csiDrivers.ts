// The names of the cluster's CSIDrivers (storage.k8s.io/v1, cluster-scoped), kept by a watch: a stdlog
// volume is injected as written only where its driver is installed, and rewritten to the kubelet's pod
// log directory elsewhere (core stdlog/). Only names are kept; a cluster has a handful of drivers.
import type { KubeConfig } from '@kubernetes/client-node';
import { pathInformer, type Informer, type InformerOptions } from '@sidecarset/api';

interface CsiDriverName {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface CsiDriverCache {
  informer: Informer<CsiDriverName>;
  /** The names as last seen (empty until the first list has loaded). */
  names(): ReadonlySet<string>;
}

export const CSI_DRIVERS_PATH = '/apis/storage.k8s.io/v1/csidrivers';

export function csiDriverCache(kubeConfig: KubeConfig, options: InformerOptions = {}): CsiDriverCache {
  const transform = (object: CsiDriverName): CsiDriverName => ({ metadata: { name: object.metadata?.name, resourceVersion: object.metadata?.resourceVersion } });
  const informer = pathInformer<CsiDriverName>(kubeConfig, CSI_DRIVERS_PATH, {}, { ...options, transform: transform as (object: never) => unknown });
  return {
    informer,
    names: () => new Set(informer.list().flatMap((driver) => (driver.metadata?.name ? [driver.metadata.name] : []))),
  };
}
