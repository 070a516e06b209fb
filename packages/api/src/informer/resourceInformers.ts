// Informers for the objects Sidecarset reads: its own CRDs and the core kinds the webhook and the
// controller cache (Namespaces, Pods, ControllerRevisions), all in wire JSON.
import type { KubeConfig } from '@kubernetes/client-node';
import { pathWatchSource, type PathWatchOptions } from '../client/pathWatchSource.js';
import { resumableWatch } from '../client/resumableWatch.js';
import { SidecarSetClient } from '../client/sidecarSetClient.js';
import type { ControllerRevision, Namespace, Pod, SidecarSet } from '../generated/index.js';
import { Informer, type InformerOptions } from './informer.js';

export function sidecarSetInformer(kubeConfig: KubeConfig, options?: InformerOptions): Informer<SidecarSet> {
  const client = new SidecarSetClient(kubeConfig);
  return new Informer<SidecarSet>((signal) => client.watch({ signal }), options);
}

export function pathInformer<T>(kubeConfig: KubeConfig, path: string, watchOptions: PathWatchOptions = {}, options?: InformerOptions): Informer<T & { metadata?: { name?: string; namespace?: string; resourceVersion?: string } }> {
  const source = pathWatchSource<T & { metadata?: { name?: string; namespace?: string; resourceVersion?: string } }>(kubeConfig, path, watchOptions);
  return new Informer((signal) => resumableWatch(source, { signal }), options);
}

export const namespaceInformer = (kubeConfig: KubeConfig, options?: InformerOptions): Informer<Namespace> =>
  pathInformer<Namespace>(kubeConfig, '/api/v1/namespaces', {}, options) as Informer<Namespace>;

export const podInformer = (kubeConfig: KubeConfig, watchOptions?: PathWatchOptions, options?: InformerOptions): Informer<Pod> =>
  pathInformer<Pod>(kubeConfig, '/api/v1/pods', watchOptions, options) as Informer<Pod>;

/** ControllerRevisions of SidecarSets live in one namespace (the controller's). */
export const controllerRevisionInformer = (kubeConfig: KubeConfig, namespace: string, watchOptions?: PathWatchOptions, options?: InformerOptions): Informer<ControllerRevision> =>
  pathInformer<ControllerRevision>(kubeConfig, `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`, watchOptions, options) as Informer<ControllerRevision>;
