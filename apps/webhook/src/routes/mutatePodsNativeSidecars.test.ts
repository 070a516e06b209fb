// POST /mutate-pods with a sidecar asking to be native (ECI_SIDECAR_CONTAINER=true): the node versions
// the caches hold decide; a regular container comes with an admission warning.
import { Writable } from 'node:stream';
import type { AdmissionReview, Pod, SidecarSet } from '@sidecarset/api';
import type { NodeVersions } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import { staticCaches } from '../caches.js';
import { createWebhookMetrics } from '../metrics.js';
import { buildWebhookServer } from '../server.js';

const sidecarSet: SidecarSet = {
  metadata: { name: 'filebeat-sidecarset' },
  spec: { selector: { matchLabels: { app: 'job' } }, containers: [{ name: 'filebeat', image: 'busybox', env: [{ name: 'ECI_SIDECAR_CONTAINER', value: 'true' }] }] },
};
const nodes: NodeVersions = {
  nodes: [
    { name: 'old-0', labels: { pool: 'old' }, kubeletVersion: 'v1.28.15' },
    { name: 'new-0', labels: { pool: 'new' }, kubeletVersion: 'v1.36.3' },
  ],
  apiServerVersion: 'v1.36.3',
};

async function admit(pod: Pod): Promise<AdmissionReview['response'] & object> {
  const stream = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = buildWebhookServer({ caches: staticCaches({ sidecarSets: [sidecarSet], nodeVersions: nodes }), metrics: createWebhookMetrics(false), logger: { level: 'info', stream } });
  const review: AdmissionReview = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'uid-1', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE', namespace: 'default', userInfo: { username: 'tester' }, object: pod },
  };
  const response = await app.inject({ method: 'POST', url: '/mutate-pods', payload: review as object });
  return (response.json() as AdmissionReview).response!;
}
const patchOf = (response: { patch?: string }): { op: string; path: string; value?: unknown }[] => JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString() || '[]');
const pod = (spec: Partial<Pod['spec']>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'job' } }, spec: { containers: [{ name: 'main', image: 'job:1' }], ...spec } });

describe('POST /mutate-pods, native sidecars', () => {
  it('nodeSelector on new nodes: the sidecar is an initContainer with restartPolicy Always, no warning', async () => {
    const response = await admit(pod({ nodeSelector: { pool: 'new' } }));
    expect(response.allowed).toBe(true);
    expect(response.warnings).toBeUndefined();
    const init = patchOf(response).find((op) => op.path === '/spec/initContainers');
    expect(init?.value).toEqual([expect.objectContaining({ name: 'filebeat', restartPolicy: 'Always' })]);
  });

  it('pinned to an old node: a regular container, and the warning names the node', async () => {
    const response = await admit(pod({ nodeName: 'old-0' }));
    expect(response.allowed).toBe(true);
    expect(patchOf(response).some((op) => op.path.startsWith('/spec/initContainers'))).toBe(false);
    expect(response.warnings).toHaveLength(1);
    expect(response.warnings![0]).toMatch(/"filebeat".*regular container.*"old-0" \(kubelet v1\.28\.15\).*not guaranteed/);
  });
});
