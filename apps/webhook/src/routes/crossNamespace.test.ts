// The admission routes with a SidecarSet naming kube-system/filebeat-config (seed 000), in process:
// the bindings the caches hold decide the pod's rewrite or denial, and the SidecarSet's warning.
import { Writable } from 'node:stream';
import type { AdmissionReview, Pod, SidecarSet, SidecarSetResourceBinding } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { staticCaches, type WebhookCaches } from '../caches.js';
import { createWebhookMetrics } from '../metrics.js';
import { buildWebhookServer } from '../server.js';

const sidecarSet: SidecarSet = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'filebeat-sidecarset' },
  spec: {
    selector: { matchLabels: { app: 'echo-server' } },
    containers: [{ name: 'filebeat', image: 'busybox', volumeMounts: [{ name: 'config', mountPath: '/etc/filebeat.yml', subPath: 'filebeat.yml', readOnly: true }] }],
    volumes: [{ name: 'config', configMap: { name: 'kube-system/filebeat-config' } }],
  },
};
const binding: SidecarSetResourceBinding = {
  metadata: { name: 'filebeat-sidecarset-resourcebinding', namespace: 'kube-system' },
  spec: { subjects: [{ kind: 'SidecarSet', name: 'filebeat-sidecarset' }], resourceRefs: [{ kind: 'ConfigMap', name: 'filebeat-config' }] },
};
const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo-server', namespace: 'shop', labels: { app: 'echo-server' } }, spec: { containers: [{ name: 'echo-server', image: 'hashicorp/http-echo' }] } };

function review(resource: string, object: object, namespace?: string): AdmissionReview {
  const pods = resource === 'pods';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: pods ? { group: '', version: 'v1', kind: 'Pod' } : { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet' },
      resource: pods ? { group: '', version: 'v1', resource: 'pods' } : { group: 'apps.kruise.io', version: 'v1alpha1', resource: 'sidecarsets' },
      operation: 'CREATE',
      ...(namespace ? { namespace } : {}),
      userInfo: { username: 'tester' },
      object,
    },
  };
}

async function admit(caches: WebhookCaches, url: string, body: AdmissionReview): Promise<AdmissionReview['response'] & object> {
  const stream = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = buildWebhookServer({ caches, metrics: createWebhookMetrics(false), logger: { level: 'info', stream }, now: () => new Date('2026-01-01T00:00:00Z') });
  const response = await app.inject({ method: 'POST', url, payload: body as object });
  return (response.json() as AdmissionReview).response!;
}
const patchOf = (response: { patch?: string }): string => Buffer.from(response.patch ?? '', 'base64').toString();

describe('POST /mutate-pods with a NAMESPACE/NAME volume', () => {
  it('a cached binding authorises it: the patch points the volume at the mirror, annotates and gates the pod', async () => {
    const response = await admit(staticCaches({ sidecarSets: [sidecarSet], bindings: [binding] }), '/mutate-pods', review('pods', pod, 'shop'));
    expect(response.allowed).toBe(true);
    const patch = patchOf(response);
    expect(patch).toContain('"configMap":{"name":"mirror.kube-system.filebeat-config"}');
    expect(patch).toContain('"sidecarset.dev/mirrors":"ConfigMap/kube-system/filebeat-config"');
    expect(patch).toContain('"path":"/spec/schedulingGates","value":[{"name":"sidecarset.dev/mirrors"}]');
  });

  it('no cached binding: denied (422), naming the SidecarSet, the volume, the source and the binding', async () => {
    const response = await admit(staticCaches({ sidecarSets: [sidecarSet] }), '/mutate-pods', review('pods', pod, 'shop'));
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(422);
    expect(response.status?.message).toBe(
      'pod not created: SidecarSet "filebeat-sidecarset" spec.volumes[0].configMap.name: volume "config" refers to ConfigMap kube-system/filebeat-config, but no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config"',
    );
  });
});

describe('POST /validate-sidecarsets with a NAMESPACE/NAME volume', () => {
  it('no binding yet: allowed with a warning naming the binding it lacks', async () => {
    const response = await admit(staticCaches({}), '/validate-sidecarsets', review('sidecarsets', sidecarSet));
    expect(response.allowed).toBe(true);
    expect(response.warnings).toEqual([
      'spec.volumes[0].configMap.name: ConfigMap kube-system/filebeat-config: no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config" yet; pods this SidecarSet injects with it are denied until one does',
    ]);
  });

  it('with the binding: allowed, no warning', async () => {
    const response = await admit(staticCaches({ bindings: [binding] }), '/validate-sidecarsets', review('sidecarsets', sidecarSet));
    expect(response.allowed).toBe(true);
    expect(response.warnings).toBeUndefined();
  });
});
