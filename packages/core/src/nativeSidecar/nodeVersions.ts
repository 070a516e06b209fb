// What the native-sidecar step knows of the cluster: each Node's name, labels and kubelet version
// (from a cache the caller keeps: the webhook's Node informer, the CLI's flags or Node documents), and
// the API server's version for when no node is known.

export interface NodeVersion {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** status.nodeInfo.kubeletVersion as reported. */
  kubeletVersion: string;
}

export interface NodeVersions {
  nodes: readonly NodeVersion[];
  /** gitVersion of the API server's /version; used when no node the pod may run on is known. */
  apiServerVersion?: string;
}
