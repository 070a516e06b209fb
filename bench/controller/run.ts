// Controller benchmark (`npm run bench:controller`), ours side by side with the real OpenKruise v1.9.0
// (tools/kruise), in one run and on control planes from the same build, one after the other: N pods
// of a Deployment on kwok nodes injected by each side's webhook, then one image change at
// maxUnavailable 10% rolled out in place by each side's controller. Prints, for each side, the time to
// converge (polling the SidecarSet's status every 250 ms, confirmed from every pod), pod writes per
// upgraded pod (kube-apiserver's own count of PATCH and PUT on pods, the same measure for both),
// the controller process's RSS, and the ratio ours / OpenKruise; the floor is rounds x kwok's restart
// delay. For ours also the reconcile figures, for 1,000 and 5,000 pods (BENCH_SIZES), so the growth
// shows. Polls cheap signals and lists the pods only to confirm. Runs in tools/kruise/netns.sh
// (OpenKruise's webhook binds every interface). Never fails on a time.
// BENCH_KINDS (default cold,hot,resize): besides the cold image change (side by side), ours alone on
// fresh planes of the same size: a hot upgrade (HotUpgrade twins, the image changed) and a resize
// (the sidecar's resources changed, through pods/resize), each with its converge time and pod writes
// per pod (pods/resize writes counted too).
import { cpSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { requestJson, type ControllerRevision, type Pod, type SidecarSet } from '@sidecarset/api';
import { reconcileSidecarSet } from '@sidecarset/controller';
import { admitSidecarSet, planRollout, rolloutPodView } from '@sidecarset/core';
import { deployedNodeOptions, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane } from '@sidecarset/envtest';
import { startOpenKruise } from '@sidecarset/kruise';
import { histogramDelta, quantileMs, readHistogram } from '../histogram.ts';
import { KRUISE_BENCH_ARGS } from '../openKruiseArgs.ts';
import { fmt, printTable, ratio, rssMiB } from '../stats.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);
/** As deployed (deploy/manifests/controller.yaml's NODE_OPTIONS) unless BENCH_CONTROLLER_NODE_OPTIONS says otherwise. */
const NODE_OPTIONS = process.env.BENCH_CONTROLLER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? deployedNodeOptions('controller.yaml', 'controller');
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const IMAGE_V1 = 'registry.example/logger:1.0';
const IMAGE_V2 = 'registry.example/logger:2.0';
const MAX_UNAVAILABLE_PERCENT = 10;
/** kwok's delay from an in-place restart to the container being ready (sidecarset.dev/kwok-restart-delay). */
const RESTART_DELAY_S = 1;
const SIDECARSET_PATH = '/apis/apps.kruise.io/v1alpha1/sidecarsets/logger';
const EMPTY_IMAGE = 'registry.example/empty:1.0';
const SMALL = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const BIG = { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '400m', memory: '256Mi' } };
type UpgradeKindName = 'cold' | 'hot' | 'resize';
const KINDS = (process.env.BENCH_KINDS ?? 'cold,hot,resize').split(',').filter(Boolean) as UpgradeKindName[];
/** Per kind: the sidecar as declared, the SidecarSet change rolled out, and when a pod runs the old or the new one. */
const KIND_SPECS: Record<UpgradeKindName, { container: Record<string, unknown>; change: object[]; runsOld: (pod: Pod) => boolean; runsNew: (pod: Pod) => boolean }> = {
  cold: {
    container: { name: 'logger', image: IMAGE_V1 },
    change: [{ op: 'replace', path: '/spec/containers/0/image', value: IMAGE_V2 }],
    runsOld: (pod) => loggerReadyOn(pod, IMAGE_V1),
    runsNew: (pod) => loggerReadyOn(pod, IMAGE_V2),
  },
  hot: {
    container: { name: 'logger', image: IMAGE_V1, upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: EMPTY_IMAGE } },
    change: [{ op: 'replace', path: '/spec/containers/0/image', value: IMAGE_V2 }],
    runsOld: (pod) => loggerReadyOn(pod, IMAGE_V1),
    // The working twin on v2 and ready, the other back on the empty image.
    runsNew: (pod) => loggerReadyOn(pod, IMAGE_V2) && (pod.status?.containerStatuses ?? []).some((s) => s.name.startsWith('logger-') && s.image === EMPTY_IMAGE),
  },
  resize: {
    container: { name: 'logger', image: IMAGE_V1, resources: SMALL },
    change: [{ op: 'replace', path: '/spec/containers/0/resources', value: BIG }],
    runsOld: (pod) => loggerReadyOn(pod, IMAGE_V1),
    runsNew: (pod) => loggerReadyOn(pod, IMAGE_V1) && (pod.status?.containerStatuses ?? []).some((s) => s.name === 'logger' && JSON.stringify(s.resources?.limits) === JSON.stringify(BIG.limits)),
  },
};
const TARGETS = { time: 0.5, floor: 1.5, writes: 1, rss: 0.75 };

async function kubectlJson<T>(plane: ControlPlane, ...args: string[]): Promise<T> {
  const { code, stdout, stderr } = await plane.kubectl([...args, '-o', 'json']);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return JSON.parse(stdout) as T;
}

/** The sidecar (or, hot, one of its twins logger-1/logger-2) runs `image` ready, and the pod is Ready. */
function loggerReadyOn(p: Pod, image: string): boolean {
  return (p.status?.containerStatuses?.some((s) => (s.name === 'logger' || /^logger-[12]$/.test(s.name)) && s.image === image && s.ready) ?? false) && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
}

/** Polls `check`; resolves with the time (Date.now()) of the poll that said done. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 1000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = Date.now();
    if (await check()) return at;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Sum of a counter over the series whose labels include every one given. */
function metricSum(text: string, name: string, labels: string[]): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Writes to pod objects (not their status, which kwok writes), as kube-apiserver counts them (verbs PATCH and PUT): every client, every response code. */
// pods/resize writes count too: a resize changes the pod object's spec.
const podObjectWrites = (apiServerMetrics: string) =>
  ['PATCH', 'PUT'].reduce(
    (sum, verb) => sum + ['""', '"resize"'].reduce((n, sub) => n + metricSum(apiServerMetrics, 'apiserver_request_total', ['resource="pods"', `subresource=${sub}`, `verb="${verb}"`, 'dry_run=""']), 0),
    0,
  );
const apiServerMetrics = async (plane: ControlPlane) => (await plane.kubectl(['get', '--raw', '/metrics'])).stdout;

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
  const writer = { patchPod: noWrite, resizePod: noWrite, setPodCondition: noWrite, updateSidecarSetStatus: noWrite, createRevision: async (r: ControllerRevision) => r, deleteRevision: noWrite };
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
 * Polls a cheap signal (one object) and, once it says done, confirms from every pod: a list of
 * thousands of pods each poll would make the bench itself the API server's main load.
 */
const waitForPods = (plane: ControlPlane, what: string, cheap: () => Promise<boolean>, confirm: (pods: Pod[]) => boolean, timeoutMs: number, everyMs?: number) =>
  waitFor(what, async () => (await cheap()) && confirm(await listPods(plane)), timeoutMs, everyMs);

interface Controlled {
  /** The process that runs the SidecarSet controller (OpenKruise's also serves its webhooks). */
  pid: number;
  /** Ours: the webhook runs in a process of its own. */
  webhookPid?: number;
  logs(): string;
  /** Ours: the controller's /metrics. */
  metrics?: () => Promise<string>;
}

interface SideResult {
  convergeSeconds: number;
  podWrites: number;
  writesPerPod: number;
  rss: number;
  webhookRss?: number;
  ours?: { upgradeWrites: number; conditionWrites: number; reconciles: number; heapMiB: number; planMedianMs: number; reconcileComputeMs: number; reconcileP50Ms: number; reconcileP99Ms: number };
}

const sides = {
  ours: {
    planeOptions: {},
    async start(plane: ControlPlane): Promise<Controlled> {
      const webhook = await startSidecarsetWebhook(plane);
      await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
      const controller = await startSidecarsetController(plane, { identity: 'bench', nodeOptions: NODE_OPTIONS });
      return { pid: controller.process.pid, webhookPid: webhook.process.pid, logs: () => controller.logs(), metrics: metricsReader(controller.logs()) };
    },
  },
  OpenKruise: {
    planeOptions: { installCrds: false },
    async start(plane: ControlPlane): Promise<Controlled> {
      const kruise = await startOpenKruise(plane, { extraArgs: KRUISE_BENCH_ARGS, log: progress });
      return { pid: kruise.process.pid, logs: () => kruise.logs(40) };
    },
  },
};

async function runSide(name: keyof typeof sides, pods: number, kind: UpgradeKindName = 'cold'): Promise<SideResult> {
  progress(`--- ${name}, ${pods} pods, ${kind}: control plane with 10 kwok nodes`);
  const spec = KIND_SPECS[kind];
  const plane = await startControlPlane({ ...sides[name].planeOptions, kwok: { nodes: 10 }, log: progress });
  try {
    const controlled = await sides[name].start(plane);
    const sidecarSet: SidecarSet = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: 'logger' },
      spec: {
        selector: { matchLabels: { app: 'bench' } },
        updateStrategy: { type: 'RollingUpdate', maxUnavailable: `${MAX_UNAVAILABLE_PERCENT}%` },
        containers: [{ ...spec.container, volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }] } as never],
        volumes: [{ name: 'logs', emptyDir: {} }],
      },
    };
    const applied = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    if (applied.code !== 0) throw new Error(`applying the SidecarSet: ${applied.stderr}`);
    await plane.kubectl(['create', 'namespace', 'bench']);
    // Pods admitted before the webhook's cache has the SidecarSet would never get the sidecar.
    const container = spec.container as { name: string; upgradeStrategy?: { upgradeType?: string } };
    const injected = container.upgradeStrategy?.upgradeType === 'HotUpgrade' ? `${container.name}-1` : container.name;
    await untilWebhookInjects(plane.kubectl, { namespace: 'bench', labels: { app: 'bench' }, container: injected });
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bench', namespace: 'bench' },
      spec: {
        replicas: pods,
        selector: { matchLabels: { app: 'bench' } },
        template: { metadata: { labels: { app: 'bench' }, annotations: { 'sidecarset.dev/kwok-restart-delay': `${RESTART_DELAY_S}s`, 'sidecarset.dev/kwok-resize-delay': `${RESTART_DELAY_S}s` } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } },
      },
    };
    const createdAt = Date.now();
    await plane.kubectl(['apply', '-f', '-'], JSON.stringify(deployment));
    const deploymentReady = async () => (await kubectlJson<{ status?: { readyReplicas?: number } }>(plane, 'get', 'deployment', 'bench', '-n', 'bench')).status?.readyReplicas === pods;
    await waitForPods(plane, `${pods} ready pods with the v1 sidecar`, deploymentReady, (list) => list.filter(spec.runsOld).length === pods, 1_800_000);
    progress(`${name}: ${pods} pods ready in ${((Date.now() - createdAt) / 1000).toFixed(0)} s`);
    const statusSaysDone = async () => (await requestJson<SidecarSet>(plane.kubeConfig, 'GET', SIDECARSET_PATH)).status?.updatedReadyPods === pods;
    await waitFor('status: all matched', statusSaysDone, 300_000).catch(async (error: Error) => {
      const status = (await kubectlJson<SidecarSet>(plane, 'get', 'sidecarset', 'logger')).status;
      throw new Error(`${error.message}: status ${JSON.stringify(status)}\n${controlled.logs().split('\n').slice(-15).join('\n')}`);
    });

    const ours = name === 'ours' && kind === 'cold' ? await oursBeforeRollout(plane) : undefined;
    const apiBefore = await apiServerMetrics(plane);
    const controllerBefore = await controlled.metrics?.();
    const rolloutStarted = Date.now();
    await plane.kubectl(['patch', 'sidecarset', 'logger', '--type=json', '-p', JSON.stringify(spec.change)]);
    const doneAt = await waitForPods(plane, `${pods} pods upgraded (${kind})`, statusSaysDone, (list) => list.filter(spec.runsNew).length === pods, 1_800_000, 250);
    const convergeSeconds = (doneAt - rolloutStarted) / 1000;
    const podWrites = podObjectWrites(await apiServerMetrics(plane)) - podObjectWrites(apiBefore);
    const rss = rssMiB(controlled.pid);
    const result: SideResult = { convergeSeconds, podWrites, writesPerPod: podWrites / pods, rss, ...(controlled.webhookPid ? { webhookRss: rssMiB(controlled.webhookPid) } : {}) };
    if (ours && controlled.metrics && controllerBefore) {
      const after = await controlled.metrics();
      const allResults = (text: string) => ['success', 'error', 'requeue', 'requeue_after'].reduce((sum, r) => sum + metricValue(text, 'controller_runtime_reconcile_total', `result="${r}"`), 0);
      // Whole reconciles during the rollout, as the controller times them: its API writes included.
      const reconcileTime = (text: string) => readHistogram(text, 'controller_runtime_reconcile_time_seconds', 'controller="sidecarset"');
      const reconcileTimes = histogramDelta(reconcileTime(after), reconcileTime(controllerBefore));
      const writes = (text: string, kind: string) => metricValue(text, 'sidecarset_pod_writes_total', `kind="${kind}"`);
      progress(`ours: controller memory: heap total ${fmt(metricValue(after, 'nodejs_heap_size_total_bytes', '') / 2 ** 20, 1)} MiB, external ${fmt(metricValue(after, 'nodejs_external_memory_bytes', '') / 2 ** 20, 1)} MiB, RSS ${fmt(metricValue(after, 'process_resident_memory_bytes', '') / 2 ** 20, 1)} MiB`);
      result.ours = {
        ...ours,
        upgradeWrites: writes(after, 'pod-upgrade') - writes(controllerBefore, 'pod-upgrade'),
        conditionWrites: writes(after, 'pod-condition') - writes(controllerBefore, 'pod-condition'),
        reconciles: allResults(after) - allResults(controllerBefore),
        heapMiB: metricValue(after, 'nodejs_heap_size_used_bytes', '') / 2 ** 20,
        reconcileP50Ms: quantileMs(reconcileTimes, 0.5),
        reconcileP99Ms: quantileMs(reconcileTimes, 0.99),
      };
    }
    progress(`${name} ${kind}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    // BENCH_LOG_DIR keeps every process's log (the plane's directory goes with it); LOG_LEVEL=debug reaches ours.
    if (process.env.BENCH_LOG_DIR) cpSync(join(plane.dir, 'logs'), join(process.env.BENCH_LOG_DIR, `${name}-${pods}-${kind}`), { recursive: true });
    await plane.stop();
  }
}

/** One whole reconcile of this very snapshot with the new image, as the controller caches the pods, with its API writes stubbed out: the controller's own work per reconcile. */
async function oursBeforeRollout(plane: ControlPlane) {
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
  return { reconcileComputeMs, planMedianMs: planTimes.sort((a, b) => a - b)[5]! };
}

/** BENCH_SIDES=ours (or OpenKruise) runs one side only, for quick experiments; the tables then show '-' for the other. */
const SIDES = (process.env.BENCH_SIDES ?? 'ours,OpenKruise').split(',') as (keyof typeof sides)[];
const skipped: SideResult = { convergeSeconds: NaN, podWrites: NaN, writesPerPod: NaN, rss: NaN };
const results: { pods: number; ours: SideResult; kruise: SideResult; load: string }[] = [];
const kindResults: { pods: number; kind: UpgradeKindName; result?: SideResult; error?: string; load: string }[] = [];
for (const pods of SIZES) {
  const ours = SIDES.includes('ours') && KINDS.includes('cold') ? await runSide('ours', pods) : skipped;
  const kruise = SIDES.includes('OpenKruise') && KINDS.includes('cold') ? await runSide('OpenKruise', pods) : skipped;
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  results.push({ pods, ours, kruise, load: load() });
  if (KINDS.includes('cold') && SIDES.includes('ours')) kindResults.push({ pods, kind: 'cold', result: ours, load: load() });
  for (const kind of KINDS.filter((k) => k !== 'cold')) {
    if (!SIDES.includes('ours')) break;
    // One kind failing (e.g. not built yet) still leaves the others' rows.
    const row = await runSide('ours', pods, kind).then((result) => ({ result }), (error: Error) => ({ error: error.message.split('\n')[0]!.slice(0, 120) }));
    kindResults.push({ pods, kind, ...row, load: load() });
  }
}

console.log(`\nImage change rolled out in place at maxUnavailable ${MAX_UNAVAILABLE_PERCENT}% (kwok: ${RESTART_DELAY_S} s container restart), ours then OpenKruise v1.9.0 (kruise-manager, --v=2, WorkloadSpread and PodUnavailableBudget gates off), each on a fresh control plane`);
console.log(`our controller's Node.js flags: ${NODE_OPTIONS.join(' ') || '(none)'}${process.env.BENCH_CONTROLLER_NODE_OPTIONS === undefined ? ' (deploy/manifests/controller.yaml)' : ' (BENCH_CONTROLLER_NODE_OPTIONS)'}`);
console.log(`floor = rounds x restart delay; pod writes = kube-apiserver's PATCH + PUT of pod objects during the rollout, every client; RSS after the rollout`);
console.log(`targets: time <= ${TARGETS.time} x OpenKruise's and <= ${TARGETS.floor} x the floor, <= ${TARGETS.writes} pod write per upgraded pod, RSS <= ${TARGETS.rss} x OpenKruise's manager`);
printTable(
  ['pods', 'floor s', 'converge s ours', 'OpenKruise', 'ratio', 'ours / floor', 'pod writes / pod ours', 'OpenKruise', 'RSS MiB ours (controller)', 'OpenKruise (manager)', 'ratio', 'ours controller + webhook MiB', 'load average after'],
  results.map(({ pods, ours, kruise, load }) => {
    const floor = Math.ceil(pods / Math.ceil((pods * MAX_UNAVAILABLE_PERCENT) / 100)) * RESTART_DELAY_S;
    return [pods, floor, fmt(ours.convergeSeconds, 1), fmt(kruise.convergeSeconds, 1), ratio(ours.convergeSeconds, kruise.convergeSeconds), fmt(ours.convergeSeconds / floor), fmt(ours.writesPerPod, 2), fmt(kruise.writesPerPod, 2), fmt(ours.rss, 1), fmt(kruise.rss, 1), ratio(ours.rss, kruise.rss), fmt(ours.rss + (ours.webhookRss ?? 0), 1), load];
  }),
);
console.log('\nOurs only: the controller\'s own counts and times');
printTable(
  ['pods', 'upgrade patches', 'condition writes', 'reconciles', 'heap used MiB', 'planRollout ms (median of 10)', 'one reconcile ms, writes stubbed (median of 10)', 'reconcile p50 / p99 ms in the cluster (with its API writes)'],
  results.flatMap(({ pods, ours: { ours } }) => (ours ? [[pods, ours.upgradeWrites, ours.conditionWrites, ours.reconciles, fmt(ours.heapMiB, 1), fmt(ours.planMedianMs, 1), fmt(ours.reconcileComputeMs, 1), `<= ${fmt(ours.reconcileP50Ms, 0)} / <= ${fmt(ours.reconcileP99Ms, 0)}`]] : [])),
);
console.log(`\nUpgrade kinds, ours alone, each on a fresh control plane (BENCH_KINDS=${KINDS.join(',')}): maxUnavailable ${MAX_UNAVAILABLE_PERCENT}%, kwok restart and resize delay ${RESTART_DELAY_S} s; pod writes include pods/resize`);
printTable(
  ['pods', 'kind', 'converge s', 'floor s', 'pod writes / pod', 'RSS MiB (controller)', 'load average after'],
  kindResults.map(({ pods, kind, result, error, load }) => {
    const floor = Math.ceil(pods / Math.ceil((pods * MAX_UNAVAILABLE_PERCENT) / 100)) * RESTART_DELAY_S;
    if (!result) return [pods, kind, `failed: ${error ?? ''}`, floor, '-', '-', load];
    return [pods, kind, fmt(result.convergeSeconds, 1), floor, fmt(result.writesPerPod, 2), fmt(result.rss, 1), load];
  }),
);
