// Mirrors benchmark (`npm run bench:mirrors`, issue 10): one ConfigMap in kube-system, a SidecarSet
// mounting it as kube-system/NAME and the binding that allows it, on a real control plane with the
// real webhook and controller (as deployed: its ServiceAccount, NODE_OPTIONS) and kwok nodes.
// 1. 200 pods in 50 namespaces (BENCH_PODS, BENCH_POD_NAMESPACES), 16 CREATEs in flight (HTTP, not kubectl): per pod, the
//    time from its CREATE to a mirror existing in its namespace and to its scheduling gate lifted
//    (both seen through a watch), p50/p99; baseline in the same run: the same pods without the
//    SidecarSet's label, CREATE to scheduled (what a pod costs with no mirror at all).
// 2. One pod in each of 1,000 namespaces (BENCH_MIRRORS): the controller's RSS with that many mirrors.
// 3. The source updated: the time until every one of the 1,000 mirrors holds the new data.
// Prints figures; never fails on a time.
import { copyFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { ConfigMap, Pod } from '@sidecarset/api';
import { pathInformer, requestJson } from '@sidecarset/api';
import { deployedNodeOptions, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { fmt, percentile, printTable, rssMiB } from '../stats.ts';

const PODS = Number(process.env.BENCH_PODS ?? 200);
const POD_NAMESPACES = Number(process.env.BENCH_POD_NAMESPACES ?? 50);
const MIRRORS = Number(process.env.BENCH_MIRRORS ?? 1000);
const IN_FLIGHT = 16;
/** How long to wait for every mirror (and for every mirror updated); a loaded machine may need more. */
const WAIT_MS = Number(process.env.BENCH_MIRRORS_WAIT_S ?? 600) * 1000;
const GATE = 'sidecarset.dev/mirrors';
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function kubectl(plane: ControlPlane, args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}
const applyJson = (plane: ControlPlane, objects: unknown[]) => kubectl(plane, ['apply', '--server-side', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const pod = (namespace: string, name: string, mirrored: boolean): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, labels: { app: mirrored ? 'mirror-bench' : 'plain-bench' } },
  spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
});

/** Watches the mirrors and the bench pods; remembers when each was first seen in the state asked for. */
function watchers(plane: ControlPlane) {
  const mirrorSeen = new Map<string, number>(); // namespace -> first time a mirror was there
  const mirrorData = new Map<string, string>(); // namespace -> the mirror's data as last seen
  const mirrorDataSeen = new Map<string, number>(); // namespace -> when that data was first seen
  const scheduled = new Map<string, number>(); // pod key -> first time ungated and bound to a node
  const ungated = new Map<string, number>();
  const running = new Set<string>(); // pod keys kwok reported Running
  const mirrors = pathInformer<ConfigMap>(plane.kubeConfig, '/api/v1/configmaps', { labelSelector: 'sidecarset.dev/mirror=true' });
  mirrors.subscribe((e) => {
    const ns = e.object.metadata?.namespace ?? '';
    if (e.type === 'delete') return;
    if (!mirrorSeen.has(ns)) mirrorSeen.set(ns, performance.now());
    const data = e.object.data?.['config.yml'] ?? '';
    if (mirrorData.get(ns) !== data) mirrorDataSeen.set(ns, performance.now());
    mirrorData.set(ns, data);
  });
  const pods = pathInformer<Pod>(plane.kubeConfig, '/api/v1/pods', { labelSelector: 'app in (mirror-bench,plain-bench)' });
  pods.subscribe((e) => {
    const key = `${e.object.metadata?.namespace}/${e.object.metadata?.name}`;
    const gated = e.object.spec?.schedulingGates?.some((g) => g.name === GATE) ?? false;
    if (!gated && !ungated.has(key)) ungated.set(key, performance.now());
    if (e.object.spec?.nodeName && !scheduled.has(key)) scheduled.set(key, performance.now());
    if (e.object.status?.phase === 'Running') running.add(key);
  });
  mirrors.start();
  pods.start();
  return { mirrorSeen, mirrorData, mirrorDataSeen, scheduled, ungated, running, synced: () => Promise.all([mirrors.waitForSync(), pods.waitForSync()]), stop: () => Promise.all([mirrors.stop(), pods.stop()]) };
}

/** The controller's /metrics, from the port its log names. */
async function controllerMetrics(logs: string): Promise<string> {
  const port = /"port":(\d+)/.exec(logs.split('\n').find((l) => l.includes('health server listening')) ?? '')?.[1];
  return port ? (await fetch(`http://127.0.0.1:${port}/metrics`)).text() : '';
}

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const quantiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [fmt(percentile(sorted, 50), 0), fmt(percentile(sorted, 99), 0), fmt(sorted.at(-1) ?? NaN, 0)];
};

async function main(): Promise<void> {
  progress(`control plane with 10 kwok nodes; ${PODS} pods in ${POD_NAMESPACES} namespaces, then ${MIRRORS} mirrors; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const plane = await startControlPlane({ kwok: { nodes: 10 }, log: progress });
  try {
    const webhook = await startSidecarsetWebhook(plane);
    await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
    const controller = await startSidecarsetController(plane, { identity: 'bench', nodeOptions: deployedNodeOptions('controller.yaml', 'controller') });
    await applyJson(plane, [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench-config', namespace: 'kube-system' }, data: { 'config.yml': 'version: 1\n' } },
      {
        apiVersion: 'apps.kruise.io/v1alpha1',
        kind: 'SidecarSet',
        metadata: { name: 'mirror-bench' },
        spec: {
          selector: { matchLabels: { app: 'mirror-bench' } },
          updateStrategy: { type: 'NotUpdate' },
          containers: [{ name: 'agent', image: 'registry.example/agent:1.0', volumeMounts: [{ name: 'config', mountPath: '/etc/agent', readOnly: true }] }],
          volumes: [{ name: 'config', configMap: { name: 'kube-system/bench-config' } }],
        },
      },
      {
        apiVersion: 'sidecarset.alibabacloud.com/v1alpha1',
        kind: 'SidecarSetResourceBinding',
        metadata: { name: 'mirror-bench', namespace: 'kube-system' },
        spec: { subjects: [{ kind: 'SidecarSet', name: 'mirror-bench' }], resourceRefs: [{ kind: 'ConfigMap', name: 'bench-config' }] },
      },
    ]);
    const namespaces = Array.from({ length: Math.max(MIRRORS, POD_NAMESPACES) }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    progress(`creating ${namespaces.length} namespaces`);
    for (let i = 0; i < namespaces.length; i += 200) await applyJson(plane, namespaces.slice(i, i + 200).map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    const watch = watchers(plane);
    await watch.synced();
    // The webhook admits a pod only once its binding cache holds the binding: wait for a first pod.
    for (;;) {
      const probe = await plane.kubectl(['create', '-f', '-'], JSON.stringify(pod('default', 'probe', true)));
      if (probe.code === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const create = async (p: Pod, sent: Map<string, number>) => {
      const key = `${p.metadata?.namespace}/${p.metadata?.name}`;
      sent.set(key, performance.now());
      await requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces/${p.metadata?.namespace}/pods`, {}, p);
    };
    const plainSent = new Map<string, number>();
    const mirroredSent = new Map<string, number>();
    const spread = (prefix: string, mirrored: boolean) => Array.from({ length: PODS }, (_, i) => pod(namespaces[i % POD_NAMESPACES]!, `${prefix}-${i}`, mirrored));
    progress(`${PODS} pods without mirrors (baseline)`);
    await inParallel(spread('plain', false), IN_FLIGHT, (p) => create(p, plainSent));
    await until('baseline pods scheduled', () => [...plainSent.keys()].every((k) => watch.scheduled.has(k)), 300_000);
    progress(`${PODS} pods with a mirror`);
    await inParallel(spread('mirrored', true), IN_FLIGHT, (p) => create(p, mirroredSent));
    await until('mirrored pods ungated and scheduled', () => [...mirroredSent.keys()].every((k) => watch.scheduled.has(k)), 300_000);

    const toMirror = [...mirroredSent].map(([key, at]) => Math.max(0, watch.mirrorSeen.get(key.split('/')[0]!)! - at));
    const firstSent = new Map<string, number>();
    for (const [key, at] of mirroredSent) {
      const ns = key.split('/')[0]!;
      firstSent.set(ns, Math.min(firstSent.get(ns) ?? Infinity, at));
    }
    const toMirrorFirst = [...firstSent].map(([ns, at]) => watch.mirrorSeen.get(ns)! - at);
    const toUngated = [...mirroredSent].map(([key, at]) => watch.ungated.get(key)! - at);
    const toScheduled = [...mirroredSent].map(([key, at]) => watch.scheduled.get(key)! - at);
    const baseline = [...plainSent].map(([key, at]) => watch.scheduled.get(key)! - at);
    console.log(`\n${PODS} pods in ${POD_NAMESPACES} namespaces, ${IN_FLIGHT} CREATEs in flight (ms from CREATE sent)`);
    printTable(['measure', 'p50', 'p99', 'max'], [
      ['mirror exists in the pod namespace', ...quantiles(toMirror)],
      [`  for the first pod of each of the ${firstSent.size} namespaces`, ...quantiles(toMirrorFirst)],
      ['scheduling gate lifted', ...quantiles(toUngated)],
      ['scheduled (bound to a node)', ...quantiles(toScheduled)],
      ['baseline: pod without mirror scheduled', ...quantiles(baseline)],
    ]);

    if (MIRRORS > POD_NAMESPACES) {
      progress(`one pod in each of ${MIRRORS - POD_NAMESPACES} more namespaces`);
      await inParallel(namespaces.slice(POD_NAMESPACES, MIRRORS), IN_FLIGHT, (ns) => create(pod(ns, 'one', true), mirroredSent));
    }
    const allMirrored = () => namespaces.slice(0, MIRRORS).every((ns) => watch.mirrorSeen.has(ns));
    await until(`${MIRRORS} mirrors`, allMirrored, WAIT_MS).catch((error: unknown) => {
      const log = readFileSync(controller.process.logFile, 'utf8');
      const seen = namespaces.slice(0, MIRRORS).filter((ns) => watch.mirrorSeen.has(ns)).length;
      console.log(`\n${seen} of ${MIRRORS} mirrors after ${WAIT_MS / 1000} s; controller ${controller.process.running() ? 'running' : 'EXITED'}${log.includes('lost the leader Lease') ? ', LOST its leader Lease' : ''}`);
      console.log(log.split('\n').filter((line) => /"level":(40|50|60)/.test(line)).slice(-15).join('\n'));
      throw error;
    });
    // The update is measured on a settled cluster: every pod Running (kwok, the scheduler and the
    // controller's gate lifting otherwise share the two cores with the mirror writes), then 5 s more.
    await until('every pod Running', () => [...mirroredSent.keys()].every((k) => watch.running.has(k)), WAIT_MS);
    await new Promise((r) => setTimeout(r, 5000));
    progress(`pods Running; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const rss = rssMiB(controller.process.pid);
    progress('updating the source');
    const updatedAt = performance.now();
    await kubectl(plane, ['patch', 'configmap', 'bench-config', '-n', 'kube-system', '--type=merge', '-p', JSON.stringify({ data: { 'config.yml': 'version: 2\n' } })]);
    await until(`every mirror updated`, () => namespaces.slice(0, MIRRORS).every((ns) => watch.mirrorData.get(ns) === 'version: 2\n'), WAIT_MS);
    const spreadMs = performance.now() - updatedAt;
    const reached = namespaces.slice(0, MIRRORS).map((ns) => watch.mirrorDataSeen.get(ns)! - updatedAt).sort((a, b) => a - b);
    console.log(`\n${MIRRORS} mirrors of one source`);
    printTable(['measure', 'value'], [
      ['controller RSS (MiB)', fmt(rssMiB(controller.process.pid), 1)],
      ['controller RSS before the update (MiB)', fmt(rss, 1)],
      [`source update -> all ${MIRRORS} mirrors updated (ms)`, fmt(spreadMs, 0)],
      ['per mirror (ms)', fmt(spreadMs / MIRRORS, 2)],
      ['source update -> first / median mirror updated (ms)', `${fmt(reached[0] ?? NaN, 0)} / ${fmt(percentile(reached, 50), 0)}`],
    ]);
    // The Lease held throughout (the full run of an earlier version lost it at 807 mirrors).
    const lost = readFileSync(controller.process.logFile, 'utf8').includes('lost the leader Lease');
    console.log(`controller ${controller.process.running() ? 'still running' : 'EXITED'}, ${lost ? 'LOST its leader Lease during the run' : 'kept its leader Lease throughout'}; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const metrics = await controllerMetrics(readFileSync(controller.process.logFile, 'utf8'));
    console.log('\ncontroller work queues');
    printTable(['queue', 'success', 'requeue', 'requeue_after', 'error', 'retries'], ['mirrors', 'mirror-gates'].map((name) => [
      name,
      ...['success', 'requeue', 'requeue_after', 'error'].map((result) => metricValue(metrics, 'controller_runtime_reconcile_total', `controller="${name}",result="${result}"`)),
      metricValue(metrics, 'workqueue_retries_total', `name="${name}"`),
    ]));
    printTable(['mirror writes', 'count'], ['mirror-ConfigMap', 'binding-status', 'binding-finalizer', 'pod-scheduling-gate'].map((kind) => [kind, metricValue(metrics, 'sidecarset_mirror_writes_total', `kind="${kind}"`)]));
    await watch.stop();
  } finally {
    // The controller's log outlives the control plane's directory, for a look after the run.
    for (const p of plane.processes.filter((p) => p.name.startsWith('sidecarset-controller'))) copyFileSync(p.logFile, `/tmp/bench-mirrors-${p.name}.log`);
    await plane.stop();
  }
}

await main();
