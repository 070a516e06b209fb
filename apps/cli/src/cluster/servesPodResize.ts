// Whether the cluster's API server serves pods/resize (Kubernetes 1.33+), from API discovery, as the
// controller decides it: `plan NAME` then shows the resizes the controller would make.
import type { Cluster } from './connectCluster.js';

export async function clusterServesPodResize(cluster: Cluster): Promise<boolean> {
  const list = await cluster.api.requestJson<{ resources?: { name?: string; verbs?: string[] }[] }>(cluster.kubeConfig, 'GET', '/api/v1');
  return (list.resources ?? []).some((resource) => resource.name === 'pods/resize' && (resource.verbs ?? []).includes('patch'));
}
