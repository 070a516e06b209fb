// The pods of every namespace that a SidecarSet has injected (its name in the pod annotation
// kruise.io/sidecarset-injected-list), read page by page as kubectl does, so a large cluster is never
// asked for all its pods in one response.
import type { Pod } from '@sidecarset/api/offline';
import { INJECTED_LIST_ANNOTATION, parseInjectedList } from '@sidecarset/core';
import type { Cluster } from './connectCluster.js';

const PAGE_SIZE = 500;

interface PodListPage {
  items?: Pod[];
  metadata?: { continue?: string };
}

export async function listInjectedPods(cluster: Pick<Cluster, 'api' | 'kubeConfig'>, sidecarSetName: string, pageSize = PAGE_SIZE): Promise<Pod[]> {
  const pods: Pod[] = [];
  let token: string | undefined;
  do {
    const page = await cluster.api.requestJson<PodListPage>(cluster.kubeConfig, 'GET', '/api/v1/pods', { limit: pageSize, continue: token });
    for (const pod of page.items ?? []) {
      if (parseInjectedList(pod.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]).includes(sidecarSetName)) pods.push(pod);
    }
    token = page.metadata?.continue || undefined;
  } while (token !== undefined);
  return pods;
}
