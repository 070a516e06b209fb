// What any caller of the webhook's port can send, driven in process with app.inject(): wrongly typed
// objects get field errors (never an internal error), no review costs more than a bounded amount of
// work whatever it contains, and what the caller sent reaches logs and messages only as a short prefix.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { AdmissionReview, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { DENIAL_ERRORS_MAX } from './admission/admissionReview.js';
import { POD_REVIEW_BUDGET, RESOURCE_REVIEW_BUDGET } from './admission/boundedJsonBody.js';
import { limitLargeBodies } from './admission/largeBodies.js';
import { POD_REVIEW_BODY_LIMIT_BYTES } from './routes/mutatePods.js';
import Fastify from 'fastify';
import { staticCaches, type WebhookCaches } from './caches.js';
import { createWebhookMetrics } from './metrics.js';
import { buildWebhookServer } from './server.js';

const sidecarSet: SidecarSet = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'test-sidecarset' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    containers: [{ name: 'sidecar1', image: 'centos:6.7', volumeMounts: [{ name: 'log-volume', mountPath: '/var/log' }] }],
    volumes: [{ name: 'log-volume', emptyDir: {} }],
  },
};

const withSpec = (spec: Record<string, unknown>, base: SidecarSet = sidecarSet): unknown => ({ ...base, spec: { ...base.spec, ...spec } });
const withContainer = (container: Record<string, unknown>): unknown => withSpec({ containers: [{ ...sidecarSet.spec.containers![0], ...container }] });

const pod = (patch: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {}): unknown => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'test-pod', namespace: 'default', labels: { app: 'nginx' }, ...patch.metadata },
  spec: { containers: [{ name: 'app', image: 'nginx:1.15.1' }], ...patch.spec },
});

const kinds: Record<string, { group: string; version: string; kind: string; resource: string }> = {
  '/mutate-pods': { group: '', version: 'v1', kind: 'Pod', resource: 'pods' },
  '/mutate-sidecarsets': { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet', resource: 'sidecarsets' },
  '/validate-sidecarsets': { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet', resource: 'sidecarsets' },
  '/validate-resourcebindings': { group: 'sidecarset.alibabacloud.com', version: 'v1alpha1', kind: 'SidecarSetResourceBinding', resource: 'sidecarsetresourcebindings' },
};

const review = (route: string, object: unknown, extra: Record<string, unknown> = {}): AdmissionReview => {
  const { group, version, kind, resource } = kinds[route]!;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group, version, kind },
      resource: { group, version, resource },
      operation: 'CREATE',
      namespace: 'default',
      userInfo: { username: 'tester' },
      object,
      ...extra,
    },
  } as AdmissionReview;
};

function server(caches: WebhookCaches = staticCaches({ sidecarSets: [sidecarSet] })) {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const metrics = createWebhookMetrics(false);
  const app = buildWebhookServer({ caches, metrics, logger: { level: 'info', stream }, now: () => new Date('2026-01-01T00:00:00Z') });
  return { app, lines, metrics };
}

type App = ReturnType<typeof server>['app'];

/**
 * A stall guard, not a speed target (bench:adversarial measures those): the defects these tests pin
 * down blocked the event loop for 3 to 37 s, and a bounded admission costs a few milliseconds, so
 * a second of this process's CPU separates them whatever else the machine is doing.
 */
const STALL_GUARD_CPU_MS = 1000;

/** Posts a body (JSON text or a value); `ms` is the CPU time this process spent until the answer. */
async function post(app: App, url: string, payload: unknown) {
  const started = process.cpuUsage();
  const response = await app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  const used = process.cpuUsage(started);
  return { status: response.statusCode, body: response.json() as AdmissionReview & { message?: string }, ms: (used.user + used.system) / 1000 };
}

/**
 * Posts twice and times the second answer: the first compiles the code paths this shape of review
 * takes, once per process; the second is what every later review of that shape costs.
 */
async function timedPost(app: App, url: string, payload: unknown) {
  await post(app, url, payload);
  return post(app, url, payload);
}

/** A server whose JIT and schema validators have seen one ordinary request of each route. */
async function warmServer(caches?: WebhookCaches) {
  const built = server(caches);
  await post(built.app, '/mutate-pods', review('/mutate-pods', pod()));
  await post(built.app, '/mutate-sidecarsets', review('/mutate-sidecarsets', sidecarSet));
  await post(built.app, '/validate-sidecarsets', review('/validate-sidecarsets', { ...sidecarSet, metadata: { name: 'other' } }));
  return built;
}

const causes = (body: AdmissionReview) => body.response?.status?.details?.causes?.map((c) => c.field) ?? [];

describe('wrongly typed objects get field errors, never an internal error', () => {
  const cases: { name: string; route: string; object: unknown; field: string }[] = [
    { name: 'SidecarSet containers that are a string (defaulting runs before the CRD schema)', route: '/mutate-sidecarsets', object: withSpec({ containers: 'sidecar1' }), field: 'spec.containers' },
    { name: 'a container name that is a number', route: '/mutate-sidecarsets', object: withContainer({ name: 5 }), field: 'spec.containers[0].name' },
    { name: 'an emptyDir that is a string', route: '/mutate-sidecarsets', object: withSpec({ volumes: [{ name: 'log-volume', emptyDir: 'yes' }] }), field: 'spec.volumes[0].emptyDir' },
    { name: 'resources that are a list', route: '/mutate-sidecarsets', object: withContainer({ resources: [] }), field: 'spec.containers[0].resources' },
    { name: 'a SidecarSet without spec', route: '/mutate-sidecarsets', object: { ...sidecarSet, spec: null }, field: 'spec' },
    { name: 'a selector written as a string', route: '/validate-sidecarsets', object: withSpec({ selector: 'app=nginx' }), field: 'spec.selector' },
    { name: 'a partition that is an object', route: '/validate-sidecarsets', object: withSpec({ updateStrategy: { partition: {} } }), field: 'spec.updateStrategy.partition' },
    {
      name: 'binding subjects that are an object',
      route: '/validate-resourcebindings',
      object: { apiVersion: 'sidecarset.alibabacloud.com/v1alpha1', kind: 'SidecarSetResourceBinding', metadata: { name: 'b', namespace: 'default' }, spec: { subjects: { kind: 'SidecarSet' }, resourceRefs: [] } },
      field: 'spec.subjects',
    },
    { name: 'a pod label value that is a number', route: '/mutate-pods', object: pod({ metadata: { labels: { app: 5 } } }), field: 'metadata.labels[app]' },
    { name: 'pod containers that are an object', route: '/mutate-pods', object: pod({ spec: { containers: { name: 'app' } } }), field: 'spec.containers' },
    { name: 'a pod env name that is a number', route: '/mutate-pods', object: pod({ spec: { containers: [{ name: 'app', env: [{ name: 5 }] }] } }), field: 'spec.containers[0].env[0].name' },
    { name: 'a subPathExpr that is a list', route: '/mutate-pods', object: pod({ spec: { containers: [{ name: 'app', volumeMounts: [{ name: 'v', mountPath: '/v', subPathExpr: ['$(A)'] }] }] } }), field: 'spec.containers[0].volumeMounts[0].subPathExpr' },
    { name: 'a hash annotation that is an object', route: '/mutate-pods', object: pod({ metadata: { annotations: { 'kruise.io/sidecarset-hash': {} } } }), field: 'metadata.annotations[kruise.io/sidecarset-hash]' },
    { name: 'a pod volume named by a list', route: '/mutate-pods', object: pod({ spec: { volumes: [{ name: ['v'] }] } }), field: 'spec.volumes[0].name' },
  ];
  it.each(cases)('$name: denied with an error at $field', async ({ route, object, field }) => {
    const { app, metrics } = server();
    const { status, body } = await post(app, route, review(route, object));
    expect(status).toBe(200);
    expect(body.response).toMatchObject({ uid: 'uid-1', allowed: false, status: { code: 422, reason: 'Invalid' } });
    expect(causes(body)).toContain(field);
    expect(body.response!.status!.message).not.toMatch(/internal error/);
    expect(await metrics.registry.getSingleMetricAsString('sidecarset_webhook_errors_total')).not.toMatch(/ 1$/m);
  });

  it.each([
    { name: 'a pod that is null', route: '/mutate-pods', payload: review('/mutate-pods', null) },
    { name: 'a pod that is a string', route: '/mutate-pods', payload: review('/mutate-pods', 'pod') },
    { name: 'a SidecarSet that is a list', route: '/validate-sidecarsets', payload: review('/validate-sidecarsets', [sidecarSet]) },
    { name: 'an UPDATE whose oldObject is a number', route: '/validate-sidecarsets', payload: review('/validate-sidecarsets', sidecarSet, { operation: 'UPDATE', oldObject: 5 }) },
  ])('$name (never sent by the API server) is denied as a bad request', async ({ route, payload }) => {
    const { app } = server();
    const { body } = await post(app, route, payload);
    expect(body.response).toMatchObject({ allowed: false, status: { code: 400, reason: 'BadRequest' } });
  });

  it(`lists at most ${DENIAL_ERRORS_MAX} field errors in one denial, then how many more`, async () => {
    const { app } = server();
    const containers = Array.from({ length: 500 }, () => ({ name: 5, image: 6 }));
    const { body } = await post(app, '/mutate-sidecarsets', review('/mutate-sidecarsets', withSpec({ containers })));
    expect(causes(body)).toHaveLength(DENIAL_ERRORS_MAX);
    expect(body.response!.status!.message).toMatch(/and 900 more errors\]$/);
  });
});

describe('bounded work per admission, whatever the review contains', () => {
  const hugeExponent = withContainer({ resources: { limits: { cpu: '1e2000000000' } } });
  const manyDigits = withContainer({ resources: { requests: { memory: '9'.repeat(40_000) } } });

  it.each([
    { name: 'a CPU limit of 1e2000000000 (matches the CRD pattern)', object: hugeExponent, field: 'spec.containers[0].resources.limits[cpu]', reason: /at most 8Ei/ },
    { name: 'a memory request of 40,000 digits', object: manyDigits, field: 'spec.containers[0].resources.requests[memory]', reason: /at most 64 characters/ },
  ])('validating $name answers without stalling, with a field error', async ({ object, field, reason }) => {
    const { app } = await warmServer();
    const { body, ms } = await timedPost(app, '/validate-sidecarsets', review('/validate-sidecarsets', object));
    expect(body.response!.allowed).toBe(false);
    const cause = body.response!.status!.details!.causes!.find((c) => c.field === field);
    expect(cause?.message).toMatch(reason);
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it('defaulting leaves an oversized quantity as written (validation refuses it) and answers at once', async () => {
    const { app } = await warmServer();
    const { body, ms } = await timedPost(app, '/mutate-sidecarsets', review('/mutate-sidecarsets', hugeExponent));
    expect(body.response!.allowed).toBe(true);
    const patch = JSON.parse(Buffer.from(body.response!.patch!, 'base64').toString()) as { path: string }[];
    expect(patch.map((op) => op.path)).not.toContain('/spec/containers/0/resources/limits/cpu');
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it('/healthz answers while an adversarial SidecarSet is admitted', async () => {
    const { app } = await warmServer();
    await post(app, '/validate-sidecarsets', review('/validate-sidecarsets', hugeExponent));
    const started = process.cpuUsage();
    const [admission, health] = await Promise.all([
      post(app, '/validate-sidecarsets', review('/validate-sidecarsets', hugeExponent)),
      app.inject('/healthz').then((response) => ({ status: response.statusCode, used: process.cpuUsage(started) })),
    ]);
    expect(admission.body.response!.allowed).toBe(false);
    expect(health.status).toBe(200);
    expect((health.used.user + health.used.system) / 1000).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it('comparing a selector of 4,500 values with a cached SidecarSet of 20,000 other values answers at once', async () => {
    const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    const other = { ...sidecarSet, metadata: { name: 'other' }, spec: { ...sidecarSet.spec, selector: { matchExpressions: [{ key: 'app', operator: 'In' as const, values: values('b', 20_000) }] } } };
    const { app } = await warmServer(staticCaches({ sidecarSets: [other] }));
    const next = withSpec({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: values('a', 4_500) }] } });
    const { body, ms } = await timedPost(app, '/validate-sidecarsets', review('/validate-sidecarsets', next));
    expect(body.response!.allowed).toBe(true); // disjoint values: no conflict
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it.each([
    { name: 'a hash annotation holding 100,000 JSON objects', object: pod({ metadata: { annotations: { 'kruise.io/sidecarset-hash': `[${'{},'.repeat(100_000)}{}]` } } }) },
    { name: 'a label value of a million characters', object: pod({ metadata: { labels: { app: 'nginx', big: 'x'.repeat(1_000_000) } } }) },
    { name: '200 containers sharing 200 mounts and variables each', object: pod({ spec: { containers: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, env: Array.from({ length: 50 }, (_, j) => ({ name: `V${j}`, value: 'x' })), volumeMounts: Array.from({ length: 10 }, (_, j) => ({ name: `v${j}`, mountPath: `/m/${j}`, subPathExpr: `$(V${j})` })) })) } }) },
  ])('injecting into a pod with $name answers without stalling', async ({ object }) => {
    const sharing = { ...sidecarSet, spec: { ...sidecarSet.spec, containers: [{ ...sidecarSet.spec.containers![0]!, shareVolumePolicy: { type: 'enabled' as const } }] } };
    const { app } = await warmServer(staticCaches({ sidecarSets: [sharing] }));
    const { body, ms } = await timedPost(app, '/mutate-pods', review('/mutate-pods', object));
    expect(body.response!.uid).toBe('uid-1');
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it(`a review of more than ${POD_REVIEW_BUDGET.maxValues} JSON values is denied without being parsed, naming the bound`, async () => {
    const { app } = await warmServer();
    const labels = Object.fromEntries(Array.from({ length: POD_REVIEW_BUDGET.maxValues }, (_, i) => [`k${i}`, 'v']));
    const { status, body, ms } = await timedPost(app, '/mutate-pods', review('/mutate-pods', pod({ metadata: { labels } })));
    expect(status).toBe(200);
    expect(body.response).toMatchObject({ uid: 'uid-1', allowed: false, status: { code: 413, reason: 'RequestEntityTooLarge' } });
    expect(body.response!.status!.message).toContain(`at most ${POD_REVIEW_BUDGET.maxValues} JSON values`);
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it(`a review nested deeper than ${POD_REVIEW_BUDGET.maxDepth} levels is denied without being parsed`, async () => {
    const { app } = await warmServer();
    const deep = JSON.stringify(review('/mutate-pods', pod())).replace('"kind":"Pod"', `"kind":"Pod","x":${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const { body } = await post(app, '/mutate-pods', deep);
    expect(body.response).toMatchObject({ uid: 'uid-1', allowed: false, status: { code: 413 } });
    expect(body.response!.status!.message).toContain(`nests deeper than ${POD_REVIEW_BUDGET.maxDepth} levels`);
  });

  it(`a SidecarSet review of more than ${RESOURCE_REVIEW_BUDGET.maxValues} JSON values is denied (admitting one costs more per value)`, async () => {
    const { app } = await warmServer();
    const containers = Array.from({ length: RESOURCE_REVIEW_BUDGET.maxValues / 2 }, (_, i) => ({ name: `c${i}`, image: 'i' }));
    const { body, ms } = await timedPost(app, '/mutate-sidecarsets', review('/mutate-sidecarsets', withSpec({ containers })));
    expect(body.response).toMatchObject({ uid: 'uid-1', allowed: false, status: { code: 413 } });
    expect(body.response!.status!.message).toContain(`at most ${RESOURCE_REVIEW_BUDGET.maxValues} JSON values`);
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it('a review whose strings hold more than 1 MiB with escapes (slow for JSON.parse) is denied without being parsed', async () => {
    const { app } = await warmServer();
    const { body, ms } = await timedPost(app, '/mutate-pods', review('/mutate-pods', pod({ metadata: { annotations: { note: '"'.repeat(1536 * 1024) } } })));
    expect(body.response).toMatchObject({ uid: 'uid-1', allowed: false, status: { code: 413 } });
    expect(body.response!.status!.message).toContain('characters of strings with escapes');
    expect(ms).toBeLessThan(STALL_GUARD_CPU_MS);
  });

  it(`a pod review over ${POD_REVIEW_BODY_LIMIT_BYTES} bytes (no API server sends one) gets HTTP 413, unread`, async () => {
    const { app } = await warmServer();
    const { status } = await post(app, '/mutate-pods', review('/mutate-pods', pod({ metadata: { annotations: { note: 'x'.repeat(POD_REVIEW_BODY_LIMIT_BYTES) } } })));
    expect(status).toBe(413);
    // SidecarSet reviews carry two objects on UPDATE: they keep the server's limit.
    const { status: sidecarSetStatus } = await post(app, '/validate-sidecarsets', review('/validate-sidecarsets', { ...sidecarSet, metadata: { name: 's', annotations: { note: 'x'.repeat(POD_REVIEW_BODY_LIMIT_BYTES) } } }));
    expect(sidecarSetStatus).toBe(200);
  });

  it('a body over budget that is not a review gets HTTP 413', async () => {
    const { app } = await warmServer();
    const { status, body } = await post(app, '/mutate-pods', `[${'0,'.repeat(POD_REVIEW_BUDGET.maxValues)}0]`);
    expect(status).toBe(413);
    expect(body.message).toContain('more than');
  });
});

describe('logs and messages carry only a short prefix of what the caller sent', () => {
  it('a malformed review with a huge apiVersion gets a short 400 and a short log line', async () => {
    const { app, lines } = server();
    const { status, body } = await post(app, '/mutate-pods', { apiVersion: 'x'.repeat(100_000), kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE' } });
    expect(status).toBe(400);
    expect(body.message!.length).toBeLessThan(300);
    expect(body.message).toContain('…');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(1000);
  });

  it('the admission log line cuts the pod name, namespace and operation short', async () => {
    const { app, lines } = server();
    await post(app, '/mutate-pods', review('/mutate-pods', pod({ metadata: { name: 'p'.repeat(100_000) } }), { namespace: 'n'.repeat(100_000), operation: 'O'.repeat(100_000) }));
    const line = lines.find((l) => l.includes('"msg":"admission"'))!;
    expect(line.length).toBeLessThan(1000);
    expect(JSON.parse(line)).toMatchObject({ namespace: `${'n'.repeat(64)}…`, operation: `${'O'.repeat(64)}…` });
  });
});

describe('metrics with bounded labels', () => {
  it('exposes the event loop delay by quantile', async () => {
    const { app } = server();
    const text = (await app.inject('/metrics')).body;
    for (const quantile of ['0.5', '0.99', '1']) expect(text).toMatch(new RegExp(`sidecarset_webhook_event_loop_delay_seconds\\{quantile="${quantile}"\\} \\d`));
  });

  it('counts a skipped SidecarSet under its code, not a free-text reason', async () => {
    const paused = { ...sidecarSet, spec: { ...sidecarSet.spec, injectionStrategy: { paused: true } } };
    const { app, metrics } = server(staticCaches({ sidecarSets: [paused] }));
    await post(app, '/mutate-pods', review('/mutate-pods', pod()));
    expect(await metrics.registry.getSingleMetricAsString('sidecarset_webhook_skipped_total')).toContain('sidecarset_webhook_skipped_total{reason="InjectionPaused"} 1');
  });
});

describe('large bodies in flight are bounded (memory)', () => {
  it('a large body beyond the in-flight allowance is answered 503 at once; once one is done, the next is read', async () => {
    const app = Fastify();
    limitLargeBodies(app, 7 * 1024 * 1024, 1024 * 1024);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    app.post('/x', async (request) => ((request.body as { pad?: string }).pad ? await held : undefined, { ok: true }));
    const large = JSON.stringify({ pad: 'x'.repeat(600 * 1024) });
    const send = (payload: string) => app.inject({ method: 'POST', url: '/x', payload, headers: { 'content-type': 'application/json' } });
    const first = send(large);
    await new Promise((r) => setTimeout(r, 50));
    const second = await send(large);
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
    expect((await send('{"small":true}')).statusCode).toBe(200); // small bodies are never held back
    release();
    expect((await first).statusCode).toBe(200);
    expect((await send(large)).statusCode).toBe(200);
  });
});

describe('a body refused before it is read is not read', () => {
  it('a large body beyond the in-flight allowance gets 503 and the connection is closed, the rest of the body unread', async () => {
    const app = Fastify({ bodyLimit: 128 * 1024 * 1024 });
    limitLargeBodies(app, 128 * 1024 * 1024, 1024 * 1024);
    app.post('/x', async () => ({ ok: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = app.server.address() as AddressInfo;
      const declared = 64 * 1024 * 1024;
      const answer = await new Promise<{ status: number; connection: string | undefined; sent: number }>((resolve, reject) => {
        let sent = 0;
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/x', headers: { 'content-type': 'application/json', 'content-length': declared } }, (res) => {
          res.resume();
          res.on('error', () => {}); // the server closes the connection right after answering
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, sent });
          req.destroy();
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
        // Writes until the server answers; a server reading the whole body would take all 64 MiB.
        const chunk = Buffer.alloc(64 * 1024, 32);
        const pump = () => {
          while (sent < declared && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return req.once('drain', pump);
          }
        };
        pump();
      });
      expect(answer.status).toBe(503);
      expect(answer.connection).toBe('close');
      expect(answer.sent).toBeLessThan(declared);
    } finally {
      await app.close();
    }
  });
});
