// In-place rollout on a real control plane with kwok kubelets, the real webhook and the real
// controller binary: the budget holds at every moment, partition and canary stop where they should,
// a change beyond images patches nothing and says why, a stuck image stalls at the budget and says so.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { readFileSync } from 'node:fs';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane, type SidecarsetController } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, deployment, eventually, getJson, LOGGER_IMAGE_V1, LOGGER_IMAGE_V2, loggerSidecarSet, podsOf, unavailableUpdated, updatedReady, watchUnavailability, withImage } from './rolloutHarness.js';

let plane: ControlPlane;
let controller: SidecarsetController;
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 3 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  controller = await startSidecarsetController(plane, { extraArgs: ['--blocked-after-ms=3000'] });
});

/** The controller's sidecarset_rollout_blocked for one SidecarSet, from /metrics on the port its log names. */
async function rolloutBlockedMetric(name: string): Promise<string | undefined> {
  const port = /"port":(\d+)/.exec(readFileSync(controller.process.logFile, 'utf8').split('\n').find((l) => l.includes('health server listening')) ?? '')?.[1];
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  return new RegExp(`^sidecarset_rollout_blocked\\{sidecarset="${name}"\\} (\\d+)$`, 'm').exec(text)?.[1];
}
afterAll(() => plane?.stop());

async function rolloutSetup(name: string, replicas: number, strategy: NonNullable<SidecarSet['spec']['updateStrategy']>) {
  const namespace = name;
  await plane.kubectl(['create', 'namespace', namespace]);
  await apply(plane, loggerSidecarSet(name, name, strategy));
  await untilWebhookInjects(plane.kubectl, { namespace, labels: { app: name }, container: 'logger' });
  await apply(plane, deployment('web', namespace, replicas, { app: name }));
  await eventually(() => podsOf(plane, namespace, `app=${name}`), (pods) => pods.length === replicas && updatedReady(pods, LOGGER_IMAGE_V1) === replicas, 60_000, `${replicas} ready pods with the v1 sidecar`);
  await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', name), (s) => s.status?.matchedPods === replicas && s.status?.updatedReadyPods === replicas, 30_000, 'status: all matched, updated and ready');
  return { namespace, selector: `app=${name}` };
}

const setImage = (name: string, image: string) => plane.kubectl(['patch', 'sidecarset', name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: image }])]);

describe('in-place rolling update', () => {
  it('20 pods at maxUnavailable 3: never more than 3 updated pods unavailable, all converge, app containers untouched', async () => {
    const { namespace, selector } = await rolloutSetup('rolling', 20, { maxUnavailable: 3 });
    const before = await podsOf(plane, namespace, selector);
    const watcher = watchUnavailability(plane, namespace, selector, LOGGER_IMAGE_V2);
    await watcher.synced();
    expect((await setImage('rolling', LOGGER_IMAGE_V2)).code).toBe(0);
    const pods = await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 20, 120_000, 'all 20 pods on v2 and ready');
    const { max, seenUnavailable } = await watcher.stop();
    expect(seenUnavailable.size).toBe(20); // the watch saw every pod's upgrade, so `max` covers them all
    expect(max).toBeLessThanOrEqual(3);
    // Same pods (in place), app container untouched and never restarted.
    expect(pods.map((p) => p.metadata?.uid).sort()).toEqual(before.map((p) => p.metadata?.uid).sort());
    for (const pod of pods) {
      expect(pod.spec?.containers.find((c) => c.name === 'app')?.image).toBe('registry.example/app:1.0');
      expect(pod.status?.containerStatuses?.find((s) => s.name === 'app')?.restartCount).toBe(0);
      expect(pod.status?.containerStatuses?.find((s) => s.name === 'logger')?.restartCount).toBe(1);
    }
    const status = await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'rolling'), (s) => s.status?.updatedReadyPods === 20, 30_000, 'status caught up');
    expect(status.status).toMatchObject({ matchedPods: 20, updatedPods: 20, readyPods: 20, updatedReadyPods: 20 });
    expect(status.status?.latestRevision).toMatch(/^rolling-/);
  }, 240_000);

  it('partition 50% stops at 10 updated pods', async () => {
    const { namespace, selector } = await rolloutSetup('partitioned', 20, { maxUnavailable: 5, partition: '50%' });
    await setImage('partitioned', LOGGER_IMAGE_V2);
    await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 10, 90_000, '10 pods on v2');
    await new Promise((r) => setTimeout(r, 4000)); // and it stays there
    const pods = await podsOf(plane, namespace, selector);
    expect(withImage(pods, LOGGER_IMAGE_V2)).toBe(10);
    expect(withImage(pods, LOGGER_IMAGE_V1)).toBe(10);
  }, 180_000);

  it('a canary selector updates only the labelled pods', async () => {
    const { namespace, selector } = await rolloutSetup('canary', 6, { maxUnavailable: 2, selector: { matchLabels: { canary: 'true' } } });
    const pods = await podsOf(plane, namespace, selector);
    const canaries = pods.slice(0, 2).map((p) => p.metadata!.name!);
    for (const pod of canaries) await plane.kubectl(['label', 'pod', pod, '-n', namespace, 'canary=true']);
    await setImage('canary', LOGGER_IMAGE_V2);
    await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 2, 60_000, 'the 2 canaries on v2');
    await new Promise((r) => setTimeout(r, 3000));
    const after = await podsOf(plane, namespace, selector);
    expect(after.filter((p) => p.spec?.containers.find((c) => c.name === 'logger')?.image === LOGGER_IMAGE_V2).map((p) => p.metadata?.name).sort()).toEqual(canaries.sort());
  }, 120_000);

  it('an env-only change patches no pod, sets SidecarSetUpgradable=False and shows in status', async () => {
    const { namespace, selector } = await rolloutSetup('envonly', 3, { maxUnavailable: 1 });
    const before = await podsOf(plane, namespace, selector);
    await plane.kubectl(['patch', 'sidecarset', 'envonly', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/env/0/value', value: 'debug' }])]);
    const pods = await eventually(
      () => podsOf(plane, namespace, selector),
      (p) => p.every((pod) => pod.status?.conditions?.some((c) => c.type === 'SidecarSetUpgradable' && c.status === 'False')),
      30_000,
      'every pod marked not upgradable',
    );
    const condition = pods[0]!.status!.conditions!.find((c) => c.type === 'SidecarSetUpgradable')!;
    expect(condition.message).toContain('env');
    // Nothing but the status changed: same spec generation of every pod, same sidecar.
    for (const pod of pods) {
      const old = before.find((b) => b.metadata?.uid === pod.metadata?.uid)!;
      expect(pod.spec).toEqual(old.spec);
      expect(pod.metadata?.annotations).toEqual(old.metadata?.annotations);
    }
    const status = await eventually(() => getJson<SidecarSet>(plane, 'sidecarset', 'envonly'), (s) => s.status?.observedGeneration === s.metadata?.generation, 30_000, 'status observed the change');
    expect(status.status).toMatchObject({ matchedPods: 3, updatedPods: 0 });
    const events = await getJson<{ items: { reason: string; involvedObject: { name: string } }[] }>(plane, 'events', '-n', namespace);
    expect(events.items.some((e) => e.reason === 'SidecarNotUpgradable')).toBe(true);
  }, 120_000);

  it('an image that never becomes ready stalls at the budget and says so; fixing the image resumes', async () => {
    const { namespace, selector } = await rolloutSetup('stuck', 6, { maxUnavailable: 2 });
    const broken = 'registry.example/logger:2.0-never-ready';
    await setImage('stuck', broken);
    await eventually(() => podsOf(plane, namespace, selector), (p) => withImage(p, broken) === 2, 60_000, '2 pods moved to the broken image');
    await new Promise((r) => setTimeout(r, 5000));
    const stalled = await podsOf(plane, namespace, selector);
    expect(withImage(stalled, broken)).toBe(2);
    expect(unavailableUpdated(stalled, broken)).toBe(2);
    const status = await getJson<SidecarSet>(plane, 'sidecarset', 'stuck');
    expect(status.status).toMatchObject({ matchedPods: 6, updatedPods: 2 });
    // Written as OpenKruise writes it (omitempty): a count of 0 is left out.
    expect(status.status?.updatedReadyPods ?? 0).toBe(0);
    const events = await eventually(
      () => getJson<{ items: { reason: string; message: string }[] }>(plane, 'events', '-n', 'default', '--field-selector', 'involvedObject.name=stuck'),
      (e) => e.items.some((i) => i.reason === 'RolloutBlocked'),
      30_000,
      'a RolloutBlocked event',
    );
    expect(events.items.find((i) => i.reason === 'RolloutBlocked')!.message).toContain('maxUnavailable 2');
    // What the chart's SidecarsetRolloutBlocked alert reads.
    await eventually(() => rolloutBlockedMetric('stuck'), (v) => v === '1', 30_000, 'sidecarset_rollout_blocked 1');

    await setImage('stuck', LOGGER_IMAGE_V2);
    await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 6, 90_000, 'all 6 on the fixed image');
    await eventually(() => rolloutBlockedMetric('stuck'), (v) => v === '0', 30_000, 'sidecarset_rollout_blocked back to 0');
  }, 180_000);
});

export type { Pod };
