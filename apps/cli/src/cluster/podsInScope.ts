// The injected pods a SidecarSet's rollout acts on, as the controller decides: those it selects now
// (spec.namespace, spec.namespaceSelector, spec.selector). The injected-list annotation alone is what
// a pod's author can write, so `plan` must not count a pod the controller leaves alone.
import type { Namespace, Pod, SidecarSet } from '@sidecarset/api/offline';
import { sidecarSetMatchesPod } from '@sidecarset/core';
import type { Cluster } from './connectCluster.js';

interface NamespaceList {
  items?: Namespace[];
}

export async function podsInScope(cluster: Pick<Cluster, 'api' | 'kubeConfig'>, sidecarSet: SidecarSet, injected: Pod[]): Promise<Pod[]> {
  let labelsOf = (_namespace: string): Record<string, string> | undefined => undefined;
  if (sidecarSet.spec.namespaceSelector) {
    const list = await cluster.api.requestJson<NamespaceList>(cluster.kubeConfig, 'GET', '/api/v1/namespaces');
    const labels = new Map((list.items ?? []).map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
    labelsOf = (namespace) => labels.get(namespace);
  }
  // A namespace that is not there (any more) is outside every namespaceSelector, as in the controller.
  return injected.filter((pod) => {
    const namespace = pod.metadata?.namespace ?? 'default';
    const labels = labelsOf(namespace);
    if (sidecarSet.spec.namespaceSelector && labels === undefined) return false;
    return sidecarSetMatchesPod(sidecarSet, pod, namespace, labels);
  });
}
