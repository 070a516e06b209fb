// Drives one generated rollout on one side, round by round, and records what the controller did.
// A round is the batch of pods a controller updates at once before it waits for pods to become ready
// again. To make rounds the same on both sides whatever the timing, the SidecarSet stays paused
// between rounds: the test unpauses it, the controller updates a batch, the test pauses it again as
// soon as it sees the first pod of the batch updated (the controller writes the rest of the batch it
// planned; kwok restarts each updated sidecar and makes it ready after a restart delay longer than that
// takes), waits until every updated pod runs the new sidecar and is ready again (those whose app never
// becomes ready, only running it) and the controller's status says so, and unpauses again. A round in
// which nothing is updated within QUIET_MS ends the rollout.
import { KubernetesApiError, requestJson, type Pod, type SidecarSet } from '@sidecarset/api';
import type { ControlPlane } from '@sidecarset/envtest';
import { paritySidecarSet, parityPodManifest, RUN_LABEL, SIDECAR_IMAGE_V2, type ParityCase } from './cases.js';
import type { RolloutSide } from './sides.js';

const SIDECARSETS = '/apis/apps.kruise.io/v1alpha1/sidecarsets';
const INJECTED_LIST = 'kruise.io/sidecarset-injected-list';
/** How long kwok keeps a restarted sidecar not ready: the test must pause the rollout well within it. */
export const RESTART_DELAY = '3s';
/** Nothing updated this long after the controller saw the unpause: the rollout has ended. */
const QUIET_MS = 5000;
const STABLE_TIMEOUT_MS = 120_000;

export interface StatusCounts {
  matchedPods: number;
  updatedPods: number;
  readyPods: number;
  updatedReadyPods: number;
}

export interface RolloutRecord {
  /** Updated while the SidecarSet was still paused after the image change (strategies that start paused). */
  updatedWhilePaused?: number;
  /** Pod names updated in each round, in the order rounds happened. */
  rounds: string[][];
  status: StatusCounts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, side: RolloutSide, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${side.name}: timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}\n--- ${side.name} logs:\n${side.logs()}`);
    await sleep(intervalMs);
  }
}

const sidecarOf = (pod: Pod) => pod.spec?.containers.find((c) => c.name === 'sidecar');
const sidecarStatusOf = (pod: Pod) => pod.status?.containerStatuses?.find((s) => s.name === 'sidecar');
/** The pod's sidecar has the image the SidecarSet names (`image`). */
const runsImage = (pod: Pod, image: string): boolean => sidecarOf(pod)?.image === image;
export const isUpdated = (pod: Pod): boolean => runsImage(pod, SIDECAR_IMAGE_V2);
const isConsistent = (pod: Pod): boolean => sidecarStatusOf(pod) !== undefined && sidecarStatusOf(pod)?.image === sidecarOf(pod)?.image;
const isReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** The counts OpenKruise's calculateStatus makes of these pods: what each controller's status must say once it has seen them. */
export function expectedCounts(pods: Pod[], image: string): StatusCounts {
  const available = (pod: Pod) => isConsistent(pod) && isReady(pod);
  return {
    matchedPods: pods.length,
    updatedPods: pods.filter((p) => runsImage(p, image)).length,
    readyPods: pods.filter(available).length,
    updatedReadyPods: pods.filter((p) => runsImage(p, image) && available(p)).length,
  };
}

const countsOf = (status: SidecarSet['status']): StatusCounts => ({
  matchedPods: status?.matchedPods ?? 0,
  updatedPods: status?.updatedPods ?? 0,
  readyPods: status?.readyPods ?? 0,
  updatedReadyPods: status?.updatedReadyPods ?? 0,
});
const sameCounts = (a: StatusCounts, b: StatusCounts) => a.matchedPods === b.matchedPods && a.updatedPods === b.updatedPods && a.readyPods === b.readyPods && a.updatedReadyPods === b.updatedReadyPods;

export const listPods = async (plane: ControlPlane, namespace: string): Promise<Pod[]> =>
  (await requestJson<{ items: Pod[] }>(plane.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}/pods`, { labelSelector: RUN_LABEL })).items.filter((p) => !p.metadata?.deletionTimestamp);
export const getSidecarSet = (plane: ControlPlane, name: string): Promise<SidecarSet> => requestJson<SidecarSet>(plane.kubeConfig, 'GET', `${SIDECARSETS}/${name}`);
const patchSidecarSet = (plane: ControlPlane, name: string, patch: unknown[]): Promise<SidecarSet> =>
  requestJson<SidecarSet>(plane.kubeConfig, 'PATCH', `${SIDECARSETS}/${name}`, {}, patch, 'application/json-patch+json');
const setPaused = (plane: ControlPlane, name: string, paused: boolean) => patchSidecarSet(plane, name, [{ op: 'replace', path: '/spec/updateStrategy/paused', value: paused }]);

/** The pods (those whose app never becomes ready excepted) ready, every updated one running the new sidecar, and the controller's status agreeing. */
async function waitStable(side: RolloutSide, c: ParityCase, name: string, what: string): Promise<{ pods: Pod[]; status: StatusCounts }> {
  const namespace = `parity-${c.id}`;
  const neverReady = new Set(c.pods.filter((p) => p.neverReady).map((p) => p.name));
  let lastSeen = 'nothing yet';
  return until(what, STABLE_TIMEOUT_MS, async () => {
    const [pods, sidecarSet] = await Promise.all([listPods(side.plane, namespace), getSidecarSet(side.plane, name)]);
    if (pods.length !== c.pods.length) return undefined;
    const settled = pods.every((pod) => isConsistent(pod) && (isReady(pod) || neverReady.has(pod.metadata!.name!)));
    const expected = expectedCounts(pods, sidecarSet.spec.containers?.[0]?.image ?? '');
    const status = countsOf(sidecarSet.status);
    if (!settled || sidecarSet.status?.observedGeneration !== sidecarSet.metadata?.generation || !sameCounts(status, expected)) {
      lastSeen = `pods settled: ${settled}; generation ${sidecarSet.metadata?.generation}, status ${JSON.stringify(sidecarSet.status)}; counted from the pods: ${JSON.stringify(expected)}`;
      return undefined;
    }
    return { pods, status };
  }, side).catch((error: Error) => {
    throw new Error(`${error.message.split('\n')[0]}\nlast seen: ${lastSeen}\n${error.message.split('\n').slice(1).join('\n')}`);
  });
}

/** Namespace, SidecarSet (paused) and pods, injected with the first image and settled. */
export async function setUp(side: RolloutSide, c: ParityCase): Promise<void> {
  const { plane } = side;
  const namespace = `parity-${c.id}`;
  const sidecarSet = paritySidecarSet(c);
  const name = sidecarSet.metadata!.name!;
  await requestJson(plane.kubeConfig, 'POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await until(`ServiceAccount ${namespace}/default`, 60_000, async () => (await requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`)) ?? undefined, side);
  await requestJson(plane.kubeConfig, 'POST', SIDECARSETS, {}, sidecarSet);
  // The pod webhook has the SidecarSet in its cache once a dry-run pod comes back injected with it.
  const probe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', labels: { [RUN_LABEL]: c.id } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } };
  await until(`${name} in the pod webhook's cache`, 60_000, async () => {
    const pod = await requestJson<Pod>(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, { dryRun: 'All' }, probe);
    return (pod.metadata?.annotations?.[INJECTED_LIST] ?? '').split(',').includes(name) ? true : undefined;
  }, side);
  await Promise.all(c.pods.map((pod, i) => requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, {}, parityPodManifest(c, pod, i, RESTART_DELAY))));
  const { pods } = await waitStable(side, c, name, `${c.pods.length} pods injected and settled`);
  const notInjected = pods.filter((p) => !(p.metadata?.annotations?.[INJECTED_LIST] ?? '').split(',').includes(name));
  if (notInjected.length) throw new Error(`${side.name}: pods not injected with ${name}: ${notInjected.map((p) => p.metadata?.name).join(', ')}`);
}

/** Changes the sidecar's image and runs the rollout round by round (see the top of this file). */
export async function rollOut(side: RolloutSide, c: ParityCase, maxRounds: number): Promise<RolloutRecord> {
  const { plane } = side;
  const namespace = `parity-${c.id}`;
  const name = paritySidecarSet(c).metadata!.name!;
  const changed = await patchSidecarSet(plane, name, [{ op: 'replace', path: '/spec/containers/0/image', value: SIDECAR_IMAGE_V2 }]);
  await until('the controller to see the new image', 60_000, async () => ((await getSidecarSet(plane, name)).status?.observedGeneration === changed.metadata?.generation ? true : undefined), side);
  const record: RolloutRecord = { rounds: [], status: { matchedPods: 0, updatedPods: 0, readyPods: 0, updatedReadyPods: 0 } };
  if (c.strategy.paused) {
    await sleep(QUIET_MS);
    record.updatedWhilePaused = (await listPods(plane, namespace)).filter(isUpdated).length;
  }
  let settled = await waitStable(side, c, name, 'the pods before the first round');
  for (let round = 0; round < maxRounds; round++) {
    const before = new Set(settled.pods.filter(isUpdated).map((p) => p.metadata!.name!));
    const unpaused = await setPaused(plane, name, false);
    let seenAt: number | undefined;
    let moved = false;
    const deadline = Date.now() + STABLE_TIMEOUT_MS;
    for (;;) {
      const pods = await listPods(plane, namespace);
      if (pods.some((p) => isUpdated(p) && !before.has(p.metadata!.name!))) {
        moved = true;
        break;
      }
      if (seenAt === undefined && (await getSidecarSet(plane, name)).status?.observedGeneration === unpaused.metadata?.generation) seenAt = Date.now();
      if (seenAt !== undefined && Date.now() - seenAt >= QUIET_MS) break;
      if (Date.now() > deadline) throw new Error(`${side.name}: the controller did not observe the unpause of round ${round + 1} in ${STABLE_TIMEOUT_MS} ms\n${side.logs()}`);
      await sleep(100);
    }
    await setPaused(plane, name, true);
    settled = await waitStable(side, c, name, `round ${round + 1} to settle`);
    if (!moved) break;
    record.rounds.push(settled.pods.filter((p) => isUpdated(p) && !before.has(p.metadata!.name!)).map((p) => p.metadata!.name!).sort());
  }
  record.status = settled.status;
  return record;
}

/** Removes the case's SidecarSet and namespace (not waiting for the pods to go). */
export async function tearDown(side: RolloutSide, c: ParityCase): Promise<void> {
  const ignoreMissing = (error: unknown) => {
    if (!(error instanceof KubernetesApiError && error.code === 404)) throw error;
  };
  await requestJson(side.plane.kubeConfig, 'DELETE', `${SIDECARSETS}/${paritySidecarSet(c).metadata!.name!}`).catch(ignoreMissing);
  await requestJson(side.plane.kubeConfig, 'DELETE', `/api/v1/namespaces/parity-${c.id}`).catch(ignoreMissing);
}
