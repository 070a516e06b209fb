// The kubelet version of every Node (status.nodeInfo.kubeletVersion) and its labels, kept by a watch,
// and the API server's own version, read at start and every 10 minutes: what the core's native-sidecar
// step decides with (core nativeSidecar/). Never a request per admission. Only names, labels and
// versions are kept; the snapshot handed to admissions is rebuilt only after a Node event.
import type { KubeConfig } from '@kubernetes/client-node';
import { pathInformer, requestJson, type Informer, type InformerOptions } from '@sidecarset/api';
import type { NodeVersion, NodeVersions } from '@sidecarset/core';

interface NodeView {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  status?: { nodeInfo?: { kubeletVersion?: string } };
}

export interface NodeVersionCache {
  informer: Informer<NodeView>;
  /** The nodes as last seen and the API server's version (nodes empty until the first list has loaded). */
  versions(): NodeVersions;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const NODES_PATH = '/api/v1/nodes';
const API_SERVER_VERSION_REFRESH_MS = 10 * 60_000;

export function nodeVersionCache(kubeConfig: KubeConfig, options: InformerOptions = {}): NodeVersionCache {
  const transform = (node: NodeView): NodeView => ({
    metadata: { name: node.metadata?.name, resourceVersion: node.metadata?.resourceVersion, labels: node.metadata?.labels ?? {} },
    status: { nodeInfo: { kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '' } },
  });
  const informer = pathInformer<NodeView>(kubeConfig, NODES_PATH, {}, { ...options, transform: transform as (object: never) => unknown });
  let snapshot: NodeVersion[] | undefined;
  informer.subscribe(() => void (snapshot = undefined));
  let apiServerVersion: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const readApiServerVersion = async (): Promise<void> => {
    try {
      const version = await requestJson<{ gitVersion?: string }>(kubeConfig, 'GET', '/version');
      if (typeof version.gitVersion === 'string') apiServerVersion = version.gitVersion.slice(0, 64);
    } catch (error) {
      options.onError?.(error); // keep the last version read; with none, unknown (regular containers)
    }
  };
  return {
    informer,
    versions() {
      snapshot ??= informer.list().map((node) => ({ name: node.metadata?.name ?? '', labels: node.metadata?.labels ?? {}, kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '' }));
      return { nodes: snapshot, ...(apiServerVersion ? { apiServerVersion } : {}) };
    },
    async start() {
      informer.start();
      timer = setInterval(() => void readApiServerVersion(), API_SERVER_VERSION_REFRESH_MS);
      timer.unref();
      await Promise.all([informer.waitForSync(), readApiServerVersion()]);
    },
    async stop() {
      clearInterval(timer);
      await informer.stop();
    },
  };
}

/** Fixed versions, for tests of the HTTP layer. */
export const staticNodeVersions = (versions: NodeVersions): Pick<NodeVersionCache, 'versions'> => ({ versions: () => versions });
