// kwok simulates kubelets: it takes the fake nodes we create and drives the pods bound to them
// through the Stage configs committed in tools/envtest/kwok/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { freePort } from './freePort.js';
import { logTail, startProcess, type ManagedProcess } from './processes.js';

export interface KwokOptions {
  /** Number of fake nodes to create, all Ready. */
  nodes: number;
  /** Stage config files; default: the committed stages in tools/envtest/kwok/. */
  stageFiles?: string[];
  /**
   * The kubelet version node i reports (status.nodeInfo.kubeletVersion, and the label
   * sidecarset.dev/kwok-kubelet-version for nodeSelectors); nodes past the list's end report the
   * control plane's Kubernetes version. E.g. ['v1.28.15', 'v1.28.15'] makes the first two old.
   */
  nodeVersions?: string[];
}

export const KWOK_DIR = join(import.meta.dirname, '../kwok');
export const KWOK_NODE_LABEL = 'sidecarset.dev/kwok-node';
/** Label of every kwok node: the kubelet version it reports, for tests that pin pods to old or new nodes. */
export const KWOK_KUBELET_VERSION_LABEL = 'sidecarset.dev/kwok-kubelet-version';

/** KUBERNETES_VERSION of versions.env: what the nodes report unless told otherwise. */
export function controlPlaneKubernetesVersion(): string {
  const text = readFileSync(join(import.meta.dirname, '../versions.env'), 'utf8');
  const version = /^KUBERNETES_VERSION=(\S+)/m.exec(text)?.[1];
  if (!version) throw new Error('tools/envtest/versions.env has no KUBERNETES_VERSION');
  return version;
}

export async function startKwok(kubeConfig: KubeConfig, binary: string, kubeconfigPath: string, logDir: string, options: KwokOptions): Promise<ManagedProcess[]> {
  const committed = join(KWOK_DIR, 'stages.yaml');
  const stageFiles = options.stageFiles ?? (existsSync(committed) ? [committed] : []);
  const kwok = startProcess('kwok', binary, [
    `--kubeconfig=${kubeconfigPath}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-label-selector=${KWOK_NODE_LABEL}=true`,
    `--server-address=127.0.0.1:${await freePort()}`,
    '--node-lease-duration-seconds=40',
    ...stageFiles.map((f) => `--config=${f}`),
  ], logDir);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const defaultVersion = controlPlaneKubernetesVersion();
  for (let i = 0; i < options.nodes; i++) await core.createNode({ body: fakeNode(`kwok-node-${i}`, options.nodeVersions?.[i] ?? defaultVersion) });
  await waitNodesReady(core, options.nodes, 60_000, () => kwok.running()).catch((error: Error) => {
    throw new Error(`${error.message}\n${logTail(kwok)}`);
  });
  return [kwok];
}

function fakeNode(name: string, kubeletVersion: string): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { [KWOK_NODE_LABEL]: 'true', [KWOK_KUBELET_VERSION_LABEL]: kubeletVersion, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
    status: {
      allocatable: { cpu: '64', memory: '256Gi', pods: '500' },
      capacity: { cpu: '64', memory: '256Gi', pods: '500' },
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion, kubeProxyVersion: kubeletVersion, bootID: '', containerRuntimeVersion: 'kwok', kernelVersion: '', machineID: '', osImage: '', systemUUID: '' },
      phase: 'Running',
    },
  };
}

async function waitNodesReady(core: CoreV1Api, count: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await core.listNode({ labelSelector: `${KWOK_NODE_LABEL}=true` });
    const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length >= count) return;
    if (!alive()) throw new Error('kwok exited before its nodes became Ready');
    if (Date.now() > deadline) throw new Error(`${ready.length}/${count} kwok nodes Ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
