// Hot upgrade end to end: the real webhook injects a HotUpgrade sidecar as twins (envoy-1 working,
// envoy-2 on the empty image), the real controller rolls two new images out on a real API server and
// kwok restarts the twins as a kubelet would. A watch asserts at EVERY pod event that each pod has a
// working, ready sidecar: a twin whose status runs a non-empty image and is ready. It also records each
// pod's sequence of twin images and working annotation, which must be OpenKruise's: the idle twin gets
// the new image and is named working in the same write, then the old twin goes to the empty image.
import { pathInformer, type Pod, type SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, untilWebhookInjects, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPodReady, watchBudget } from './budgetWatcher.js';
import { apply, deployment, eventually, getJson, podsOf } from './rolloutHarness.js';

const ENVOY = (v: string) => `registry.example/envoy:${v}`;
const EMPTY = 'registry.example/envoy:empty';
const WORKING = 'kruise.io/sidecarset-working-hotupgrade-container';
const NAMESPACE = 'hot';
const SELECTOR = 'app=hot';
const REPLICAS = 8;
const MAX_UNAVAILABLE = 2;

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 3 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await startSidecarsetController(plane);
}, 300_000);
afterAll(() => plane?.stop());

const hotSidecarSet = (): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'mesh' },
  spec: {
    selector: { matchLabels: { app: 'hot' } },
    updateStrategy: { type: 'RollingUpdate', maxUnavailable: MAX_UNAVAILABLE },
    containers: [{ name: 'envoy', image: ENVOY('1.0'), upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: EMPTY } }],
  },
});

const spec = (pod: Pod, name: string) => pod.spec?.containers.find((c) => c.name === name);
const status = (pod: Pod, name: string) => pod.status?.containerStatuses?.find((s) => s.name === name);
const working = (pod: Pod): string | undefined => (JSON.parse(pod.metadata?.annotations?.[WORKING] ?? '{}') as Record<string, string>)['envoy'];
/** A twin the kubelet reports running a real (not the empty) image, ready. */
const hasWorkingReadySidecar = (pod: Pod): boolean =>
  ['envoy-1', 'envoy-2'].some((twin) => {
    const s = status(pod, twin);
    return s !== undefined && s.ready && s.image !== EMPTY && s.state?.running !== undefined;
  });
/** Done with `image`: the working twin runs it ready, the other one runs the empty image, the pod is Ready. */
const settledOn = (pod: Pod, image: string): boolean => {
  const w = working(pod);
  const idle = w === 'envoy-1' ? 'envoy-2' : 'envoy-1';
  return spec(pod, w ?? '')?.image === image && status(pod, w ?? '')?.image === image && status(pod, w ?? '')?.ready === true &&
    spec(pod, idle)?.image === EMPTY && status(pod, idle)?.image === EMPTY && status(pod, idle)?.ready === true && isPodReady(pod);
};
/** Given `image` by the controller but not yet settled on it: what maxUnavailable bounds. */
const unavailableOn = (image: string) => (pod: Pod) => ['envoy-1', 'envoy-2'].some((t) => spec(pod, t)?.image === image) && !settledOn(pod, image);
const snapshot = (pod: Pod) => `envoy-1=${spec(pod, 'envoy-1')?.image} envoy-2=${spec(pod, 'envoy-2')?.image} working=${working(pod)}`;

/** At every event: pods without a working ready sidecar (once they had one), and each pod's sequence of snapshots. */
function watchTwins() {
  const informer = pathInformer<Pod>(plane.kubeConfig, `/api/v1/namespaces/${NAMESPACE}/pods`, { labelSelector: SELECTOR });
  const violations: string[] = [];
  const sequences = new Map<string, string[]>();
  let events = 0;
  informer.subscribe(() => {
    events++;
    for (const pod of informer.list()) {
      const name = pod.metadata?.name ?? '';
      if (!hasWorkingReadySidecar(pod)) violations.push(`${name} at resourceVersion ${pod.metadata?.resourceVersion}: ${snapshot(pod)}; statuses ${JSON.stringify(pod.status?.containerStatuses?.map((s) => [s.name, s.image, s.ready]))}`);
      const seq = sequences.get(name) ?? [];
      if (seq[seq.length - 1] !== snapshot(pod)) seq.push(snapshot(pod));
      sequences.set(name, seq);
    }
  });
  informer.start();
  return {
    synced: () => informer.waitForSync(),
    async stop() {
      await informer.stop();
      return { violations, sequences, events };
    },
  };
}

const setImage = (image: string) => plane.kubectl(['patch', 'sidecarset', 'mesh', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: image }])]);

describe('hot upgrade', () => {
  it(`${REPLICAS} pods at maxUnavailable ${MAX_UNAVAILABLE}, two upgrades: a working ready sidecar at every event, OpenKruise's sequence of twins, the budget held, status counts them`, async () => {
    await plane.kubectl(['create', 'namespace', NAMESPACE]);
    await apply(plane, hotSidecarSet());
    await untilWebhookInjects(plane.kubectl, { namespace: NAMESPACE, labels: { app: 'hot' }, container: 'envoy-1' });
    await apply(plane, deployment('web', NAMESPACE, REPLICAS, { app: 'hot' }));
    const before = await eventually(() => podsOf(plane, NAMESPACE, SELECTOR), (p) => p.length === REPLICAS && p.every((pod) => settledOn(pod, ENVOY('1.0'))), 120_000, `${REPLICAS} pods with envoy-1 on 1.0 and envoy-2 on the empty image`);
    for (const pod of before) {
      expect(pod.spec?.containers.map((c) => c.name)).toEqual(['envoy-1', 'envoy-2', 'app']);
      expect(working(pod)).toBe('envoy-1');
      expect(spec(pod, 'envoy-2')?.env?.map((e) => e.name)).toEqual(['IS_INJECTED', 'SIDECARSET_VERSION', 'SIDECARSET_VERSION_ALT']);
    }
    await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'mesh'), (s) => s.status?.updatedReadyPods === REPLICAS, 30_000, 'status: all updated and ready');

    const twins = watchTwins();
    await twins.synced();
    for (const [step, image] of [ENVOY('2.0'), ENVOY('3.0')].entries()) {
      const budget = watchBudget(plane, NAMESPACE, SELECTOR, unavailableOn(image));
      await budget.synced();
      expect((await setImage(image)).code).toBe(0);
      await eventually(() => podsOf(plane, NAMESPACE, SELECTOR), (p) => p.length === REPLICAS && p.every((pod) => settledOn(pod, image)), 240_000, `all pods settled on ${image}`);
      const { max, seenUnavailable } = await budget.stop();
      expect(seenUnavailable.size, `upgrade ${step + 1}: every pod was seen upgrading`).toBe(REPLICAS);
      expect(max, `upgrade ${step + 1}: updated pods not settled at once`).toBeGreaterThan(0);
      expect(max, `upgrade ${step + 1}: updated pods not settled at once`).toBeLessThanOrEqual(MAX_UNAVAILABLE);
      const set = await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'mesh'), (s) => s.status?.updatedReadyPods === REPLICAS && s.status?.observedGeneration === s.metadata?.generation, 30_000, 'status caught up');
      expect(set.status).toMatchObject({ matchedPods: REPLICAS, updatedPods: REPLICAS, readyPods: REPLICAS, updatedReadyPods: REPLICAS });
    }
    const { violations, sequences, events } = await twins.stop();
    expect(events).toBeGreaterThan(REPLICAS * 8);
    expect(violations).toEqual([]);
    for (const [name, seq] of sequences) {
      expect(seq, name).toEqual([
        `envoy-1=${ENVOY('1.0')} envoy-2=${EMPTY} working=envoy-1`,
        `envoy-1=${ENVOY('1.0')} envoy-2=${ENVOY('2.0')} working=envoy-2`,
        `envoy-1=${EMPTY} envoy-2=${ENVOY('2.0')} working=envoy-2`,
        `envoy-1=${ENVOY('3.0')} envoy-2=${ENVOY('2.0')} working=envoy-1`,
        `envoy-1=${ENVOY('3.0')} envoy-2=${EMPTY} working=envoy-1`,
      ]);
    }

    const after = await podsOf(plane, NAMESPACE, SELECTOR);
    expect(after.map((p) => p.metadata?.uid).sort()).toEqual(before.map((p) => p.metadata?.uid).sort()); // in place
    for (const pod of after) {
      const a = pod.metadata!.annotations!;
      expect(status(pod, 'app')).toMatchObject({ restartCount: 0 });
      expect(status(pod, 'app')?.containerID).toBe(status(before.find((b) => b.metadata?.uid === pod.metadata?.uid)!, 'app')?.containerID);
      // Each twin restarted once per image it was given: 1.0 -> 2.0... envoy-2: empty -> 2.0 -> empty; envoy-1: 1.0 -> empty -> 3.0.
      expect(status(pod, 'envoy-1')?.restartCount).toBe(2);
      expect(status(pod, 'envoy-2')?.restartCount).toBe(2);
      // Versions: the working twin's is the SidecarSet's resourceVersion at its upgrade, the idle one "0".
      expect(a['version.sidecarset.kruise.io/envoy-2']).toBe('0');
      expect(a['versionalt.sidecarset.kruise.io/envoy-1']).toBe('0');
      expect(a['version.sidecarset.kruise.io/envoy-1']).toMatch(/^[1-9]\d*$/);
      expect(a['versionalt.sidecarset.kruise.io/envoy-2']).toBe(a['version.sidecarset.kruise.io/envoy-1']);
    }
  }, 900_000);
});
