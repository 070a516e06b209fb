// POST /mutate-pods with a stdlog SidecarSet: the CSIDrivers and the namespace's Pod Security label
// the caches hold decide the rewrite; a namespace the watch has not delivered yet is looked up.
import { Writable } from 'node:stream';
import type { AdmissionReview, Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { staticCaches, type WebhookCaches } from '../caches.js';
import { createWebhookMetrics } from '../metrics.js';
import { buildWebhookServer } from '../server.js';

const DRIVER = 'stdlogplugin.csi.alibabacloud.com';
const sidecarSet: SidecarSet = {
  metadata: { name: 'filebeat-sidecarset' },
  spec: {
    selector: { matchLabels: { app: 'echo-server' } },
    containers: [{ name: 'filebeat', image: 'busybox', volumeMounts: [{ name: 'stdlog', mountPath: '/var/log/std', readOnly: true }] }],
    volumes: [{ name: 'stdlog', csi: { driver: DRIVER } }],
  },
};
const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo-server', namespace: 'shop', labels: { app: 'echo-server' } }, spec: { containers: [{ name: 'echo-server', image: 'hashicorp/http-echo' }] } };
const review: AdmissionReview = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'uid-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    operation: 'CREATE',
    namespace: 'shop',
    userInfo: { username: 'tester' },
    object: pod,
  },
};

async function admit(caches: WebhookCaches): Promise<AdmissionReview['response'] & object> {
  const stream = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = buildWebhookServer({ caches, metrics: createWebhookMetrics(false), logger: { level: 'info', stream }, now: () => new Date('2026-01-01T00:00:00Z') });
  const response = await app.inject({ method: 'POST', url: '/mutate-pods', payload: review as object });
  return (response.json() as AdmissionReview).response!;
}
const patchOf = (response: { patch?: string }): string => Buffer.from(response.patch ?? '', 'base64').toString();

/** Caches whose namespace watch has not delivered "shop" yet; reading it gives `labels`. */
function unseenNamespace(labels: Record<string, string>, csiDrivers: string[] = []): WebhookCaches & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    ...staticCaches({ sidecarSets: [sidecarSet], csiDrivers }),
    namespaceLabels: () => undefined,
    lookupNamespaceLabels: (name) => (lookups.push(name), Promise.resolve({ ok: true, labels })),
    lookups,
  };
}

describe('POST /mutate-pods with a stdlog volume', () => {
  it('no CSIDriver: the patch has the hostPath volume and the narrowed mount', async () => {
    const response = await admit(staticCaches({ sidecarSets: [sidecarSet], namespaces: { shop: {} } }));
    expect(response.allowed).toBe(true);
    expect(patchOf(response)).toContain('"hostPath":{"path":"/var/log/pods","type":"Directory"}');
    expect(patchOf(response)).toContain('"subPathExpr":"$(SIDECARSET_POD_NAMESPACE)_$(SIDECARSET_POD_NAME)_$(SIDECARSET_POD_UID)"');
  });

  it('the CSIDriver cached: the csi volume as written', async () => {
    const response = await admit(staticCaches({ sidecarSets: [sidecarSet], namespaces: { shop: {} }, csiDrivers: [DRIVER] }));
    expect(response.allowed).toBe(true);
    expect(patchOf(response)).toContain(`"csi":{"driver":"${DRIVER}"}`);
    expect(patchOf(response)).not.toContain('hostPath');
  });

  it('a namespace not yet seen is read, and its enforce label denies the pod', async () => {
    const caches = unseenNamespace({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const response = await admit(caches);
    expect(caches.lookups).toEqual(['shop']);
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain('SidecarSet "filebeat-sidecarset" spec.volumes[0]: volume "stdlog"');
    expect(response.status?.message).toContain('namespace "shop" enforces Pod Security level "restricted"');
  });

  it('with the CSIDriver cached, an unseen namespace is not read for it', async () => {
    const caches = unseenNamespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }, [DRIVER]);
    const response = await admit(caches);
    expect(caches.lookups).toEqual([]);
    expect(response.allowed).toBe(true);
  });
});
