// The coordination.k8s.io/v1 Lease a leader election runs on: read, create, and update guarded by the
// resourceVersion read (a merge patch carrying metadata.resourceVersion, so a concurrent writer makes
// the API server answer 409 Conflict).
// Renewals never wait behind the controller's own writes: they go over a connection pool of their
// own (requests share one pool per KubeConfig object, so the store uses a copy of it), and
// deploy/manifests/controller.yaml's FlowSchema puts them in the API server's leader-election
// priority level instead of the ServiceAccount's one workload-low flow.
import type { KubeConfig } from '@kubernetes/client-node';
import { isNotFound, requestJson, type Lease, type LeaseSpec } from '@sidecarset/api';

export interface LeaseStore {
  /** Where the lease lives, for messages. */
  readonly description: string;
  /** The lease, or undefined when it does not exist. */
  get(): Promise<Lease | undefined>;
  /** Creates the lease; throws AlreadyExistsError when another replica created it first. */
  create(spec: LeaseSpec): Promise<Lease>;
  /** Replaces the spec if the lease is still at `resourceVersion`; throws ConflictError otherwise. */
  update(resourceVersion: string, spec: LeaseSpec): Promise<Lease>;
}

export function leasePath(namespace: string, name?: string): string {
  const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

/** A LeaseStore on the API server `kubeConfig` points at. */
export function apiServerLeaseStore(shared: KubeConfig, namespace: string, name: string): LeaseStore {
  const kubeConfig = ownConnectionPool(shared);
  return {
    description: `lease ${namespace}/${name}`,
    async get() {
      try {
        return await requestJson<Lease>(kubeConfig, 'GET', leasePath(namespace, name));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    create: (spec) =>
      requestJson<Lease>(kubeConfig, 'POST', leasePath(namespace), {}, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec,
      }),
    update: (resourceVersion, spec) =>
      requestJson<Lease>(kubeConfig, 'PATCH', leasePath(namespace, name), {}, { metadata: { resourceVersion }, spec }, 'application/merge-patch+json'),
  };
}

/** The same clusters, users and contexts in a KubeConfig object of its own: its own connection pool. */
export function ownConnectionPool(shared: KubeConfig): KubeConfig {
  const own = new (shared.constructor as new () => KubeConfig)(); // the api package's client-node class, without a dependency of ours
  own.loadFromOptions({ clusters: shared.clusters, users: shared.users, contexts: shared.contexts, currentContext: shared.currentContext });
  return own;
}
