// The webhook's HTTP contract, driven in process with app.inject(): AdmissionReview in, AdmissionReview
// out, 400 for what is not a review, denials instead of half-made patches.
import { Writable } from 'node:stream';
import type { AdmissionReview, ControllerRevision, Pod, SidecarSet } from '@sidecarset/api';
import { PATCH_METADATA_WHITELIST_KEY, parsePatchMetadataWhitelist } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import { staticCaches, type WebhookCaches } from './caches.js';
import { createWebhookMetrics } from './metrics.js';
import { BODY_LIMIT_BYTES, buildWebhookServer } from './server.js';

const sidecarSet: SidecarSet = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'test-sidecarset' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    containers: [{ name: 'sidecar1', image: 'centos:6.7', command: ['sleep', '999d'], volumeMounts: [{ name: 'log-volume', mountPath: '/var/log' }] }],
    volumes: [{ name: 'log-volume', emptyDir: {} }],
  },
};

const pod = (labels: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'test-pod', namespace: 'default', labels },
  spec: { containers: [{ name: 'app', image: 'nginx:1.15.1' }] },
});

const review = (operation: string, object: unknown, extra: Record<string, unknown> = {}): AdmissionReview => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'uid-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    operation: operation as 'CREATE',
    namespace: 'default',
    userInfo: { username: 'tester' },
    object,
    ...extra,
  },
});

function server(caches: WebhookCaches = staticCaches({ sidecarSets: [sidecarSet] }), random?: () => number) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  const metrics = createWebhookMetrics(false);
  const app = buildWebhookServer({ caches, metrics, logger: { level: 'info', stream }, now: () => new Date('2026-01-01T00:00:00Z'), ...(random ? { random } : {}) });
  return { app, lines, metrics };
}

const post = async (app: ReturnType<typeof server>['app'], url: string, payload: unknown) => {
  const response = await app.inject({ method: 'POST', url, payload: payload as object });
  return { status: response.statusCode, body: response.json() as AdmissionReview & { message?: string } };
};

const decodePatch = (body: AdmissionReview) => JSON.parse(Buffer.from(body.response!.patch!, 'base64').toString()) as { op: string; path: string; value?: unknown }[];

describe('POST /mutate-pods', () => {
  it('injects a matching SidecarSet with a JSON patch and echoes the uid', async () => {
    const { app } = server();
    const { status, body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(status).toBe(200);
    expect(body).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'uid-1', allowed: true, patchType: 'JSONPatch' } });
    const patch = decodePatch(body);
    expect(JSON.stringify(patch)).toContain('sidecar1');
    expect(JSON.stringify(patch)).toContain('kruise.io/sidecarset-injected-list');
  });

  it('allows a pod no SidecarSet selects, without a patch', async () => {
    const { app } = server();
    const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'redis' })));
    expect(body.response).toEqual({ uid: 'uid-1', allowed: true });
  });

  it.each([
    ['an UPDATE', review('UPDATE', pod({ app: 'nginx' }))],
    ['a status subresource', review('CREATE', pod({ app: 'nginx' }), { subResource: 'status' })],
  ])('leaves %s alone', async (_name, payload) => {
    const { app } = server();
    const { body } = await post(app, '/mutate-pods', payload);
    expect(body.response).toEqual({ uid: 'uid-1', allowed: true });
  });

  it('writes exactly one log line per admission, naming pod, namespace, sidecarsets and duration', async () => {
    const { app, lines } = server();
    await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'admission', route: '/mutate-pods', pod: 'test-pod', namespace: 'default', injected: ['test-sidecarset'], allowed: true });
    expect(typeof lines[0]!.durationMs).toBe('number');
  });

  it('refuses while the caches are loading instead of creating a pod without sidecars', async () => {
    const { app } = server({ ...staticCaches({ sidecarSets: [sidecarSet] }), ready: () => false });
    const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(body.response).toMatchObject({ allowed: false, status: { code: 503 } });
    expect(body.response!.status!.message).toContain('caches are not loaded');
  });

  it('turns an internal error into a denial with a short generic message and no patch; the log has the details', async () => {
    const broken = { ...staticCaches({}), sidecarSets: (): SidecarSet[] => { throw new Error('cache exploded'); } };
    const { app, metrics, lines } = server(broken);
    const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(body.response).toMatchObject({ allowed: false, status: { code: 500, message: 'sidecarset webhook internal error, nothing was changed; the webhook log has the details' } });
    expect(body.response!.patch).toBeUndefined();
    expect(lines.find((l) => l.msg === 'admission failed')).toMatchObject({ errorType: 'Error', errorMessage: 'cache exploded' });
    expect(await metrics.registry.getSingleMetricAsString('sidecarset_webhook_errors_total')).toContain('route="/mutate-pods"} 1');
  });
});

describe('malformed requests', () => {
  it.each([
    ['not JSON', 'this is not json', 'Body is not valid JSON'],
    ['a v1beta1 review', { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'x', operation: 'CREATE' } }, 'apiVersion must be admission.k8s.io/v1'],
    ['a review without request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, 'request is missing'],
    ['a request without uid', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { operation: 'CREATE' } }, 'request.uid is missing'],
  ])('%s gets HTTP 400 with the reason', async (_name, payload, reason) => {
    const { app } = server();
    const response = await app.inject({ method: 'POST', url: '/mutate-pods', payload: payload as string, headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(reason);
  });

  it('a body over the size limit gets HTTP 413', async () => {
    const { app } = server();
    const response = await app.inject({ method: 'POST', url: '/mutate-pods', payload: JSON.stringify({ big: 'x'.repeat(BODY_LIMIT_BYTES) }), headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(413);
  });
});

describe('SidecarSet admission', () => {
  it('defaults a SidecarSet and adds its hash annotations', async () => {
    const { app } = server();
    const { body } = await post(app, '/mutate-sidecarsets', review('CREATE', sidecarSet));
    expect(body.response!.allowed).toBe(true);
    const paths = decodePatch(body).map((op) => op.path);
    expect(paths.some((p) => p.startsWith('/metadata/annotations'))).toBe(true);
  });

  it('rejects an invalid SidecarSet with field causes', async () => {
    const { app } = server(staticCaches({}));
    const invalid = { ...sidecarSet, spec: { ...sidecarSet.spec, containers: [{ name: 'sidecar1' }] } };
    const { body } = await post(app, '/validate-sidecarsets', review('CREATE', invalid));
    expect(body.response).toMatchObject({ allowed: false, status: { code: 422, reason: 'Invalid' } });
    expect(body.response!.status!.details!.causes!.map((c) => c.field)).toContain('spec.containers[0].image');
    expect(body.response!.status!.message).toContain('SidecarSet.apps.kruise.io "test-sidecarset" is invalid');
  });

  it('rejects a second SidecarSet whose container name collides for the same pods', async () => {
    const { app } = server(staticCaches({ sidecarSets: [sidecarSet] }));
    const second = { ...sidecarSet, metadata: { name: 'second' } };
    const { body } = await post(app, '/validate-sidecarsets', review('CREATE', second));
    expect(body.response!.allowed).toBe(false);
    expect(body.response!.status!.message).toContain('test-sidecarset');
  });

  it.each([
    { name: 'no whitelist ConfigMap', whitelist: undefined, allowed: false, cause: 'spec.patchPodMetadata' },
    { name: 'a whitelist allowing the key', whitelist: JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: ['^mesh\\.io/'] }] }), allowed: true, cause: undefined },
    { name: 'a whitelist allowing other keys', whitelist: JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: ['^other\\.io/'] }] }), allowed: false, cause: 'spec.patchPodMetadata[0].annotations[mesh.io/a]' },
  ])('patchPodMetadata with $name: allowed $allowed', async ({ whitelist, allowed, cause }) => {
    const patchMetadataWhitelist = parsePatchMetadataWhitelist(whitelist === undefined ? undefined : { [PATCH_METADATA_WHITELIST_KEY]: whitelist }, 'ConfigMap sidecarset-system/kruise-configuration');
    const { app } = server(staticCaches({ patchMetadataWhitelist }));
    const patching = { ...sidecarSet, spec: { ...sidecarSet.spec, patchPodMetadata: [{ annotations: { 'mesh.io/a': 'x' }, patchPolicy: 'Overwrite' }] } };
    const { body } = await post(app, '/validate-sidecarsets', review('CREATE', patching));
    expect(body.response!.allowed).toBe(allowed);
    expect(body.response!.status?.details?.causes?.map((c) => c.field)).toEqual(cause ? [cause] : undefined);
  });
});

describe('health and metrics', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    const { app } = server();
    await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toContain('sidecarset_webhook_requests_total{route="/mutate-pods",result="allowed"} 1');
    expect(metrics).toContain('sidecarset_webhook_injected_total{sidecarset="test-sidecarset"} 1');
    expect(metrics).toContain('sidecarset_webhook_request_duration_seconds_bucket');
  });

  it('is not ready until its caches are', async () => {
    const { app } = server({ ...staticCaches({}), ready: () => false });
    expect((await app.inject('/readyz')).statusCode).toBe(503);
  });
});

describe('POST /mutate-pods: namespaces and SidecarSet-side denials', () => {
  const selective: SidecarSet = { ...sidecarSet, spec: { ...sidecarSet.spec, namespaceSelector: { matchLabels: { inject: 'yes' } } } };
  const unseenNamespace = (lookup: WebhookCaches['lookupNamespaceLabels']): WebhookCaches => ({
    ...staticCaches({ sidecarSets: [selective] }),
    namespaceLabels: () => undefined,
    lookupNamespaceLabels: lookup,
  });

  it('a namespace the watch has not delivered is looked up, so its namespaceSelector still applies', async () => {
    const looked: string[] = [];
    const { app } = server(unseenNamespace(async (name) => (looked.push(name), { ok: true, labels: { inject: 'yes' } })));
    const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(looked).toEqual(['default']);
    expect(JSON.stringify(decodePatch(body))).toContain('sidecar1');
  });

  it('a namespace that cannot be read denies the pod with a retryable error instead of guessing', async () => {
    const { app } = server(unseenNamespace(async () => ({ ok: false, reason: 'no answer within 2000 ms' })));
    const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(body.response).toMatchObject({ allowed: false, status: { code: 503, message: expect.stringContaining('namespace "default"') } });
  });

  it("a pin to a revision that is not there denies the pod naming the SidecarSet and the revision, not a field of the Pod", async () => {
    const pinned: SidecarSet = { ...sidecarSet, spec: { ...sidecarSet.spec, injectionStrategy: { revision: { revisionName: 'test-sidecarset-gone' } } } };
    const { app } = server(staticCaches({ sidecarSets: [pinned] }));
    const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
    expect(body.response?.allowed).toBe(false);
    expect(body.response?.status?.message).toBe(
      'pod not created: SidecarSet "test-sidecarset" spec.injectionStrategy.revision.revisionName: SidecarSet "test-sidecarset" pins injection to ControllerRevision "test-sidecarset-gone", which does not exist',
    );
    expect(body.response?.status?.message).not.toMatch(/Pod "test-pod" is invalid/);
  });

  it('Partial with a percentage partition draws for each pod: a draw <= the percentage gets the pinned revision, a higher one the latest', async () => {
    const revision: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'test-sidecarset-old', namespace: 'kruise-system', labels: { 'kruise.io/sidecarset-name': 'test-sidecarset' } },
      revision: 1,
      data: { spec: { $patch: 'replace', containers: [{ name: 'sidecar1', image: 'centos:6.6' }], volumes: null } } as unknown as ControllerRevision['data'],
    };
    const partial: SidecarSet = {
      ...sidecarSet,
      spec: { ...sidecarSet.spec, injectionStrategy: { revision: { revisionName: 'test-sidecarset-old', policy: 'Partial' } }, updateStrategy: { partition: '40%' } },
    };
    const draws = [0.4, 0.41, 0];
    const { app } = server(staticCaches({ sidecarSets: [partial], revisions: [revision] }), () => draws.shift()!);
    const images: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await post(app, '/mutate-pods', review('CREATE', pod({ app: 'nginx' })));
      const added = decodePatch(body).find((op) => op.path === '/spec/containers/0');
      images.push((added?.value as { image?: string } | undefined)?.image);
    }
    expect(images).toEqual(['centos:6.6', 'centos:6.7', 'centos:6.6']);
    expect(draws).toEqual([]);
  });
});
