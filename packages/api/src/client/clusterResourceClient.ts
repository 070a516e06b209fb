// The client for a cluster-scoped resource: the generic client without namespace arguments.
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

export class ClusterResourceClient<T extends KubernetesObject, L extends KubernetesList<T>> {
  protected readonly client: CustomResourceClient<T, L>;

  constructor(kubeConfig: KubeConfig, resource: ResourceType & { namespaced: false }) {
    this.client = new CustomResourceClient<T, L>(kubeConfig, resource);
  }

  get(name: string): Promise<T> {
    return this.client.get(undefined, name);
  }

  list(options?: ListOptions): Promise<ListPage<T>> {
    return this.client.list(undefined, options);
  }

  listAll(options?: ListAllOptions): Promise<{ items: T[]; resourceVersion: string }> {
    return this.client.listAll(undefined, options);
  }

  create(object: T, options?: WriteOptions): Promise<T> {
    return this.client.create(undefined, object, options);
  }

  replace(object: T, options?: WriteOptions): Promise<T> {
    return this.client.replace(undefined, object, options);
  }

  patch<P extends PatchOptions>(name: string, patch: PatchBody<T, P['type']>, options: P): Promise<T> {
    return this.client.patch(undefined, name, patch, options);
  }

  delete(name: string, options?: DeleteOptions): Promise<void> {
    return this.client.delete(undefined, name, options);
  }

  updateStatus(object: T, options?: WriteOptions): Promise<T> {
    return this.client.updateStatus(undefined, object, options);
  }

  patchStatus<P extends PatchOptions>(name: string, patch: PatchBody<T, P['type']>, options: P): Promise<T> {
    return this.client.patchStatus(undefined, name, patch, options);
  }

  watch(options?: WatchOptions): AsyncIterable<WatchEvent<T>> {
    return this.client.watch(undefined, options);
  }
}
