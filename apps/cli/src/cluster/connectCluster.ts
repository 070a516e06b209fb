// The cluster side of the CLI, loaded only by the commands that talk to a cluster: @sidecarset/api's
// main entry loads @kubernetes/client-node, which `inject` must not pay for at every start. Modules
// outside cluster/ import from it only types (erased at build time), and commands call
// connectCluster() when they run.
import type * as SidecarSetApi from '@sidecarset/api';

export type ClusterApi = typeof SidecarSetApi;
export type KubeConfig = ReturnType<ClusterApi['loadKubeConfig']>;

/** `--kubeconfig` and `--context`, as kubectl reads them. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

export interface Cluster {
  api: ClusterApi;
  kubeConfig: KubeConfig;
  /** The API server's URL, for messages. */
  server: string;
}

/** Loads the client and the kubeconfig kubectl would use; throws the api's KubeConfigError when there is none. */
export async function connectCluster(flags: ClusterFlags, api?: ClusterApi): Promise<Cluster> {
  const loaded = api ?? (await loadClusterApi());
  const kubeConfig = loaded.loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  return { api: loaded, kubeConfig, server: kubeConfig.getCurrentCluster()?.server ?? '<no server>' };
}

export const loadClusterApi = (): Promise<ClusterApi> => import('@sidecarset/api');
