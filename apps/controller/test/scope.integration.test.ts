// The controller acts only on pods a SidecarSet selects now: a pod that carries the injected-list
// annotation (its author can write it) but sits in a namespace the namespaceSelector does not select,
// or whose labels the selector does not match, is never counted, conditioned, evented or upgraded,
// while the SidecarSet's own pods roll out. A namespace relabelled into the selector brings its pods in.
import type { Container, Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, untilWebhookInjects, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, deployment, eventually, getJson, LOGGER_IMAGE_V1, LOGGER_IMAGE_V2, loggerSidecarSet, podsOf, updatedReady } from './rolloutHarness.js';

const INSIDE = 'scope-inside';
const OUTSIDE = 'scope-outside';
const CONDITION = 'SidecarSetUpgradable';

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 2 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await startSidecarsetController(plane);
}, 180_000);
afterAll(() => plane?.stop());

const namespace = (name: string, sidecars: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { sidecars } } });
const withoutTokenMount = (container: Container): Container => ({
  ...container,
  volumeMounts: container.volumeMounts?.filter((m) => !m.mountPath.startsWith('/var/run/secrets/')),
});

/**
 * A pod written to look injected: the injected pod's annotations (injected list and hashes) and
 * containers, byte for byte, in `ns` with `labels`; `logger` lets the sidecar differ.
 */
function forgedCopy(of: Pod, name: string, ns: string, labels: Record<string, string>, logger?: (c: Container) => Container): Pod {
  const annotations = { ...of.metadata?.annotations };
  // A sidecar that differs, without the without-image hash that would vouch for it: not upgradable.
  if (logger) delete annotations['kruise.io/sidecarset-hash-without-image'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, annotations },
    spec: {
      automountServiceAccountToken: false,
      containers: of.spec!.containers.map(withoutTokenMount).map((c) => (c.name === 'logger' && logger ? logger(c) : c)),
      volumes: of.spec!.volumes?.filter((v) => v.name === 'logs'),
    },
  };
}

const sidecarImage = (pod: Pod) => pod.spec?.containers.find((c) => c.name === 'logger')?.image;
const upgradable = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === CONDITION);
const podNamed = (ns: string, name: string) => getJson<Pod>(plane, 'pod', name, '-n', ns);
const eventsAbout = async (ns: string, name: string) =>
  (await getJson<{ items: { reason: string }[] }>(plane, 'events', '-n', ns, '--field-selector', `involvedObject.name=${name}`)).items.map((e) => e.reason);
const readyRunning = (pod: Pod) => pod.status?.phase === 'Running' && (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

describe('the controller acts only on pods its SidecarSet selects now', () => {
  it('ignores forged injected pods outside the namespaceSelector or the selector, and upgrades its own', async () => {
    await apply(plane, namespace(INSIDE, 'on'));
    await apply(plane, namespace(OUTSIDE, 'off'));
    const sidecarSet: SidecarSet = loggerSidecarSet('scoped', 'scoped', { maxUnavailable: 2 });
    sidecarSet.spec.namespaceSelector = { matchLabels: { sidecars: 'on' } };
    await apply(plane, sidecarSet);
    await untilWebhookInjects(plane.kubectl, { namespace: INSIDE, labels: { app: 'scoped' }, container: 'logger' });
    await apply(plane, deployment('web', INSIDE, 3, { app: 'scoped' }));
    const injected = await eventually(() => podsOf(plane, INSIDE, 'app=scoped'), (p) => p.length === 3 && updatedReady(p, LOGGER_IMAGE_V1) === 3, 60_000, '3 injected pods ready');
    await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'scoped'), (s) => s.status?.matchedPods === 3 && s.status?.updatedReadyPods === 3, 30_000, 'status: 3 matched');

    // Forgeries of an injected pod (annotations and sidecar copied), each out of the SidecarSet's scope:
    const forged = [
      // in a namespace the namespaceSelector does not select: the old controller upgraded it in place,
      forgedCopy(injected[0]!, 'copy', OUTSIDE, { app: 'scoped' }),
      // ditto with a sidecar that differs beyond its image: the old one conditioned and evented it,
      forgedCopy(injected[0]!, 'unupgradable', OUTSIDE, { app: 'scoped' }, (c) => ({ ...c, env: [{ name: 'LEVEL', value: 'forged' }, ...(c.env ?? []).filter((e) => e.name !== 'LEVEL')] })),
      // in a selected namespace with labels the selector does not match.
      forgedCopy(injected[0]!, 'relabelled', INSIDE, { app: 'other' }),
    ];
    for (const pod of forged) await apply(plane, pod);
    const forgedKeys = forged.map((p) => [p.metadata!.namespace!, p.metadata!.name!] as const);
    await eventually(() => Promise.all(forgedKeys.map(([ns, name]) => podNamed(ns, name))), (pods) => pods.every(readyRunning), 60_000, 'forged pods running');
    for (const [ns, name] of forgedKeys) expect(sidecarImage(await podNamed(ns, name))).toBe(LOGGER_IMAGE_V1); // the webhook left them as written

    await plane.kubectl(['patch', 'sidecarset', 'scoped', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: LOGGER_IMAGE_V2 }])]);
    await eventually(() => podsOf(plane, INSIDE, 'app=scoped'), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 3, 90_000, 'the 3 selected pods on v2');
    await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'scoped'), (s) => (s.status?.updatedReadyPods ?? 0) >= 3, 30_000, 'status caught up');
    await new Promise((r) => setTimeout(r, 3000)); // a few more reconciles
    expect((await getJson<SidecarSet>(plane, 'sidecarset', 'scoped')).status).toMatchObject({ matchedPods: 3, updatedPods: 3, readyPods: 3, updatedReadyPods: 3 });
    for (const [ns, name] of forgedKeys) {
      const pod = await podNamed(ns, name);
      expect(sidecarImage(pod), `${ns}/${name} sidecar image`).toBe(LOGGER_IMAGE_V1);
      expect(upgradable(pod), `${ns}/${name} condition`).toBeUndefined();
      expect(await eventsAbout(ns, name), `${ns}/${name} events`).not.toContain('SidecarNotUpgradable');
    }
    const rolloutEvents = await eventsAbout('default', 'scoped');
    expect(rolloutEvents).toContain('RolloutComplete');

    // Relabelled into the namespaceSelector, the namespace's pods are the SidecarSet's now.
    await plane.kubectl(['label', 'namespace', OUTSIDE, 'sidecars=on', '--overwrite']);
    await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'scoped'), (s) => s.status?.matchedPods === 5, 30_000, 'status: the 2 pods of the relabelled namespace matched');
    await eventually(() => podNamed(OUTSIDE, 'copy'), (p) => sidecarImage(p) === LOGGER_IMAGE_V2, 60_000, 'the now-selected copy upgraded');
    await eventually(() => podNamed(OUTSIDE, 'unupgradable'), (p) => upgradable(p)?.status === 'False', 30_000, 'the now-selected unupgradable pod explained');
    expect(sidecarImage(await podNamed(INSIDE, 'relabelled'))).toBe(LOGGER_IMAGE_V1);
  }, 300_000);
});
