// POST /convert in process: ConversionReview v1 in and out, the same conversion as OpenKruise 1.9 for
// every object, a failure result (not a half-converted list) when one object cannot be converted,
// 400 for what is not a ConversionReview, 413 beyond the JSON budget, and no wait for the caches.
import { describe, expect, it } from 'vitest';
import { staticCaches } from '../caches.js';
import { buildWebhookServer } from '../server.js';

const sidecarSet = (apiVersion: string, extra: Record<string, unknown> = {}) => ({
  apiVersion,
  kind: 'SidecarSet',
  metadata: { name: 'logging', labels: { 'apps.kruise.io/sidecarset-custom-version': 'v7' } },
  spec: { selector: { matchLabels: { app: 'a' } }, namespace: 'shop', containers: [{ name: 'c', image: 'i' }], ...extra },
});
const review = (desiredAPIVersion: string, objects: unknown[]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'u-1', desiredAPIVersion, objects } });

const server = (ready = true) => buildWebhookServer({ caches: { ...staticCaches({}), ready: () => ready } });
const post = (payload: unknown, ready = true) => server(ready).inject({ method: 'POST', url: '/convert', payload: payload as object });

describe('POST /convert', () => {
  it('converts every object to the desired version, as OpenKruise does (namespace -> namespaceSelector, label -> customVersion)', async () => {
    const answer = await post(review('apps.kruise.io/v1beta1', [sidecarSet('apps.kruise.io/v1alpha1'), sidecarSet('apps.kruise.io/v1alpha1', { namespace: '' })]));
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: 'u-1', result: { status: 'Success' } } });
    const [first, second] = body.response.convertedObjects;
    expect(first).toMatchObject({ apiVersion: 'apps.kruise.io/v1beta1', spec: { customVersion: 'v7', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } } });
    expect(first.metadata).toEqual({ name: 'logging' });
    expect(second.spec).not.toHaveProperty('namespaceSelector');
  });

  it('answers while the caches are still loading (the API server converts through it to fill them)', async () => {
    const answer = await post(review('apps.kruise.io/v1alpha1', [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', metadata: { name: 'x' }, spec: { customVersion: 'v1' } }]), false);
    expect(answer.json().response).toMatchObject({ result: { status: 'Success' }, convertedObjects: [{ apiVersion: 'apps.kruise.io/v1alpha1', metadata: { labels: { 'apps.kruise.io/sidecarset-custom-version': 'v1' } } }] });
  });

  it('needs no client certificate where admission routes do (the API server presents none to conversion webhooks)', async () => {
    const guarded = buildWebhookServer({ caches: staticCaches({}), clientAuthentication: { ca: 'unused without TLS' } });
    const payload = review('apps.kruise.io/v1beta1', [sidecarSet('apps.kruise.io/v1alpha1')]);
    expect((await guarded.inject({ method: 'POST', url: '/convert', payload })).json().response.result.status).toBe('Success');
    expect((await guarded.inject({ method: 'POST', url: '/validate-sidecarsets', payload: {} })).statusCode).toBe(401);
  });

  it('fails the review, naming the object and field, when one object cannot be converted', async () => {
    const answer = await post(review('apps.kruise.io/v1beta1', [sidecarSet('apps.kruise.io/v1alpha1'), { apiVersion: 'apps/v1', kind: 'SidecarSet' }]));
    expect(answer.json().response).toMatchObject({ uid: 'u-1', convertedObjects: [], result: { status: 'Failure', message: expect.stringContaining('request.objects[1].apiVersion') } });
    const wrongVersion = await post(review('apps.kruise.io/v2', [sidecarSet('apps.kruise.io/v1alpha1')]));
    expect(wrongVersion.json().response.result).toMatchObject({ status: 'Failure', message: expect.stringContaining('request.desiredAPIVersion') });
  });

  it.each([
    ['an AdmissionReview', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u' } }],
    ['no request', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' }],
    ['objects not a list', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'u', desiredAPIVersion: 'apps.kruise.io/v1beta1', objects: {} } }],
    ['an over-long uid', { ...review('apps.kruise.io/v1beta1', []), request: { uid: 'u'.repeat(200), desiredAPIVersion: 'apps.kruise.io/v1beta1', objects: [] } }],
  ])('answers 400 to %s', async (_name, payload) => {
    expect((await post(payload)).statusCode).toBe(400);
  });

  it('answers 413 to a review over its JSON budget, unparsed', async () => {
    const objects = Array.from({ length: 210_000 }, () => 0);
    const answer = await post(review('apps.kruise.io/v1beta1', objects));
    expect(answer.statusCode).toBe(413);
    expect(answer.json().message).toContain('200000 JSON values');
  });
});
