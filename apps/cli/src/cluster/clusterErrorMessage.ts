// One line for a failure talking to the cluster, saying what went wrong in terms a kubectl user
// acts on: the kubeconfig, the connection, the credentials, RBAC, a missing CRD.
import type { ClusterApi } from './connectCluster.js';

/** The resource a request was about, for "not served" messages. */
export const SIDECARSET_RESOURCE_NAME = 'sidecarsets.apps.kruise.io';

export function clusterErrorMessage(api: ClusterApi, error: unknown, server: string, resource = SIDECARSET_RESOURCE_NAME): string {
  if (error instanceof api.KubeConfigError) return error.message;
  if (!api.isKubernetesApiError(error)) return error instanceof Error ? error.message : String(error);
  // By HTTP code rather than by class: the error classes are structurally alike, so narrowing by them misleads.
  switch (error.code) {
    case 0: // no HTTP answer at all: refused, DNS, TLS, timeout
      return `cannot reach the API server at ${server}: ${error.message}`;
    case 401:
      return `Unauthorized: the API server at ${server} did not accept the credentials of the kubeconfig (${error.message})`;
    case 403:
      return `Forbidden: ${error.message}`;
    case 404:
      // A 404 that names no object: the resource itself is not served.
      if (!error.status.details?.name) return `the API server at ${server} does not serve ${resource}: is the SidecarSet CRD installed? (${error.message})`;
  }
  if (error.code === 429 || error.code >= 500) return `the API server at ${server} is unavailable (${error.reason}): ${error.message}`;
  return `${error.reason}: ${error.message}`;
}
