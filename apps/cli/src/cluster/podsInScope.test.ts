import type { Pod, SidecarSet } from '@sidecarset/api/offline';
import { describe, expect, it } from 'vitest';
import type { ClusterApi, KubeConfig } from './connectCluster.js';
import { podsInScope } from './podsInScope.js';

const pod = (name: string, namespace: string, labels: Record<string, string> = { app: 'web' }): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels, annotations: { 'kruise.io/sidecarset-injected-list': 'log-agent' } },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
});
const sidecarSet = (spec: Partial<SidecarSet['spec']> = {}): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'log-agent' },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'log-agent', image: 'log:1' }], ...spec },
});

function cluster(namespaces: Record<string, Record<string, string>>) {
  const requests: string[] = [];
  const requestJson = async (_kubeConfig: unknown, method: string, path: string) => {
    requests.push(`${method} ${path}`);
    return { items: Object.entries(namespaces).map(([name, labels]) => ({ metadata: { name, labels } })) };
  };
  return { cluster: { api: { requestJson } as unknown as ClusterApi, kubeConfig: {} as KubeConfig }, requests };
}

const names = (pods: Pod[]) => pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);

describe('podsInScope: the injected pods the controller acts on', () => {
  const injected = [pod('a', 'shop'), pod('b', 'other'), pod('c', 'shop', { app: 'db' }), pod('d', 'gone')];

  it('a namespaceSelector keeps only pods of the namespaces it selects (a namespace not found selects nothing)', async () => {
    const { cluster: c } = cluster({ shop: { sidecars: 'on' }, other: {} });
    expect(names(await podsInScope(c, sidecarSet({ namespaceSelector: { matchLabels: { sidecars: 'on' } } }), injected))).toEqual(['shop/a']);
  });

  it('spec.namespace keeps one namespace, and reads no namespaces', async () => {
    const { cluster: c, requests } = cluster({});
    expect(names(await podsInScope(c, sidecarSet({ namespace: 'other' }), injected))).toEqual(['other/b']);
    expect(requests).toEqual([]);
  });

  it("a pod whose labels the selector no longer matches is left out, whatever its annotation says", async () => {
    const { cluster: c } = cluster({});
    expect(names(await podsInScope(c, sidecarSet(), injected))).toEqual(['shop/a', 'other/b', 'gone/d']);
  });
});
