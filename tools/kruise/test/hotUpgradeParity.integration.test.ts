// Hot-upgrade parity: the same HotUpgrade SidecarSet and the same pods under OpenKruise v1.9.0 (its
// webhook and SidecarSet controller) on one kwok control plane and under ours on another, two image
// changes rolled out on each. A watch on each side records, for every pod, the sequence of what the
// controllers write (both twins' images, the working-twin annotation, the version annotations, with
// a SidecarSet resourceVersion written as "RV": it differs between planes) and checks at every event
// that the pod has a working, ready sidecar. The sequences must be equal pod by pod, as must the
// largest number of pods in the middle of a hot upgrade at once and the final status.
import { KubernetesApiError, pathInformer, requestJson, type Pod, type SidecarSet } from '@sidecarset/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenKruiseRolloutSide, startOurRolloutSide, type RolloutSide } from './rolloutParity/sides.js';

const SIDECARSETS = '/apis/apps.kruise.io/v1alpha1/sidecarsets';
const NAMESPACE = 'hot-parity';
const ENVOY = (v: string) => `registry.example/hot-envoy:${v}`;
const EMPTY = 'registry.example/hot-envoy:empty';
const WORKING = 'kruise.io/sidecarset-working-hotupgrade-container';
const PODS = 4;
const MAX_UNAVAILABLE = 2;
const TWINS = ['envoy-1', 'envoy-2'] as const;

let kruise: RolloutSide;
let ours: RolloutSide;
beforeAll(async () => {
  [kruise, ours] = await Promise.all([startOpenKruiseRolloutSide(), startOurRolloutSide()]);
}, 300_000);
afterAll(async () => {
  await Promise.all([kruise?.plane.stop(), ours?.plane.stop()]);
});

const sidecarSet = (): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'hot-parity' },
  spec: {
    selector: { matchLabels: { app: 'hot-parity' } },
    updateStrategy: { type: 'RollingUpdate', maxUnavailable: MAX_UNAVAILABLE },
    containers: [{ name: 'envoy', image: ENVOY('1.0'), upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: EMPTY } }],
  },
});

const podManifest = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: NAMESPACE, labels: { app: 'hot-parity' }, annotations: { 'sidecarset.dev/kwok-restart-delay': '1s' } },
  spec: { nodeName: `kwok-node-${i % 2}`, containers: [{ name: 'app', image: 'registry.example/hot-app:1.0' }] },
});

const spec = (pod: Pod, name: string) => pod.spec?.containers.find((c) => c.name === name);
const status = (pod: Pod, name: string) => pod.status?.containerStatuses?.find((s) => s.name === name);
const working = (pod: Pod): string | undefined => (JSON.parse(pod.metadata?.annotations?.[WORKING] ?? '{}') as Record<string, string>)['envoy'];
const isReady = (pod: Pod) => pod.status?.phase === 'Running' && (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
const hasWorkingReadySidecar = (pod: Pod) => TWINS.some((t) => status(pod, t)?.ready === true && status(pod, t)?.image !== EMPTY && status(pod, t)?.state?.running !== undefined);
const settledOn = (pod: Pod, image: string): boolean => {
  const w = working(pod) ?? '';
  const idle = w === 'envoy-1' ? 'envoy-2' : 'envoy-1';
  return spec(pod, w)?.image === image && status(pod, w)?.image === image && status(pod, w)?.ready === true &&
    spec(pod, idle)?.image === EMPTY && status(pod, idle)?.image === EMPTY && status(pod, idle)?.ready === true && isReady(pod);
};
const inTheMiddle = (pod: Pod) => !TWINS.some((t) => spec(pod, t)?.image === EMPTY && status(pod, t)?.image === EMPTY) || !isReady(pod);

/** What the controllers write to a pod, with resourceVersions blanked (they differ between planes). */
function written(pod: Pod): string {
  const a = pod.metadata?.annotations ?? {};
  const version = (key: string) => {
    const v = a[key];
    return v === undefined || v === '0' || v === '1' ? String(v) : /^\d+$/.test(v) ? 'RV' : `?${v}`;
  };
  return TWINS.map((t) => `${t}=${spec(pod, t)?.image} v=${version(`version.sidecarset.kruise.io/${t}`)} alt=${version(`versionalt.sidecarset.kruise.io/${t}`)}`).join(' ') + ` working=${working(pod)}`;
}

function watchPods(side: RolloutSide) {
  const informer = pathInformer<Pod>(side.plane.kubeConfig, `/api/v1/namespaces/${NAMESPACE}/pods`, {});
  const sequences = new Map<string, string[]>();
  const violations: string[] = [];
  let maxInTheMiddle = 0;
  let counting = false;
  informer.subscribe(() => {
    const pods = informer.list();
    if (counting) maxInTheMiddle = Math.max(maxInTheMiddle, pods.filter(inTheMiddle).length);
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      if (counting && !hasWorkingReadySidecar(pod)) violations.push(`${side.name} ${name}: ${written(pod)}`);
      const seq = sequences.get(name) ?? [];
      if (seq[seq.length - 1] !== written(pod)) seq.push(written(pod));
      sequences.set(name, seq);
    }
  });
  informer.start();
  return {
    synced: () => informer.waitForSync(),
    /** From now on (the pods have settled after their creation), count pods in the middle of an upgrade. */
    countFromNow: () => void (counting = true),
    async stop() {
      await informer.stop();
      return { sequences, violations, maxInTheMiddle };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(side: RolloutSide, what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${side.name}: timed out waiting for ${what}\n${side.logs()}`);
    await sleep(250);
  }
}
const listPods = async (side: RolloutSide) => (await requestJson<{ items: Pod[] }>(side.plane.kubeConfig, 'GET', `/api/v1/namespaces/${NAMESPACE}/pods`)).items;
const getSet = (side: RolloutSide) => requestJson<SidecarSet>(side.plane.kubeConfig, 'GET', `${SIDECARSETS}/hot-parity`);

async function settle(side: RolloutSide, image: string): Promise<SidecarSet['status']> {
  await until(side, `${PODS} pods settled on ${image}`, 240_000, async () => ((await listPods(side)).filter((p) => settledOn(p, image)).length === PODS ? true : undefined));
  return until(side, 'the status to count them', 60_000, async () => {
    const set = await getSet(side);
    return set.status?.updatedReadyPods === PODS && set.status.observedGeneration === set.metadata?.generation ? set.status : undefined;
  });
}

async function setUp(side: RolloutSide): Promise<void> {
  const { kubeConfig } = side.plane;
  await requestJson(kubeConfig, 'POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  await until(side, 'the default ServiceAccount', 60_000, () => requestJson(kubeConfig, 'GET', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`));
  await requestJson(kubeConfig, 'POST', SIDECARSETS, {}, sidecarSet());
  const probe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', labels: { app: 'hot-parity' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } };
  await until(side, 'the SidecarSet in the pod webhook', 60_000, async () => {
    const pod = await requestJson<Pod>(kubeConfig, 'POST', `/api/v1/namespaces/${NAMESPACE}/pods`, { dryRun: 'All' }, probe);
    return spec(pod, 'envoy-2') ? true : undefined;
  });
  for (let i = 0; i < PODS; i++) await requestJson(kubeConfig, 'POST', `/api/v1/namespaces/${NAMESPACE}/pods`, {}, podManifest(i));
}

const setImage = (side: RolloutSide, image: string) =>
  requestJson(side.plane.kubeConfig, 'PATCH', `${SIDECARSETS}/hot-parity`, {}, [{ op: 'replace', path: '/spec/containers/0/image', value: image }], 'application/json-patch+json').catch((error: unknown) => {
    throw error instanceof KubernetesApiError ? new Error(`${side.name}: ${error.message}`) : error;
  });

describe('hot upgrade under OpenKruise v1.9.0 and under our controller', () => {
  it(`${PODS} pods, maxUnavailable ${MAX_UNAVAILABLE}, two image changes: the same writes to every pod, a working ready sidecar at every event`, async () => {
    const watchers = [watchPods(kruise), watchPods(ours)];
    await Promise.all(watchers.map((w) => w.synced()));
    await Promise.all([setUp(kruise), setUp(ours)]);
    const statuses: Record<string, unknown[]> = { openkruise: [], ours: [] };
    for (const side of [kruise, ours]) statuses[side.name]!.push(await settle(side, ENVOY('1.0')));
    for (const w of watchers) w.countFromNow();
    for (const image of [ENVOY('2.0'), ENVOY('3.0')]) {
      await Promise.all([setImage(kruise, image), setImage(ours, image)]);
      const [a, b] = await Promise.all([settle(kruise, image), settle(ours, image)]);
      statuses['openkruise']!.push(a);
      statuses['ours']!.push(b);
    }
    const [theirs, mine] = await Promise.all(watchers.map((w) => w.stop()));
    const counts = (list: unknown[]) => list.map((s) => { const { matchedPods, updatedPods, readyPods, updatedReadyPods } = s as Record<string, number>; return { matchedPods, updatedPods, readyPods, updatedReadyPods }; });
    const report = JSON.stringify({ openkruise: Object.fromEntries(theirs!.sequences), ours: Object.fromEntries(mine!.sequences) }, null, 1);
    console.log(`hot-upgrade parity: OpenKruise at most ${theirs!.maxInTheMiddle} pods mid-upgrade, ours ${mine!.maxInTheMiddle}\n${report}`);

    // A pod's first sequence entries come from its creation (before injection it has no twins).
    const fromInjection = (seq: string[]) => seq.slice(seq.findIndex((s) => s.startsWith(`envoy-1=${ENVOY('1.0')}`)));
    for (let i = 0; i < PODS; i++) {
      const name = `web-${i}`;
      expect(fromInjection(mine!.sequences.get(name) ?? []), `${name}\n${report}`).toEqual(fromInjection(theirs!.sequences.get(name) ?? []));
    }
    // Not a comparison of two empty records: OpenKruise took each pod through both upgrades.
    expect(fromInjection(theirs!.sequences.get('web-0') ?? [])).toHaveLength(5);
    expect(theirs!.violations).toEqual([]);
    expect(mine!.violations).toEqual([]);
    expect(mine!.maxInTheMiddle).toBe(theirs!.maxInTheMiddle);
    expect(counts(statuses['ours']!)).toEqual(counts(statuses['openkruise']!));
  }, 1_200_000);
});
