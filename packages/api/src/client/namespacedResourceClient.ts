// The client for a namespaced resource: every method takes the namespace first. list, listAll and
// watch accept ALL_NAMESPACES ('') to cover the whole cluster.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  CustomResourceClient,
  type DeleteOptions,
  type KubernetesList,
  type KubernetesObject,
  type ListAllOptions,
  type ListOptions,
  type WatchOptions,
  type WriteOptions,
} from './customResourceClient.js';
import type { ListPage } from './listPages.js';
import type { PatchBody, PatchOptions } from './patchOptions.js';
import type { ResourceType } from './resourceType.js';
import type { WatchEvent } from './watchEvent.js';

export class NamespacedResourceClient<T extends KubernetesObject, L extends KubernetesList<T>> {
  protected readonly client: CustomResourceClient<T, L>;

  constructor(kubeConfig: KubeConfig, resource: ResourceType & { namespaced: true }) {
    this.client = new CustomResourceClient<T, L>(kubeConfig, resource);
  }

  get(namespace: string, name: string): Promise<T> {
    return this.client.get(namespace, name);
  }

  list(namespace: string, options?: ListOptions): Promise<ListPage<T>> {
    return this.client.list(namespace, options);
  }

  listAll(namespace: string, options?: ListAllOptions): Promise<{ items: T[]; resourceVersion: string }> {
    return this.client.listAll(namespace, options);
  }

  create(namespace: string, object: T, options?: WriteOptions): Promise<T> {
    return this.client.create(namespace, object, options);
  }

  replace(namespace: string, object: T, options?: WriteOptions): Promise<T> {
    return this.client.replace(namespace, object, options);
  }

  patch<P extends PatchOptions>(namespace: string, name: string, patch: PatchBody<T, P['type']>, options: P): Promise<T> {
    return this.client.patch(namespace, name, patch, options);
  }

  delete(namespace: string, name: string, options?: DeleteOptions): Promise<void> {
    return this.client.delete(namespace, name, options);
  }

  updateStatus(namespace: string, object: T, options?: WriteOptions): Promise<T> {
    return this.client.updateStatus(namespace, object, options);
  }

  patchStatus<P extends PatchOptions>(namespace: string, name: string, patch: PatchBody<T, P['type']>, options: P): Promise<T> {
    return this.client.patchStatus(namespace, name, patch, options);
  }

  watch(namespace: string, options?: WatchOptions): AsyncIterable<WatchEvent<T>> {
    return this.client.watch(namespace, options);
  }
}
