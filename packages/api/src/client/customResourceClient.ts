// Typed CRUD, patch, status and watch for one custom resource, on client-node's CustomObjectsApi.
// The resource's `namespaced` flag picks the cluster or namespaced endpoints; every method throws
// only KubernetesApiError subclasses.
import { CustomObjectsApi, type KubeConfig, setHeaderOptions, Watch } from '@kubernetes/client-node';
import type { ListMeta, ObjectMeta } from '../generated/index.js';
import { invalidRequest } from './invalidRequest.js';
import { collectAllPages, type ListPage } from './listPages.js';
import { type PatchBody, type PatchOptions, patchRequest } from './patchOptions.js';
import { apiVersionOf, collectionPath, type ResourceType } from './resourceType.js';
import { resumableWatch, type WatchSource } from './resumableWatch.js';
import { toKubernetesApiError } from './toKubernetesApiError.js';
import type { WatchEvent } from './watchEvent.js';
import { pooledApiClient } from './connectionPool.js';

/** The wire shape every Kubernetes object shares. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** The wire shape of a list of T, e.g. SidecarSetList. */
export interface KubernetesList<T> {
  items: T[];
  metadata?: ListMeta;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the server returns `continue` when there is more. */
  limit?: number;
  /** The `continue` of the previous page. */
  continue?: string;
}

/** Like ListOptions, without `continue`; `limit` is the page size (default 500). */
export type ListAllOptions = Omit<ListOptions, 'continue'>;

export interface WriteOptions {
  /** Validate and run admission, but store nothing (`dryRun=All`). */
  dryRun?: boolean;
  /** Who makes this change, as recorded in managedFields. */
  fieldManager?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface WatchOptions {
  /** Start after this version. Without one the watch lists first and yields RELISTED. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ends the iteration cleanly. */
  signal?: AbortSignal;
}

const DEFAULT_PAGE_SIZE = 500;

/**
 * `namespace` is required for a namespaced resource's single-object methods, may be empty
 * (ALL_NAMESPACES) for its list/listAll/watch, and must be undefined or empty for a cluster-scoped
 * resource. Mistakes throw InvalidError before any request.
 */
export class CustomResourceClient<T extends KubernetesObject, L extends KubernetesList<T>> {
  private readonly api: CustomObjectsApi;
  private readonly watcher: Watch;

  constructor(
    kubeConfig: KubeConfig,
    readonly resource: ResourceType,
  ) {
    try {
      this.api = pooledApiClient(kubeConfig, CustomObjectsApi);
    } catch (e) {
      throw toKubernetesApiError(e);
    }
    this.watcher = new Watch(kubeConfig);
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.call(() => {
      const ns = this.objectNamespace(namespace);
      const target = { ...this.gvp(), name: requireName(name) };
      return ns === undefined
        ? this.api.getClusterCustomObject(target)
        : this.api.getNamespacedCustomObject({ ...target, namespace: ns });
    });
  }

  /** One page. Pass the returned `continue` back to get the next. */
  list(namespace: string | undefined, options: ListOptions = {}): Promise<ListPage<T>> {
    return this.call(async () => {
      const ns = this.collectionNamespace(namespace);
      const query = {
        ...this.gvp(),
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        _continue: options.continue || undefined,
      };
      const raw: unknown =
        ns === undefined
          ? await this.api.listClusterCustomObject(query)
          : await this.api.listNamespacedCustomObject({ ...query, namespace: ns });
      const list = raw as L;
      const page: ListPage<T> = { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
      if (list.metadata?.continue) page.continue = list.metadata.continue;
      return page;
    });
  }

  /** Every page, joined; `resourceVersion` is where a watch should start to miss nothing. */
  listAll(namespace: string | undefined, options: ListAllOptions = {}): Promise<{ items: T[]; resourceVersion: string }> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    return collectAllPages((token) => this.list(namespace, { ...options, limit, continue: token }));
  }

  create(namespace: string | undefined, object: T, options: WriteOptions = {}): Promise<T> {
    return this.call(() => {
      const ns = this.objectNamespace(namespace);
      const request = { ...this.gvp(), body: this.withTypeMeta(object), ...writeQuery(options) };
      return ns === undefined
        ? this.api.createClusterCustomObject(request)
        : this.api.createNamespacedCustomObject({ ...request, namespace: ns });
    });
  }

  /** PUT the whole object; its metadata.resourceVersion makes it fail with ConflictError if stale. */
  replace(namespace: string | undefined, object: T, options: WriteOptions = {}): Promise<T> {
    return this.call(() => {
      const ns = this.objectNamespace(namespace);
      const request = { ...this.gvp(), name: nameOf(object), body: this.withTypeMeta(object), ...writeQuery(options) };
      return ns === undefined
        ? this.api.replaceClusterCustomObject(request)
        : this.api.replaceNamespacedCustomObject({ ...request, namespace: ns });
    });
  }

  /** PUT the status subresource: only `status` changes, whatever else the object carries. */
  updateStatus(namespace: string | undefined, object: T, options: WriteOptions = {}): Promise<T> {
    return this.call(() => {
      const ns = this.objectNamespace(namespace);
      const request = { ...this.gvp(), name: nameOf(object), body: this.withTypeMeta(object), ...writeQuery(options) };
      return ns === undefined
        ? this.api.replaceClusterCustomObjectStatus(request)
        : this.api.replaceNamespacedCustomObjectStatus({ ...request, namespace: ns });
    });
  }

  patch<P extends PatchOptions>(namespace: string | undefined, name: string, patch: PatchBody<T, P['type']>, options: P): Promise<T> {
    return this.call(() => {
      const ns = this.objectNamespace(namespace);
      const [request, headers] = this.patchArguments(name, patch, options);
      return ns === undefined
        ? this.api.patchClusterCustomObject(request, headers)
        : this.api.patchNamespacedCustomObject({ ...request, namespace: ns }, headers);
    });
  }

  patchStatus<P extends PatchOptions>(namespace: string | undefined, name: string, patch: PatchBody<T, P['type']>, options: P): Promise<T> {
    return this.call(() => {
      const ns = this.objectNamespace(namespace);
      const [request, headers] = this.patchArguments(name, patch, options);
      return ns === undefined
        ? this.api.patchClusterCustomObjectStatus(request, headers)
        : this.api.patchNamespacedCustomObjectStatus({ ...request, namespace: ns }, headers);
    });
  }

  delete(namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    return this.call(async () => {
      const ns = this.objectNamespace(namespace);
      const request = {
        ...this.gvp(),
        name: requireName(name),
        propagationPolicy: options.propagationPolicy,
        gracePeriodSeconds: options.gracePeriodSeconds,
        dryRun: options.dryRun ? 'All' : undefined,
      };
      await (ns === undefined
        ? this.api.deleteClusterCustomObject(request)
        : this.api.deleteNamespacedCustomObject({ ...request, namespace: ns }));
    });
  }

  /**
   * Changes as they happen, resumed across dropped connections and relisted after 410 Gone (see
   * WatchEvent's RELISTED). Ends when `signal` fires; throws a KubernetesApiError for failures that
   * retrying cannot fix (403, 404 when the CRD is missing, ...).
   */
  watch(namespace: string | undefined, options: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const ns = this.collectionNamespace(namespace);
    const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    const source: WatchSource<T> = {
      connect: async (resourceVersion, onLine, onEnd) => {
        const query = { ...selectors, allowWatchBookmarks: true, resourceVersion };
        const controller = await this.watcher.watch(collectionPath(this.resource, ns), query, onLine, onEnd);
        return () => controller.abort();
      },
      list: () => this.listAll(ns, selectors),
    };
    return resumableWatch(source, { resourceVersion: options.resourceVersion, signal: options.signal });
  }

  private async call<R>(request: () => Promise<R>): Promise<R> {
    try {
      return await request();
    } catch (e) {
      throw toKubernetesApiError(e);
    }
  }

  private gvp() {
    return { group: this.resource.group, version: this.resource.version, plural: this.resource.plural };
  }

  private patchArguments(name: string, patch: unknown, options: PatchOptions) {
    const wire = patchRequest(options);
    const body = options.type === 'apply' ? this.withTypeMeta(patch as T) : patch;
    const request = {
      ...this.gvp(),
      name: requireName(name),
      body,
      dryRun: wire.dryRun,
      fieldManager: wire.fieldManager,
      force: wire.force,
    };
    return [request, setHeaderOptions('Content-Type', wire.contentType)] as const;
  }

  /** The API server rejects a body without apiVersion and kind; fill them in from the resource. */
  private withTypeMeta(object: T): T {
    return { ...object, apiVersion: object.apiVersion ?? apiVersionOf(this.resource), kind: object.kind ?? this.resource.kind };
  }

  /** The namespace for one object, or undefined for a cluster-scoped resource. */
  private objectNamespace(namespace: string | undefined): string | undefined {
    const ns = this.collectionNamespace(namespace);
    if (this.resource.namespaced && ns === undefined) {
      throw invalidRequest('metadata.namespace', 'FieldValueRequired', `${this.resource.kind} is namespaced; a namespace is required`);
    }
    return ns;
  }

  /** The namespace for a collection; undefined means cluster-wide (or every namespace). */
  private collectionNamespace(namespace: string | undefined): string | undefined {
    if (!namespace) return undefined;
    if (!this.resource.namespaced) {
      throw invalidRequest('metadata.namespace', 'FieldValueForbidden', `${this.resource.kind} is cluster-scoped; no namespace may be given`);
    }
    return namespace;
  }
}

function writeQuery(options: WriteOptions) {
  return { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager };
}

function requireName(name: string): string {
  if (!name) throw invalidRequest('metadata.name', 'FieldValueRequired', 'name is required');
  return name;
}

const nameOf = (object: KubernetesObject): string => requireName(object.metadata?.name ?? '');
