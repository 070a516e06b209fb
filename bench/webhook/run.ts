// Admission benchmark (`npm run bench:webhook`). Through a real kube-apiserver: pod CREATE latency
// with the real webhook in the path, against a baseline measured in the same run and interleaved
// with it (pods in a namespace the webhook configuration leaves out), for 1, 10 and 100 SidecarSets;
// the API server's own measure of the webhook call; the webhook's processing time. In process:
// injectPod throughput against structuredClone. Webhook RSS with 1,000 SidecarSets cached.
// Prints tables; never fails on a time.
import { requestJson, SidecarSetClient, type Pod } from '@sidecarset/api';
import { admitSidecarSet, injectPod } from '@sidecarset/core';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { histogramDelta, quantileMs, readHistogram, shareAtOrBelow } from '../histogram.ts';
import { fmt, percentile, printTable, rssMiB } from '../stats.ts';
import { benchPodLabels, matchingCount, sidecarSetMix } from './sidecarSetMix.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Left out by deploy/manifests/webhook-configurations.yaml's namespaceSelector: no webhook call. */
const UNHOOKED_NAMESPACE = 'sidecarset-system';
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function benchPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: benchPodLabels() },
    spec: {
      containers: [
        { name: 'app', image: 'registry.example/app:1.0', env: [{ name: 'TZ', value: 'UTC' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        { name: 'helper', image: 'registry.example/helper:1.0' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

let podSerial = 0;
async function createPods(plane: ControlPlane, namespace: string, count: number, into: number[]): Promise<void> {
  let left = count;
  const worker = async () => {
    while (left-- > 0) {
      const started = performance.now();
      await requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, {}, benchPod(`p-${podSerial++}`));
      into.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function ensureNamespace(plane: ControlPlane, name: string): Promise<void> {
  await requestJson(plane.kubeConfig, 'POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
  for (let i = 0; i < 200; i++) {
    if (await requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no default ServiceAccount in ${name}`);
}

async function metricsText(plane: ControlPlane, url?: string, ca?: string): Promise<string> {
  if (!url) return (await plane.kubectl(['get', '--raw', '/metrics'])).stdout;
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    request(`${url}/metrics`, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
}

/** Waits until a dry-run pod comes back injected by the expected number of SidecarSets. */
async function waitInjected(plane: ControlPlane, expected: number): Promise<void> {
  let list: string[] = [];
  for (let i = 0; i < 300; i++) {
    const pod = await requestJson<Pod>(plane.kubeConfig, 'POST', '/api/v1/namespaces/default/pods', { dryRun: 'All' }, benchPod('probe'));
    list = pod.metadata?.annotations?.['kruise.io/sidecarset-injected-list']?.split(',') ?? [];
    if (list.length === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the webhook cache never caught up: injected ${list.join(',')}, expected ${expected}`);
}

function injectThroughput(admitted: boolean) {
  const mix = sidecarSetMix(10);
  const sidecarSets = admitted ? mix.map(admitSidecarSet) : mix;
  const pod = { ...benchPod('inproc'), metadata: { ...benchPod('inproc').metadata, namespace: 'default' } };
  const context = { namespace: 'default', namespaceLabels: { 'kubernetes.io/metadata.name': 'default' }, revisions: [], now: '2026-01-01T00:00:00Z' };
  const rate = (fn: () => unknown) => {
    for (let i = 0; i < 2000; i++) fn(); // warm the JIT
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < 2000) {
      for (let i = 0; i < 100; i++) fn();
      count += 100;
    }
    return count / ((performance.now() - started) / 1000);
  };
  const injected = injectPod(pod, sidecarSets, context).injected.length;
  if (injected !== matchingCount(10)) throw new Error(`expected ${matchingCount(10)} SidecarSets injected, got ${injected}`);
  return { baseline: rate(() => structuredClone(pod)), inject: rate(() => injectPod(pod, sidecarSets, context)) };
}

progress('in-process injectPod throughput');
const admittedRate = injectThroughput(true);
const rawRate = injectThroughput(false);

progress('starting the control plane (no scheduler, no kwok: pods stay Pending, which admission does not care about)');
const plane = await startControlPlane({ scheduler: false, log: progress });
const webhook = await startSidecarsetWebhook(plane);
await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
await ensureNamespace(plane, UNHOOKED_NAMESPACE);
const client = new SidecarSetClient(plane.kubeConfig);
const latencyRows: (string | number)[][] = [];
const webhookRows: (string | number)[][] = [];
let created = 0;
for (const count of [1, 10, 100]) {
  for (const s of sidecarSetMix(count).slice(created)) await client.create(s);
  created = count;
  await waitInjected(plane, matchingCount(count));
  const hooked = `bench-${count}`;
  await ensureNamespace(plane, hooked);
  await createPods(plane, hooked, 40, []); // warm-up
  progress(`${count} SidecarSets (${matchingCount(count)} match): ${ROUNDS} rounds of ${PER_ROUND} pods without, then with the webhook`);
  const apiBefore = readHistogram(await metricsText(plane), 'apiserver_admission_webhook_admission_duration_seconds', 'name="mutate-pods.sidecarset.dev"');
  const ownBefore = readHistogram(await metricsText(plane, webhook.url, webhook.caBundle), 'sidecarset_webhook_request_duration_seconds', 'route="/mutate-pods"');
  const without: number[] = [];
  const withWebhook: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await createPods(plane, UNHOOKED_NAMESPACE, PER_ROUND, without);
    await createPods(plane, hooked, PER_ROUND, withWebhook);
  }
  const api = histogramDelta(readHistogram(await metricsText(plane), 'apiserver_admission_webhook_admission_duration_seconds', 'name="mutate-pods.sidecarset.dev"'), apiBefore);
  const own = histogramDelta(readHistogram(await metricsText(plane, webhook.url, webhook.caBundle), 'sidecarset_webhook_request_duration_seconds', 'route="/mutate-pods"'), ownBefore);
  without.sort((a, b) => a - b);
  withWebhook.sort((a, b) => a - b);
  const [p50a, p99a, p50b, p99b] = [percentile(without, 50), percentile(without, 99), percentile(withWebhook, 50), percentile(withWebhook, 99)];
  latencyRows.push([`${count} (${matchingCount(count)} match)`, fmt(p50a), fmt(p99a), fmt(p50b), fmt(p99b), fmt(p50b - p50a), fmt(p99b - p99a)]);
  webhookRows.push([`${count} (${matchingCount(count)} match)`, api.count, `<= ${fmt(quantileMs(api, 0.99), 0)}`, `${fmt(100 * shareAtOrBelow(api, 5), 1)}%`, `<= ${fmt(quantileMs(own, 0.5), 1)}`, `<= ${fmt(quantileMs(own, 0.99), 1)}`]);
}

progress('filling the webhook cache to 1,000 SidecarSets');
const rss100 = rssMiB(webhook.process.pid);
for (const s of sidecarSetMix(1000).slice(created)) await client.create(s);
const cached = async () => Number(/^sidecarset_webhook_cached_sidecarsets (\d+)/m.exec(await metricsText(plane, webhook.url, webhook.caBundle))?.[1] ?? NaN);
for (let i = 0; i < 600 && (await cached()) < 1000; i++) await new Promise((r) => setTimeout(r, 100));
await createPods(plane, 'bench-100', 100, []); // serve some admissions with the full cache
const rss1000 = rssMiB(webhook.process.pid);

await plane.stop();

console.log(`\nPod CREATE through kube-apiserver, client-side ms; ${ROUNDS * PER_ROUND} pods each way, ${CONCURRENCY} in flight,`);
console.log('"without" = same run, interleaved, in a namespace the webhook configuration leaves out');
printTable(['SidecarSets', 'p50 without', 'p99 without', 'p50 with', 'p99 with', 'p50 added', 'p99 added'], latencyRows);
console.log('\nThe webhook call as kube-apiserver measures it (apiserver_admission_webhook_admission_duration_seconds; buckets 5/25/100 ms)');
console.log('and the webhook\'s own processing time (sidecarset_webhook_request_duration_seconds), ms');
printTable(['SidecarSets', 'calls', 'API server p99', 'calls <= 5 ms', 'webhook p50', 'webhook p99'], webhookRows);
console.log('\nIn-process injectPod, 10 SidecarSets (2 match), 2-container pod');
printTable(
  ['operation', 'pods/s', 'ratio to baseline'],
  [
    ['structuredClone(pod) (baseline)', fmt(admittedRate.baseline, 0), '1.00'],
    ['injectPod, SidecarSets as stored (hash annotations present)', fmt(admittedRate.inject, 0), fmt(admittedRate.inject / admittedRate.baseline)],
    ['injectPod, SidecarSets without hash annotations (hash computed)', fmt(rawRate.inject, 0), fmt(rawRate.inject / rawRate.baseline)],
  ],
);
console.log('\nWebhook resident memory');
printTable(['SidecarSets cached', 'RSS MiB'], [[100, fmt(rss100, 1)], [1000, fmt(rss1000, 1)]]);
