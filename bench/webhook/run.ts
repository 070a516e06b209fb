// Admission benchmark (`npm run bench:webhook`). Through a real kube-apiserver: pod CREATE latency
// with the real webhook in the path, against a baseline measured in the same run and interleaved
// with it (pods in a namespace the webhook configuration leaves out), for 1, 10 and 100 SidecarSets,
// and for 100 SidecarSets at 1, 2, 4 and 8 requests in flight; the API server's own measure of the
// webhook call; the webhook's processing time; the CPU each process spends per pod, which shows when
// the machine, not the webhook, sets the latency. In process: injectPod throughput against
// structuredClone. Webhook RSS with 1,000 SidecarSets cached. Prints tables; never fails on a time.
import { availableParallelism } from 'node:os';
import { requestJson, SidecarSetClient, type Pod } from '@sidecarset/api';
import { admitSidecarSet, injectPod } from '@sidecarset/core';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { quantileMs, shareAtOrBelow } from '../histogram.ts';
import { fmt, percentile, printTable, rssMiB } from '../stats.ts';
import { admissionRounds, benchPod, busyCores, createPods, metricsText, type RoundsResult } from './admissionRounds.ts';
import { matchingCount, sidecarSetMix } from './sidecarSetMix.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SWEEP = [1, 2, 4, 8];
/** Left out by deploy/manifests/webhook-configurations.yaml's namespaceSelector: no webhook call. */
const UNHOOKED_NAMESPACE = 'sidecarset-system';
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function ensureNamespace(plane: ControlPlane, name: string): Promise<void> {
  await requestJson(plane.kubeConfig, 'POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
  for (let i = 0; i < 200; i++) {
    if (await requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no default ServiceAccount in ${name}`);
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
const webhook = await startSidecarsetWebhook(plane, process.env.BENCH_WEBHOOK_NODE_OPTIONS === undefined ? {} : { nodeOptions: process.env.BENCH_WEBHOOK_NODE_OPTIONS.split(' ').filter(Boolean) });
await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
await ensureNamespace(plane, UNHOOKED_NAMESPACE);
const client = new SidecarSetClient(plane.kubeConfig);

const latencyRow = (label: string | number, r: RoundsResult) => {
  const [p50a, p99a, p50b, p99b] = [percentile(r.without.latenciesMs, 50), percentile(r.without.latenciesMs, 99), percentile(r.with.latenciesMs, 50), percentile(r.with.latenciesMs, 99)];
  return [label, fmt(p50a), fmt(p99a), fmt(p50b), fmt(p99b), fmt(p50b - p50a), fmt(p99b - p99a), `${fmt(100 * shareAtOrBelow(r.apiServer, 5), 1)}%`, `${fmt(busyCores(r.without), 2)} / ${fmt(busyCores(r.with), 2)}`];
};
const cpuPerPod = (r: RoundsResult, name: string) => `${fmt((r.without.cpuMs.get(name) ?? 0) / r.without.latenciesMs.length, 2)} / ${fmt((r.with.cpuMs.get(name) ?? 0) / r.with.latenciesMs.length, 2)}`;
const byCount: [string, RoundsResult][] = [];
let created = 0;
for (const count of [1, 10, 100]) {
  for (const s of sidecarSetMix(count).slice(created)) await client.create(s);
  created = count;
  await waitInjected(plane, matchingCount(count));
  const hooked = `bench-${count}`;
  await ensureNamespace(plane, hooked);
  await createPods(plane, hooked, 40, CONCURRENCY); // warm-up
  progress(`${count} SidecarSets (${matchingCount(count)} match): ${ROUNDS} rounds of ${PER_ROUND} pods without, then with the webhook`);
  byCount.push([`${count} (${matchingCount(count)} match)`, await admissionRounds(plane, webhook, { hookedNamespace: hooked, unhookedNamespace: UNHOOKED_NAMESPACE, rounds: ROUNDS, perRound: PER_ROUND, concurrency: CONCURRENCY })]);
}
const bySweep: [number, RoundsResult][] = [];
for (const concurrency of SWEEP) {
  progress(`100 SidecarSets, ${concurrency} in flight`);
  bySweep.push([concurrency, await admissionRounds(plane, webhook, { hookedNamespace: 'bench-100', unhookedNamespace: UNHOOKED_NAMESPACE, rounds: ROUNDS, perRound: PER_ROUND, concurrency })]);
}

progress('filling the webhook cache to 1,000 SidecarSets');
const rss100 = rssMiB(webhook.process.pid);
for (const s of sidecarSetMix(1000).slice(created)) await client.create(s);
const cached = async () => Number(/^sidecarset_webhook_cached_sidecarsets (\d+)/m.exec(await metricsText(plane, webhook))?.[1] ?? NaN);
for (let i = 0; i < 600 && (await cached()) < 1000; i++) await new Promise((r) => setTimeout(r, 100));
await createPods(plane, 'bench-100', 100, CONCURRENCY); // serve some admissions with the full cache
const rss1000 = rssMiB(webhook.process.pid);

await webhook.process.stop(30_000); // time to write a --cpu-prof profile, if asked for
await plane.stop();

const latencyHeader = ['p50 without', 'p99 without', 'p50 with', 'p99 with', 'p50 added', 'p99 added', 'webhook calls <= 5 ms (API server)', 'cores busy without / with'];
console.log(`\nPod CREATE through kube-apiserver, client-side ms; ${ROUNDS * PER_ROUND} pods each way, ${CONCURRENCY} in flight;`);
console.log('"without" = same run, interleaved, in a namespace the webhook configuration leaves out. This machine has', availableParallelism(), 'cores.');
printTable(['SidecarSets', ...latencyHeader], byCount.map(([label, r]) => latencyRow(label, r)));
console.log(`\nThe same for 100 SidecarSets (5 match) by requests in flight`);
printTable(['in flight', ...latencyHeader], bySweep.map(([concurrency, r]) => latencyRow(concurrency, r)));
const everyRun: [string, RoundsResult][] = [...byCount.map(([label, r]) => [`${label}, ${CONCURRENCY}`, r] as [string, RoundsResult]), ...bySweep.map(([c, r]) => [`100, ${c}`, r] as [string, RoundsResult])];
console.log('\nCPU ms per pod CREATE, without / with the webhook: what each process spends on one pod');
const processNames = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'sidecarset-webhook', 'bench client'];
printTable(['SidecarSets, in flight', ...processNames], everyRun.map(([label, r]) => [label, ...processNames.map((name) => cpuPerPod(r, name))]));
console.log('\nThe webhook call as kube-apiserver measures it (apiserver_admission_webhook_admission_duration_seconds; buckets 5/25/100 ms)');
console.log("and the webhook's own processing time (sidecarset_webhook_request_duration_seconds), ms");
printTable(
  ['SidecarSets, in flight', 'calls', 'API server p99', 'webhook p50', 'webhook p99'],
  everyRun.map(([label, r]) => [label, r.apiServer.count, `<= ${fmt(quantileMs(r.apiServer, 0.99), 0)}`, `<= ${fmt(quantileMs(r.webhook, 0.5), 1)}`, `<= ${fmt(quantileMs(r.webhook, 0.99), 1)}`]),
);
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
