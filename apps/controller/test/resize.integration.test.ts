// Sidecar resources changed in place through pods/resize, end to end on a real API server (1.36,
// which serves the subresource) with kwok playing the kubelet's resize: the budget holds at every
// pod event, nothing restarts for a resources-only change, an image + resources change does both in
// one round, a resize the node refuses (Infeasible) or the API server refuses (403) leaves the pod
// not upgradable with that reason and is not asked again.
import { isDeepStrictEqual } from 'node:util';
import type { Pod, ResourceRequirements, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPodReady, watchBudget } from './budgetWatcher.js';
import { apply, eventually, getJson, podsOf } from './rolloutHarness.js';

const LOGGER_V1 = 'registry.example/logger:1.0';
const SMALL: ResourceRequirements = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const BIG: ResourceRequirements = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 3 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await startSidecarsetController(plane, { extraArgs: ['--blocked-after-ms=3000'] });
});
afterAll(() => plane?.stop());

function loggerSet(name: string, maxUnavailable: number): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', maxUnavailable },
      containers: [{ name: 'logger', image: LOGGER_V1, resources: SMALL }],
    },
  };
}

function deployment(name: string, replicas: number, annotations: Record<string, string> = {}) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'sidecarset.dev/kwok-restart-delay': '1s', 'sidecarset.dev/kwok-resize-delay': '1s', ...annotations } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', resources: SMALL }] },
      },
    },
  };
}

const spec = (pod: Pod, name: string) => pod.spec?.containers.find((c) => c.name === name);
const status = (pod: Pod, name: string) => pod.status?.containerStatuses?.find((s) => s.name === name);
const resizing = (pod: Pod) => pod.status?.conditions?.some((c) => (c.type === 'PodResizeInProgress' || c.type === 'PodResizePending') && c.status === 'True') ?? false;
/** Resized to `target` and the kubelet runs it, the pod ready. */
const runsWith = (pod: Pod, target: ResourceRequirements) =>
  isDeepStrictEqual(spec(pod, 'logger')?.resources, target) && isDeepStrictEqual(status(pod, 'logger')?.resources, target) && !resizing(pod) && isPodReady(pod);
const unavailableOn = (target: ResourceRequirements) => (pod: Pod) => isDeepStrictEqual(spec(pod, 'logger')?.resources, target) && !runsWith(pod, target);
const upgradable = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === 'SidecarSetUpgradable');

async function setup(name: string, replicas: number, maxUnavailable: number, annotations: Record<string, string> = {}) {
  await plane.kubectl(['create', 'namespace', name]);
  await apply(plane, loggerSet(name, maxUnavailable));
  await untilWebhookInjects(plane.kubectl, { namespace: name, labels: { app: name }, container: 'logger' });
  await apply(plane, deployment(name, replicas, annotations));
  const selector = `app=${name}`;
  const pods = await eventually(() => podsOf(plane, name, selector), (p) => p.length === replicas && p.every((pod) => runsWith(pod, SMALL)), 90_000, `${replicas} ready pods with the small sidecar`);
  await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', name), (s) => s.status?.updatedReadyPods === replicas, 30_000, 'status: all updated and ready');
  return { namespace: name, selector, pods };
}

const patchSet = (name: string, ops: object[]) => plane.kubectl(['patch', 'sidecarset', name, '--type=json', '-p', JSON.stringify(ops)]);
const setResources = (name: string, resources: ResourceRequirements) => patchSet(name, [{ op: 'replace', path: '/spec/containers/0/resources', value: resources }]);

describe('resources resized in place (pods/resize)', () => {
  it('10 pods at maxUnavailable 2: resources only, the budget holds at every event, no container restarts, status counts them', async () => {
    const { namespace, selector, pods: before } = await setup('resize', 10, 2);
    const watcher = watchBudget(plane, namespace, selector, unavailableOn(BIG));
    await watcher.synced();
    expect((await setResources('resize', BIG)).code).toBe(0);
    const after = await eventually(() => podsOf(plane, namespace, selector), (p) => p.length === 10 && p.every((pod) => runsWith(pod, BIG)), 180_000, 'all 10 sidecars resized');
    const { max, seenUnavailable } = await watcher.stop();
    expect(seenUnavailable.size).toBe(10); // every pod's resize was seen in flight, so `max` covers them all
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(2);
    expect(after.map((p) => p.metadata?.uid).sort()).toEqual(before.map((p) => p.metadata?.uid).sort());
    for (const pod of after) {
      const old = before.find((b) => b.metadata?.uid === pod.metadata?.uid)!;
      for (const name of ['logger', 'app']) {
        expect(status(pod, name)?.restartCount).toBe(0);
        expect(status(pod, name)?.containerID).toBe(status(old, name)?.containerID);
      }
      expect(spec(pod, 'logger')?.image).toBe(LOGGER_V1);
      expect(spec(pod, 'app')?.resources).toEqual(SMALL); // app containers untouched
    }
    const set = await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'resize'), (s) => s.status?.updatedReadyPods === 10 && s.status?.observedGeneration === s.metadata?.generation, 30_000, 'status caught up');
    expect(set.status).toMatchObject({ matchedPods: 10, updatedPods: 10, readyPods: 10, updatedReadyPods: 10 });
  }, 300_000);

  it('image and resources together: the sidecar restarts once on the new image and runs with the new resources', async () => {
    const { namespace, selector } = await setup('resizeimage', 4, 1);
    const watcher = watchBudget(plane, namespace, selector, (pod) => spec(pod, 'logger')?.image === 'registry.example/logger:2.0' && !(runsWith(pod, BIG) && status(pod, 'logger')?.image === 'registry.example/logger:2.0' && status(pod, 'logger')?.ready === true));
    await watcher.synced();
    await patchSet('resizeimage', [{ op: 'replace', path: '/spec/containers/0/resources', value: BIG }, { op: 'replace', path: '/spec/containers/0/image', value: 'registry.example/logger:2.0' }]);
    const after = await eventually(
      () => podsOf(plane, namespace, selector),
      (p) => p.every((pod) => runsWith(pod, BIG) && status(pod, 'logger')?.image === 'registry.example/logger:2.0' && status(pod, 'logger')?.ready === true),
      180_000,
      'all 4 on the new image and resources',
    );
    const { max, seenUnavailable } = await watcher.stop();
    expect(seenUnavailable.size).toBe(4);
    expect(max).toBeLessThanOrEqual(1);
    for (const pod of after) {
      expect(status(pod, 'logger')?.restartCount).toBe(1);
      expect(status(pod, 'app')?.restartCount).toBe(0);
    }
  }, 240_000);

  it('a resize the node refuses (PodResizePending Infeasible): not upgradable with the node\'s reason, not asked again', async () => {
    const { namespace, selector } = await setup('infeasible', 3, 3, { 'sidecarset.dev/kwok-resize-max-cpu': '1' });
    const tooBig: ResourceRequirements = { requests: { cpu: '2', memory: '64Mi' }, limits: { cpu: '2', memory: '128Mi' } };
    await setResources('infeasible', tooBig);
    const refused = await eventually(
      () => podsOf(plane, namespace, selector),
      (p) => p.every((pod) => upgradable(pod)?.status === 'False'),
      60_000,
      'every pod marked not upgradable',
    );
    for (const pod of refused) {
      expect(upgradable(pod)?.message).toContain('the node refused to resize it in place (PodResizePending Infeasible');
      expect(upgradable(pod)?.message).toContain('keeps its current resources until it is recreated');
      expect(status(pod, 'logger')?.resources).toEqual(SMALL); // the kubelet kept what it had
      expect(isPodReady(pod)).toBe(true);
    }
    // No retry loop: nothing more is written to these pods while nothing changes.
    const versions = refused.map((p) => p.metadata?.resourceVersion);
    await new Promise((r) => setTimeout(r, 6000));
    expect((await podsOf(plane, namespace, selector)).map((p) => p.metadata?.resourceVersion)).toEqual(versions);
    const set = await getJson<SidecarSet>(plane, 'sidecarset', 'infeasible');
    expect(set.status).toMatchObject({ matchedPods: 3, updatedPods: 0 });
    const events = await getJson<{ items: { reason: string; message: string }[] }>(plane, 'events', '-n', namespace);
    expect(events.items.some((e) => e.reason === 'SidecarNotUpgradable' && e.message.includes('Infeasible'))).toBe(true);
  }, 180_000);

  it('a resize the API server refuses (403, beyond the node\'s allocatable): not upgradable with its message, asked once per pod', async () => {
    const { namespace, selector } = await setup('forbidden', 2, 2);
    await setResources('forbidden', { requests: { cpu: '100', memory: '64Mi' }, limits: { cpu: '100', memory: '128Mi' } });
    const refused = await eventually(
      () => podsOf(plane, namespace, selector),
      (p) => p.every((pod) => upgradable(pod)?.status === 'False'),
      60_000,
      'both pods marked not upgradable',
    );
    for (const pod of refused) {
      expect(upgradable(pod)?.message).toContain('the API server refused to resize it in place');
      expect(spec(pod, 'logger')?.resources).toEqual(SMALL);
    }
    const versions = refused.map((p) => p.metadata?.resourceVersion);
    await new Promise((r) => setTimeout(r, 6000));
    expect((await podsOf(plane, namespace, selector)).map((p) => p.metadata?.resourceVersion)).toEqual(versions);
  }, 180_000);
});
