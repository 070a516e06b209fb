// Native sidecars (initContainers with restartPolicy Always) upgraded in place, end to end: the real
// webhook injects them, the real controller patches their image on a real API server, kwok restarts
// them as a kubelet would. OpenKruise 1.9 leaves such a sidecar alone (its #1671); we roll it out
// like any sidecar: budget, completion from initContainerStatuses[].imageID, status counts.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPodReady, watchBudget } from './budgetWatcher.js';
import { apply, deployment, eventually, getJson, podsOf } from './rolloutHarness.js';

const PROXY_V1 = 'registry.example/proxy:1.0';
const PROXY_V2 = 'registry.example/proxy:2.0';

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 3 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await startSidecarsetController(plane, { extraArgs: ['--blocked-after-ms=3000'] });
});
afterAll(() => plane?.stop());

function nativeSidecarSet(name: string, maxUnavailable: number): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', maxUnavailable },
      initContainers: [{ name: 'proxy', image: PROXY_V1, restartPolicy: 'Always' }],
    },
  };
}

const proxySpec = (pod: Pod) => pod.spec?.initContainers?.find((c) => c.name === 'proxy');
const proxyStatus = (pod: Pod) => pod.status?.initContainerStatuses?.find((s) => s.name === 'proxy');
const appStatus = (pod: Pod) => pod.status?.containerStatuses?.find((s) => s.name === 'app');
const runsReady = (pod: Pod, image: string) => proxySpec(pod)?.image === image && proxyStatus(pod)?.image === image && proxyStatus(pod)?.ready === true && isPodReady(pod);
/** Moved to `image` by the controller, but not yet running it ready: what maxUnavailable bounds. */
const unavailableOn = (image: string) => (pod: Pod) => proxySpec(pod)?.image === image && !runsReady(pod, image);

async function setup(name: string, replicas: number, maxUnavailable: number) {
  await plane.kubectl(['create', 'namespace', name]);
  await apply(plane, nativeSidecarSet(name, maxUnavailable));
  await untilWebhookInjects(plane.kubectl, { namespace: name, labels: { app: name }, container: 'proxy' });
  await apply(plane, deployment('web', name, replicas, { app: name }));
  const selector = `app=${name}`;
  const pods = await eventually(() => podsOf(plane, name, selector), (p) => p.length === replicas && p.every((pod) => runsReady(pod, PROXY_V1)), 90_000, `${replicas} ready pods with the v1 native sidecar`);
  await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', name), (s) => s.status?.matchedPods === replicas && s.status?.updatedReadyPods === replicas, 30_000, 'status: all matched, updated and ready');
  return { namespace: name, selector, pods };
}

const setProxyImage = (name: string, image: string) =>
  plane.kubectl(['patch', 'sidecarset', name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/initContainers/0/image', value: image }])]);

describe('native sidecar in-place upgrade', () => {
  it('12 pods at maxUnavailable 2: the budget holds at every event, imageIDs move, app containers untouched, status counts them', async () => {
    const { namespace, selector, pods: before } = await setup('native', 12, 2);
    // Injected as a native sidecar: an init container with restartPolicy Always, the app untouched.
    for (const pod of before) {
      expect(proxySpec(pod)).toMatchObject({ image: PROXY_V1, restartPolicy: 'Always' });
      expect(pod.spec?.containers.map((c) => c.name)).toEqual(['app']);
    }
    const watcher = watchBudget(plane, namespace, selector, unavailableOn(PROXY_V2));
    await watcher.synced();
    expect((await setProxyImage('native', PROXY_V2)).code).toBe(0);
    const after = await eventually(() => podsOf(plane, namespace, selector), (p) => p.length === 12 && p.every((pod) => runsReady(pod, PROXY_V2)), 180_000, 'all 12 native sidecars on v2 and ready');
    const { max, seenUnavailable, events } = await watcher.stop();
    expect(seenUnavailable.size).toBe(12); // every pod's restart was seen, so `max` covers them all
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(2);
    expect(events).toBeGreaterThan(12);

    expect(after.map((p) => p.metadata?.uid).sort()).toEqual(before.map((p) => p.metadata?.uid).sort()); // same pods: in place
    for (const pod of after) {
      const old = before.find((b) => b.metadata?.uid === pod.metadata?.uid)!;
      // The kubelet's view moved on: a new imageID (what completion is read from) and one restart.
      expect(proxyStatus(pod)!.imageID).not.toBe(proxyStatus(old)!.imageID);
      expect(proxyStatus(pod)!.imageID).toMatch(/^registry\.example\/proxy@sha256:[0-9a-f]{64}$/);
      expect(proxyStatus(pod)!.restartCount).toBe(1);
      // App container: same spec, same container, never restarted.
      expect(pod.spec?.containers).toEqual(old.spec?.containers);
      expect(appStatus(pod)!.containerID).toBe(appStatus(old)!.containerID);
      expect(appStatus(pod)!.restartCount).toBe(0);
      // The in-place-update state recorded the imageID the sidecar ran before the patch.
      const state = JSON.parse(pod.metadata?.annotations?.['kruise.io/sidecarset-inplace-update-state'] ?? '{}') as Record<string, { lastContainerStatuses?: Record<string, { imageID?: string }> }>;
      expect(state['native']?.lastContainerStatuses?.['proxy']?.imageID).toBe(proxyStatus(old)!.imageID);
    }
    const status = await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'native'), (s) => s.status?.updatedReadyPods === 12 && s.status?.observedGeneration === s.metadata?.generation, 30_000, 'status caught up');
    expect(status.status).toMatchObject({ matchedPods: 12, updatedPods: 12, readyPods: 12, updatedReadyPods: 12 });
  }, 300_000);

  it('a native sidecar image that never becomes ready stalls the rollout at the budget and is counted as not ready', async () => {
    const { namespace, selector } = await setup('nativestuck', 5, 2);
    const broken = 'registry.example/proxy:2.0-never-ready';
    await setProxyImage('nativestuck', broken);
    await eventually(() => podsOf(plane, namespace, selector), (p) => p.filter((pod) => proxySpec(pod)?.image === broken).length === 2, 60_000, '2 pods moved to the broken image');
    await new Promise((r) => setTimeout(r, 5000)); // and no more follow
    const stalled = await podsOf(plane, namespace, selector);
    expect(stalled.filter((pod) => proxySpec(pod)?.image === broken)).toHaveLength(2);
    for (const pod of stalled.filter((p) => proxySpec(p)?.image === broken)) {
      expect(proxyStatus(pod)).toMatchObject({ image: broken, ready: false, restartCount: 1 });
      expect(isPodReady(pod)).toBe(false);
    }
    const status = await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'nativestuck'), (s) => s.status?.updatedPods === 2, 30_000, 'status: 2 updated');
    expect(status.status).toMatchObject({ matchedPods: 5, updatedPods: 2, readyPods: 3 });
    expect(status.status?.updatedReadyPods ?? 0).toBe(0); // a zero may be left out of the stored status
    await setProxyImage('nativestuck', PROXY_V2);
    await eventually(() => podsOf(plane, namespace, selector), (p) => p.every((pod) => runsReady(pod, PROXY_V2)), 120_000, 'all 5 on the fixed image');
  }, 240_000);
});
