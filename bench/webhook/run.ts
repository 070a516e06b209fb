// Admission benchmark (`npm run bench:webhook`): latency of pod CREATE through a real API server,
// first with no webhook registered (the baseline), then through the real webhook with 1, 10 and 100
// SidecarSets; in-process injectPod throughput against a structuredClone baseline; webhook RSS with
// 1,000 SidecarSets cached. Prints tables; never fails on a time.
import { requestJson, SidecarSetClient, type Pod } from '@sidecarset/api';
import { injectPod } from '@sidecarset/core';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { fmt, percentile, printTable, rssMiB } from '../stats.ts';
import { benchPodLabels, sidecarSetMix } from './sidecarSetMix.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = 40;
const SCENARIOS = [
  { sidecarSets: 1, matching: 1 },
  { sidecarSets: 10, matching: 2 },
  { sidecarSets: 100, matching: 5 },
];

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function benchPod(name: string, matching: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: benchPodLabels(matching) },
    spec: {
      containers: [
        { name: 'app', image: 'registry.example/app:1.0', env: [{ name: 'TZ', value: 'UTC' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        { name: 'helper', image: 'registry.example/helper:1.0' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

async function createPods(plane: ControlPlane, namespace: string, matching: number, count: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, {}, benchPod(`p-${i}`, matching));
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

async function measureScenario(plane: ControlPlane, label: string, matching: number) {
  const namespace = `bench-${label}`;
  await requestJson(plane.kubeConfig, 'POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await waitForDefaultServiceAccount(plane, namespace);
  await createPods(plane, namespace, matching, WARMUP);
  await requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces`, {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${namespace}-m` } });
  await waitForDefaultServiceAccount(plane, `${namespace}-m`);
  const started = performance.now();
  const latencies = await createPods(plane, `${namespace}-m`, matching, REQUESTS);
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate: REQUESTS / seconds };
}

async function waitForDefaultServiceAccount(plane: ControlPlane, namespace: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`).then(() => true, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no default ServiceAccount in ${namespace}`);
}

/** Waits until a dry-run pod comes back injected by the expected SidecarSets (the webhook's cache caught up). */
async function waitInjected(plane: ControlPlane, matching: number, logs: () => string): Promise<void> {
  let list: string[] = [];
  for (let i = 0; i < 300; i++) {
    const pod = await requestJson<Pod>(plane.kubeConfig, 'POST', '/api/v1/namespaces/default/pods', { dryRun: 'All' }, benchPod('probe', matching));
    list = pod.metadata?.annotations?.['kruise.io/sidecarset-injected-list']?.split(',') ?? [];
    if (list.length === matching) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the webhook cache never caught up: injected ${list.join(',')}, expected ${matching}\n${logs().split('\n').slice(-5).join('\n')}`);
}

async function cachedCount(url: string, ca: string): Promise<number> {
  const { request } = await import('node:https');
  const text = await new Promise<string>((resolve, reject) => {
    request(`${url}/metrics`, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
  return Number(/^sidecarset_webhook_cached_sidecarsets (\d+)/m.exec(text)?.[1] ?? NaN);
}

function injectThroughput() {
  const sidecarSets = sidecarSetMix(10, 2);
  const pod = { ...benchPod('inproc', 2), metadata: { ...benchPod('inproc', 2).metadata, namespace: 'default' } };
  const context = { namespace: 'default', namespaceLabels: { 'kubernetes.io/metadata.name': 'default' }, revisions: [], now: '2026-01-01T00:00:00Z' };
  const run = (fn: () => unknown) => {
    for (let i = 0; i < 2000; i++) fn(); // warm the JIT
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < 2000) {
      for (let i = 0; i < 100; i++) fn();
      count += 100;
    }
    return count / ((performance.now() - started) / 1000);
  };
  const baseline = run(() => structuredClone(pod));
  const inject = run(() => injectPod(pod, sidecarSets, context));
  const result = injectPod(pod, sidecarSets, context);
  if (result.injected.length !== 2) throw new Error(`expected 2 SidecarSets injected, got ${result.injected.join(',')}`);
  return { baseline, inject };
}

progress('in-process injectPod throughput');
const throughput = injectThroughput();

progress('starting the control plane (no scheduler, no kwok: pods stay Pending, which admission does not care about)');
const plane = await startControlPlane({ scheduler: false, log: progress });
const rows: (string | number)[][] = [];
progress('baseline: no webhook registered');
const baseline = await measureScenario(plane, 'baseline', 0);
rows.push(['no webhook (baseline)', 0, fmt(baseline.p50), fmt(baseline.p99), '-', fmt(baseline.rate, 0)]);

const webhook = await startSidecarsetWebhook(plane);
await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
const client = new SidecarSetClient(plane.kubeConfig);
let created = 0;
for (const scenario of SCENARIOS) {
  const mix = sidecarSetMix(scenario.sidecarSets, scenario.matching);
  for (const s of mix.slice(created)) await client.create(s);
  created = mix.length;
  await waitInjected(plane, scenario.matching, webhook.logs);
  progress(`${scenario.sidecarSets} SidecarSets (${scenario.matching} match)`);
  const r = await measureScenario(plane, `s${scenario.sidecarSets}`, scenario.matching);
  rows.push([`${scenario.sidecarSets} SidecarSets, ${scenario.matching} match`, scenario.matching, fmt(r.p50), fmt(r.p99), fmt(r.p99 - baseline.p99), fmt(r.rate, 0)]);
}

progress('filling the webhook cache to 1,000 SidecarSets');
const rssBefore = rssMiB(webhook.process.pid);
for (const s of sidecarSetMix(1000, 5).slice(created)) await client.create(s);
for (let i = 0; i < 600 && (await cachedCount(webhook.url, webhook.caBundle)) < 1000; i++) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 2000));
const rss1000 = rssMiB(webhook.process.pid);

await webhook.stop();
await plane.stop();

console.log(`\nPod CREATE through kube-apiserver, ${REQUESTS} requests per row, ${CONCURRENCY} in flight (ms)`);
printTable(['scenario', 'injected', 'p50', 'p99', 'p99 added vs baseline', 'pods/s'], rows);
console.log('\nIn-process injectPod, 10 SidecarSets (2 match), 2-container pod');
printTable(
  ['operation', 'pods/s', 'ratio to baseline'],
  [
    ['structuredClone(pod) (baseline)', fmt(throughput.baseline, 0), '1.00'],
    ['injectPod', fmt(throughput.inject, 0), fmt(throughput.inject / throughput.baseline)],
  ],
);
console.log('\nWebhook resident memory');
printTable(['SidecarSets cached', 'RSS MiB'], [[created, fmt(rssBefore, 1)], [1000, fmt(rss1000, 1)]]);
