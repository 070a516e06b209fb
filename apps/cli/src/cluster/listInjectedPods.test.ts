import type { Pod } from '@sidecarset/api/offline';
import { describe, expect, it } from 'vitest';
import type { ClusterApi, KubeConfig } from './connectCluster.js';
import { listInjectedPods } from './listInjectedPods.js';

const pod = (name: string, injected?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', ...(injected !== undefined && { annotations: { 'kruise.io/sidecarset-injected-list': injected } }) },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
});

/** A server holding `pods`, answering `pageSize` at a time with continue tokens; records each query. */
function fakeServer(pods: Pod[]) {
  const queries: Record<string, unknown>[] = [];
  const requestJson = async (_kubeConfig: unknown, method: string, path: string, query: Record<string, unknown>) => {
    expect([method, path]).toEqual(['GET', '/api/v1/pods']);
    queries.push(query);
    const start = Number(query.continue ?? 0);
    const end = start + Number(query.limit);
    return { items: pods.slice(start, end), metadata: end < pods.length ? { continue: String(end) } : {} };
  };
  return { cluster: { api: { requestJson } as unknown as ClusterApi, kubeConfig: {} as KubeConfig }, queries };
}

describe('listInjectedPods', () => {
  it.each<[string, Pod[], string[]]>([
    ['keeps pods whose injected list names the SidecarSet', [pod('a', 'log-agent'), pod('b', 'metrics,log-agent'), pod('c', 'metrics'), pod('d')], ['a', 'b']],
    ['a name that only prefixes another is not a match', [pod('a', 'log-agent-v2'), pod('b', 'log')], []],
  ])('%s', async (_name, pods, expected) => {
    const { cluster } = fakeServer(pods);
    expect((await listInjectedPods(cluster, 'log-agent')).map((p) => p.metadata?.name)).toEqual(expected);
  });

  it('follows continue tokens page by page until the last', async () => {
    const { cluster, queries } = fakeServer(['a', 'b', 'c', 'd', 'e'].map((name) => pod(name, 'log-agent')));
    expect((await listInjectedPods(cluster, 'log-agent', 2)).map((p) => p.metadata?.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queries).toEqual([
      { limit: 2, continue: undefined },
      { limit: 2, continue: '2' },
      { limit: 2, continue: '4' },
    ]);
  });
});
