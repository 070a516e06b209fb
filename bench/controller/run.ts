// Controller benchmark (`npm run bench:controller`): N pods on kwok nodes injected by the real
// webhook, then one image change at maxUnavailable 10% rolled out by the real controller binary.
// Prints time to converge, API writes per upgraded pod, controller RSS, and the time of one
// reconcile of the whole SidecarSet, for 1,000 and 5,000 pods (BENCH_SIZES), so the growth shows.
// Polls cheap signals and lists the pods only to confirm. Never fails on a time.
import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api';
import { reconcileSidecarSet } from '@sidecarset/controller';
import { admitSidecarSet, planRollout, rolloutPodView } from '@sidecarset/core';
import { deployedNodeOptions, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { histogramDelta, quantileMs, readHistogram } from '../histogram.ts';
import { fmt, printTable, rssMiB } from '../stats.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);
/** As deployed (deploy/manifests/controller.yaml's NODE_OPTIONS) unless BENCH_CONTROLLER_NODE_OPTIONS says otherwise. */
const NODE_OPTIONS = process.env.BENCH_CONTROLLER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? deployedNodeOptions('controller.yaml', 'controller');
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const IMAGE_V1 = 'registry.example/logger:1.0';
const IMAGE_V2 = 'registry.example/logger:2.0';

async function kubectlJson<T>(plane: ControlPlane, ...args: string[]): Promise<T> {
  const { code, stdout, stderr } = await plane.kubectl([...args, '-o', 'json']);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return JSON.parse(stdout) as T;
}

const sidecarReadyOn = (pods: Pod[], image: string) =>
  pods.filter((p) => p.status?.containerStatuses?.some((s) => s.name === 'logger' && s.image === image && s.ready) && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** The controller's /metrics, from the port its first log lines name. */
function metricsReader(logs: string): () => Promise<string> {
  const line = logs.split('\n').find((l) => l.includes('health server listening')) ?? '';
  const port = /"port":(\d+)/.exec(line)?.[1];
  if (!port) throw new Error('the controller did not log its health port');
  return async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** Median of 10 whole reconciles against a writer that records nothing. */
async function timeReconciles(sidecarSet: SidecarSet, pods: Pod[]): Promise<number> {
  const noWrite = async () => {};
  const writer = { patchPod: noWrite, setPodCondition: noWrite, updateSidecarSetStatus: noWrite, createRevision: async (r: ControllerRevision) => r, deleteRevision: noWrite };
  const deps = { sidecarSet: () => sidecarSet, podsOf: () => pods, revisions: () => [], writer, events: { record: async () => ({ action: 'failed' as const, error: 'not recorded' }) }, revisionNamespace: 'sidecarset-system', now: () => new Date(), blockedAfterMs: 60_000, resyncWhileRollingMs: 5_000 };
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await reconcileSidecarSet(sidecarSet.metadata!.name!, deps);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[5]!;
}

const listPods = async (plane: ControlPlane): Promise<Pod[]> => (await kubectlJson<{ items: Pod[] }>(plane, 'get', 'pods', '-n', 'bench')).items;

/**
 * Polls a cheap signal (one object) every second and, once it says done, confirms from every pod: a
 * list of thousands of pods each second would make the bench itself the API server's main load.
 */
const waitForPods = (plane: ControlPlane, what: string, cheap: () => Promise<boolean>, confirm: (pods: Pod[]) => boolean, timeoutMs: number) =>
  waitFor(what, async () => (await cheap()) && confirm(await listPods(plane)), timeoutMs);

async function runSize(pods: number) {
  progress(`--- ${pods} pods: control plane with 10 kwok nodes`);
  const plane = await startControlPlane({ kwok: { nodes: 10 }, log: progress });
  try {
    const webhook = await startSidecarsetWebhook(plane);
    await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
    const controller = await startSidecarsetController(plane, { identity: 'bench', nodeOptions: NODE_OPTIONS });
    const controllerMetrics = metricsReader(controller.logs());
    const sidecarSet: SidecarSet = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: 'logger' },
      spec: {
        selector: { matchLabels: { app: 'bench' } },
        updateStrategy: { type: 'RollingUpdate', maxUnavailable: '10%' },
        containers: [{ name: 'logger', image: IMAGE_V1, volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }] }],
        volumes: [{ name: 'logs', emptyDir: {} }],
      },
    };
    await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    await plane.kubectl(['create', 'namespace', 'bench']);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bench', namespace: 'bench' },
      spec: {
        replicas: pods,
        selector: { matchLabels: { app: 'bench' } },
        template: { metadata: { labels: { app: 'bench' }, annotations: { 'sidecarset.dev/kwok-restart-delay': '1s' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } },
      },
    };
    const createdAt = Date.now();
    await plane.kubectl(['apply', '-f', '-'], JSON.stringify(deployment));
    const deploymentReady = async () => (await kubectlJson<{ status?: { readyReplicas?: number } }>(plane, 'get', 'deployment', 'bench', '-n', 'bench')).status?.readyReplicas === pods;
    await waitForPods(plane, `${pods} ready pods with the v1 sidecar`, deploymentReady, (list) => sidecarReadyOn(list, IMAGE_V1) === pods, 1_800_000);
    progress(`${pods} pods ready in ${((Date.now() - createdAt) / 1000).toFixed(0)} s`);
    const statusSaysDone = async () => (await kubectlJson<SidecarSet>(plane, 'get', 'sidecarset', 'logger')).status?.updatedReadyPods === pods;
    await waitFor('status: all matched', statusSaysDone, 300_000).catch(async (error: Error) => {
      const status = (await kubectlJson<SidecarSet>(plane, 'get', 'sidecarset', 'logger')).status;
      throw new Error(`${error.message}: status ${JSON.stringify(status)}; controller running: ${controller.process.running()}\n${controller.logs().split('\n').slice(-15).join('\n')}`);
    });

    // One whole reconcile of this very snapshot with the new image, as the controller caches the pods,
    // with its API writes stubbed out: the controller's own work per reconcile.
    const snapshot = (await listPods(plane)).map(rolloutPodView);
    const stored = await kubectlJson<SidecarSet>(plane, 'get', 'sidecarset', 'logger');
    const changed = admitSidecarSet({ ...stored, spec: { ...stored.spec, containers: [{ ...stored.spec.containers![0]!, image: IMAGE_V2 }] } });
    const reconcileComputeMs = await timeReconciles(changed, snapshot);
    const planTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      planRollout(changed, snapshot, new Date());
      planTimes.push(performance.now() - started);
    }
    planTimes.sort((a, b) => a - b);

    const metricsBefore = await controllerMetrics();
    const writesBefore = metricValue(metricsBefore, 'sidecarset_pod_writes_total', 'kind="pod-upgrade"');
    const rolloutStarted = Date.now();
    await plane.kubectl(['patch', 'sidecarset', 'logger', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: IMAGE_V2 }])]);
    await waitForPods(plane, `${pods} pods on v2`, statusSaysDone, (list) => sidecarReadyOn(list, IMAGE_V2) === pods, 1_800_000);
    const convergeSeconds = (Date.now() - rolloutStarted) / 1000;
    const metricsAfter = await controllerMetrics();
    const upgradeWrites = metricValue(metricsAfter, 'sidecarset_pod_writes_total', 'kind="pod-upgrade"') - writesBefore;
    const conditionWrites = metricValue(metricsAfter, 'sidecarset_pod_writes_total', 'kind="pod-condition"');
    const allResults = (text: string) => ['success', 'error', 'requeue', 'requeue_after'].reduce((sum, r) => sum + metricValue(text, 'controller_runtime_reconcile_total', `result="${r}"`), 0);
    const reconciles = allResults(metricsAfter) - allResults(metricsBefore);
    // Whole reconciles during the rollout, as the controller times them: its API writes included.
    const reconcileTime = (text: string) => readHistogram(text, 'controller_runtime_reconcile_time_seconds', 'controller="sidecarset"');
    const reconcileTimes = histogramDelta(reconcileTime(metricsAfter), reconcileTime(metricsBefore));
    const rss = rssMiB(controller.process.pid);
    const heapMiB = metricValue(metricsAfter, 'nodejs_heap_size_used_bytes', '') / 2 ** 20;
    progress(`controller memory: heap total ${fmt(metricValue(metricsAfter, 'nodejs_heap_size_total_bytes', '') / 2 ** 20, 1)} MiB, external ${fmt(metricValue(metricsAfter, 'nodejs_external_memory_bytes', '') / 2 ** 20, 1)} MiB, RSS ${fmt(metricValue(metricsAfter, 'process_resident_memory_bytes', '') / 2 ** 20, 1)} MiB`);
    return { pods, convergeSeconds, writesPerPod: (upgradeWrites + conditionWrites) / pods, upgradeWrites, reconciles, rss, heapMiB, planMedianMs: planTimes[5]!, reconcileComputeMs, reconcileP50Ms: quantileMs(reconcileTimes, 0.5), reconcileP99Ms: quantileMs(reconcileTimes, 0.99) };
  } finally {
    await plane.stop();
  }
}

const rows: (string | number)[][] = [];
for (const size of SIZES) {
  const r = await runSize(size);
  rows.push([r.pods, fmt(r.convergeSeconds, 1), fmt(r.writesPerPod, 2), r.upgradeWrites, r.reconciles, fmt(r.rss, 1), fmt(r.heapMiB, 1), fmt(r.planMedianMs, 1), fmt(r.reconcileComputeMs, 1), `<= ${fmt(r.reconcileP50Ms, 0)} / <= ${fmt(r.reconcileP99Ms, 0)}`]);
  progress(JSON.stringify(r));
}
console.log('\nImage change rolled out in place at maxUnavailable 10% (kwok: 1 s container restart)');
console.log(`controller Node.js flags: ${NODE_OPTIONS.join(' ') || '(none)'}${process.env.BENCH_CONTROLLER_NODE_OPTIONS === undefined ? ' (deploy/manifests/controller.yaml)' : ' (BENCH_CONTROLLER_NODE_OPTIONS)'}`);
printTable(['pods', 'converge s', 'pod writes / upgraded pod', 'upgrade patches', 'reconciles', 'controller RSS MiB', 'heap used MiB', 'planRollout ms (median of 10)', 'one reconcile ms, writes stubbed (median of 10)', 'reconcile p50 / p99 ms in the cluster (with its API writes)'], rows);
