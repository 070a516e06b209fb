// Admission benchmark (`npm run bench:webhook`), ours side by side with the real OpenKruise v1.9.0
// (tools/kruise), each on a control plane of its own from the same build, in one run: pod CREATE
// latency through kube-apiserver with the webhook in the path, against a baseline measured on the
// same plane and interleaved with it (pods in a namespace the webhook configurations leave out), the
// two sides taking turns round by round; for 1, 10 and 100 SidecarSets of the same mix, for 100 at
// 1, 2, 4 and 8 requests in flight, and for 1,000; dry-run CREATEs (nothing is stored, so nothing but
// admission reacts to the pods), plus one persisted run. The API server's own measure of each webhook
// call, the CPU each process spends per pod (each webhook's per admission is the figure to compare:
// latency on 2 shared cores is noisy), and each webhook process's RSS with 100 and 1,000 SidecarSets.
// Every side-by-side table ends with the ratio ours / OpenKruise. In process: injectPod throughput
// against structuredClone. Runs in tools/kruise/netns.sh (OpenKruise's webhook binds every
// interface). Prints tables; never fails on a time.
import { availableParallelism } from 'node:os';
import { requestJson, SidecarSetClient, type Pod, type SidecarSet } from '@sidecarset/api';
import { admitSidecarSet, injectPod } from '@sidecarset/core';
import { type ControlPlane } from '@sidecarset/envtest';
import { quantileMs, shareAtOrBelow } from '../histogram.ts';
import { fmt, percentile, printTable, ratio, rssMiB } from '../stats.ts';
import { admissionRounds, benchPod, busyCores, createPods, webhookCpuPerAdmission, WEBHOOK_PROCESS, type RoundsResult } from './admissionRounds.ts';
import { startOpenKruiseSide, startOurSide, type AdmissionSide } from './admissionSides.ts';
import { matchingCount, sidecarSetMix } from './sidecarSetMix.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SWEEP = [1, 2, 4, 8];
/** Left out of both sides' pod webhook: the baseline. */
const UNHOOKED_NAMESPACE = 'sidecarset-system';
const TARGETS = { cpu: 0.5, p50: 0.7 };
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function ensureNamespace(plane: ControlPlane, name: string): Promise<void> {
  await requestJson(plane.kubeConfig, 'POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
  for (let i = 0; i < 200; i++) {
    if (await requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no default ServiceAccount in ${name}`);
}

/** A SidecarSet created after the others selects only a probe pod: injected once the webhook's cache has them all. */
const sentinel = (serial: number): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: `bench-sentinel-${serial}` },
  spec: { selector: { matchLabels: { 'bench-sentinel': String(serial) } }, containers: [{ name: `sentinel-${serial}`, image: 'registry.example/sentinel:1.0' }] },
});

/** Creates the mix's SidecarSets from `from` up to `count` (and a sentinel), then waits until the webhook injects the sentinel. */
async function growMix(side: AdmissionSide, from: number, count: number): Promise<void> {
  const client = new SidecarSetClient(side.plane.kubeConfig);
  const pending = sidecarSetMix(count).slice(from);
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let s = pending.shift(); s; s = pending.shift()) await client.create(s);
  }));
  await client.create(sentinel(count));
  const probe: Pod = { ...benchPod('probe'), metadata: { name: 'probe', labels: { 'bench-sentinel': String(count) } } };
  let list: string[] = [];
  for (let i = 0; i < 600; i++) {
    const pod = await requestJson<Pod>(side.plane.kubeConfig, 'POST', '/api/v1/namespaces/default/pods', { dryRun: 'All' }, probe);
    list = pod.metadata?.annotations?.['kruise.io/sidecarset-injected-list']?.split(',') ?? [];
    if (list.includes(sentinel(count).metadata!.name!)) {
      const injected = (await requestJson<Pod>(side.plane.kubeConfig, 'POST', '/api/v1/namespaces/default/pods', { dryRun: 'All' }, benchPod('probe'))).metadata?.annotations?.['kruise.io/sidecarset-injected-list']?.split(',') ?? [];
      if (injected.length !== matchingCount(count)) throw new Error(`${side.name}: a bench pod got ${injected.join(',')}, expected ${matchingCount(count)} SidecarSets`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${side.name}: the webhook cache never caught up (the probe got ${list.join(',') || 'nothing'})\n${side.logs()}`);
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

progress('starting both control planes (no scheduler, no kwok: pods stay Pending, which admission does not care about)');
/** BENCH_SIDES=ours runs our side only, for quick experiments (a profile: BENCH_WEBHOOK_NODE_OPTIONS); the side-by-side figures are then '-'. */
const withKruise = (process.env.BENCH_SIDES ?? 'ours,OpenKruise').split(',').includes('OpenKruise');
const sides = await Promise.all([startOurSide(progress, process.env.BENCH_WEBHOOK_NODE_OPTIONS?.split(' ').filter(Boolean)), ...(withKruise ? [startOpenKruiseSide(progress)] : [])]);
const ours = sides[0]!;
const hookedNamespace = (count: number) => `bench-${count}`;
for (const side of sides) for (const namespace of [UNHOOKED_NAMESPACE, ...[1, 10, 100, 1000].map(hookedNamespace)]) await ensureNamespace(side.plane, namespace);

interface Run {
  label: string;
  results: RoundsResult[]; // per side, in the order of `sides`
}
const runs: Run[] = [];
const measure = async (label: string, sidecarSets: number, concurrency: number, persisted = false) => {
  progress(`${label}: ${ROUNDS} rounds of ${PER_ROUND} pods, ${concurrency} in flight, without then with the webhook, ours then OpenKruise${persisted ? ' (persisted)' : ''}`);
  const options = { hookedNamespace: hookedNamespace(sidecarSets), unhookedNamespace: UNHOOKED_NAMESPACE, rounds: ROUNDS, perRound: PER_ROUND, concurrency, persisted };
  runs.push({ label, results: await admissionRounds(sides, options) });
};
const warmUp = (sidecarSets: number) => Promise.all(sides.map((side) => createPods(side.plane, hookedNamespace(sidecarSets), 40, CONCURRENCY, [], true)));

let created = 0;
for (const count of [1, 10, 100]) {
  await Promise.all(sides.map((side) => growMix(side, created, count)));
  created = count;
  await warmUp(count);
  await measure(`${count} (${matchingCount(count)} match), ${CONCURRENCY}`, count, CONCURRENCY);
}
for (const concurrency of SWEEP) if (concurrency !== CONCURRENCY) await measure(`100 (5 match), ${concurrency}`, 100, concurrency);
const rss100 = sides.map((side) => rssMiB(side.webhook.pid));

progress('filling both webhooks\' caches to 1,000 SidecarSets');
await Promise.all(sides.map((side) => growMix(side, created, 1000)));
await warmUp(1000);
await measure(`1000 (5 match), ${CONCURRENCY}`, 1000, CONCURRENCY);
const rss1000 = sides.map((side) => rssMiB(side.webhook.pid));
await measure(`1000 (5 match), ${CONCURRENCY}, persisted`, 1000, CONCURRENCY, true);
const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(', ');

await Promise.all(sides.map((side) => side.plane.stop()));

const added = (r: RoundsResult, p: number) => percentile(r.with.latenciesMs, p) - percentile(r.without.latenciesMs, p);
console.log(`\nPod CREATE through kube-apiserver, client-side ms; ${ROUNDS * PER_ROUND} pods each way per side; dry-run (?dryRun=All) unless "persisted".`);
console.log(`"without" = same plane, interleaved, in a namespace both webhook configurations leave out. ${availableParallelism()} cores; load average at the end ${load}.`);
console.log(`Both sides run in the same process, each on its own control plane (same binaries), taking turns round by round. OpenKruise: kruise-manager v1.9.0, --v=2, its controllers running too, WorkloadSpread and PodUnavailableBudget gates off (openKruiseArgs.ts says why).`);
printTable(
  ['SidecarSets, in flight', 'webhook', 'p50 without', 'p99 without', 'p50 with', 'p99 with', 'p50 added', 'p99 added', 'webhook calls <= 5 ms (API server)', 'cores busy without / with'],
  runs.flatMap(({ label, results }) =>
    results.map((r, i) => [label, sides[i]!.name, fmt(percentile(r.without.latenciesMs, 50)), fmt(percentile(r.without.latenciesMs, 99)), fmt(percentile(r.with.latenciesMs, 50)), fmt(percentile(r.with.latenciesMs, 99)), fmt(added(r, 50)), fmt(added(r, 99)), `${fmt(100 * shareAtOrBelow(r.apiServer, 5), 1)}%`, `${fmt(busyCores(r.without), 2)} / ${fmt(busyCores(r.with), 2)}`]),
  ),
);

console.log(`\nSide by side: ours / OpenKruise (targets: webhook CPU per admission <= ${TARGETS.cpu}, added p50 <= ${TARGETS.p50})`);
console.log('webhook CPU per admission = CPU ms the webhook process used during the rounds through it, less its idle rate during the baseline rounds, per pod');
printTable(
  ['SidecarSets, in flight', 'CPU ms / admission ours', 'OpenKruise', 'ratio', 'p50 added ms ours', 'OpenKruise', 'ratio', 'p99 added ms ours', 'OpenKruise', 'ratio'],
  runs.map(({ label, results: [a, b] }) => {
    const [cpuA, cpuB] = [webhookCpuPerAdmission(a!), b ? webhookCpuPerAdmission(b) : NaN];
    const [p50A, p50B, p99A, p99B] = [added(a!, 50), b ? added(b, 50) : NaN, added(a!, 99), b ? added(b, 99) : NaN];
    return [label, fmt(cpuA, 3), fmt(cpuB, 3), ratio(cpuA, cpuB), fmt(p50A), fmt(p50B), ratio(p50A, p50B), fmt(p99A), fmt(p99B), ratio(p99A, p99B)];
  }),
);

console.log('\nCPU ms per pod CREATE, without / with the webhook: what each process spends on one pod');
const processNames = ['kube-apiserver', 'etcd', 'kube-controller-manager', WEBHOOK_PROCESS, 'bench client'];
const cpuPerPod = (r: RoundsResult, name: string) => `${fmt((r.without.cpuMs.get(name) ?? 0) / r.without.latenciesMs.length, 2)} / ${fmt((r.with.cpuMs.get(name) ?? 0) / r.with.latenciesMs.length, 2)}`;
printTable(['SidecarSets, in flight', 'webhook', ...processNames], runs.flatMap(({ label, results }) => results.map((r, i) => [label, sides[i]!.name, ...processNames.map((name) => cpuPerPod(r, name))])));

console.log('\nThe webhook call as kube-apiserver measures it (apiserver_admission_webhook_admission_duration_seconds; buckets 5/25/100 ms)');
console.log("and our webhook's own processing time (sidecarset_webhook_request_duration_seconds), ms");
printTable(
  ['SidecarSets, in flight', 'webhook', 'calls', 'API server p99', 'own p50', 'own p99'],
  runs.flatMap(({ label, results }) =>
    results.map((r, i) => [label, sides[i]!.name, r.apiServer.count, `<= ${fmt(quantileMs(r.apiServer, 0.99), 0)}`, r.webhook ? `<= ${fmt(quantileMs(r.webhook, 0.5), 1)}` : '-', r.webhook ? `<= ${fmt(quantileMs(r.webhook, 0.99), 1)}` : '-']),
  ),
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

console.log(`\nResident memory of the webhook process (OpenKruise's kruise-manager also runs its controllers and caches; no pods stored yet at these points)`);
printTable(
  ['SidecarSets cached', `${ours.name} MiB`, 'OpenKruise MiB', 'ratio'],
  [
    [100, fmt(rss100[0]!, 1), fmt(rss100[1] ?? NaN, 1), ratio(rss100[0]!, rss100[1] ?? NaN)],
    [1000, fmt(rss1000[0]!, 1), fmt(rss1000[1] ?? NaN, 1), ratio(rss1000[0]!, rss1000[1] ?? NaN)],
  ],
);
