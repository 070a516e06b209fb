// The controller as an operator runs it: killed mid-rollout it resumes without exceeding the budget;
// two replicas, one writer, and the standby takes over; scatter spreads the first round.
import type { Lease, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, SIDECARSET_NAMESPACE, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, deployment, eventually, getJson, LOGGER_IMAGE_V1, LOGGER_IMAGE_V2, loggerSidecarSet, podsOf, updatedReady, watchUnavailability, withImage } from './rolloutHarness.js';

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 3 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
});
afterAll(() => plane?.stop());

const setImage = (name: string, image: string) => plane.kubectl(['patch', 'sidecarset', name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: image }])]);
const leaseHolder = async () => (await getJson<Lease>(plane, 'lease', 'sidecarset-controller', '-n', SIDECARSET_NAMESPACE)).spec?.holderIdentity ?? '';

async function setup(name: string, replicas: number, strategy: NonNullable<SidecarSet['spec']['updateStrategy']>, deployments: Record<string, string>[] = [{ app: name }]) {
  await plane.kubectl(['create', 'namespace', name]);
  await apply(plane, loggerSidecarSet(name, name, strategy));
  await untilWebhookInjects(plane.kubectl, { namespace: name, labels: { app: name, ...deployments[0] }, container: 'logger' });
  for (const [i, labels] of deployments.entries()) await apply(plane, deployment(`web-${i}`, name, replicas, { app: name, ...labels }));
  const total = replicas * deployments.length;
  await eventually(() => podsOf(plane, name, `app=${name}`), (p) => updatedReady(p, LOGGER_IMAGE_V1) === total, 60_000, `${total} ready pods`);
  return { namespace: name, selector: `app=${name}`, total };
}

describe('controller resilience', () => {
  it('two replicas: only the leader writes, and the standby takes over when the leader dies', async () => {
    const first = await startSidecarsetController(plane, { identity: 'replica-a', leaseDurationMs: 3000 });
    await eventually(leaseHolder, (h) => h === 'replica-a', 15_000, 'replica-a leading');
    const second = await startSidecarsetController(plane, { identity: 'replica-b', leaseDurationMs: 3000 });
    const { namespace, selector } = await setup('failover', 4, { maxUnavailable: 2 });
    expect(await leaseHolder()).toBe('replica-a');
    // Only the leader reconciles: the standby's log shows no reconcile work and no writes.
    expect(second.logs()).not.toContain('leading: reconciling');

    await first.kill(); // SIGKILL: no release
    const tookOver = Date.now();
    await eventually(leaseHolder, (h) => h === 'replica-b', 15_000, 'replica-b leading');
    expect(Date.now() - tookOver).toBeLessThan(3000 + 3000); // within the lease duration (plus a retry)
    await setImage('failover', LOGGER_IMAGE_V2);
    await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 4, 60_000, 'the new leader rolled out');
    await second.stop(); // SIGTERM: releases the Lease
    expect(await leaseHolder()).toBe('');
  }, 180_000);

  it('killed with SIGKILL mid-rollout and restarted, it resumes without exceeding the budget', async () => {
    let controller = await startSidecarsetController(plane, { identity: 'crashy', leaseDurationMs: 2000 });
    const { namespace, selector, total } = await setup('crash', 12, { maxUnavailable: 2 });
    const watcher = watchUnavailability(plane, namespace, selector, LOGGER_IMAGE_V2);
    await watcher.synced();
    await setImage('crash', LOGGER_IMAGE_V2);
    await eventually(() => podsOf(plane, namespace, selector), (p) => withImage(p, LOGGER_IMAGE_V2) >= 4, 60_000, 'the rollout under way');
    await controller.kill();
    controller = await startSidecarsetController(plane, { identity: 'crashy', leaseDurationMs: 2000 });
    await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === total, 120_000, 'all pods on v2 after the restart');
    const { max, seenUnavailable } = await watcher.stop();
    expect(seenUnavailable.size).toBe(total);
    expect(max).toBeLessThanOrEqual(2);
    await controller.stop();
  }, 180_000);

  it('scatter spreads the first round over the label values', async () => {
    const controller = await startSidecarsetController(plane, { identity: 'scatter', leaseDurationMs: 2000 });
    const { namespace, selector } = await setup('scatter', 4, { maxUnavailable: 2, scatterStrategy: [{ key: 'group', value: '*' }] }, [{ group: 'a' }, { group: 'b' }]);
    await setImage('scatter', LOGGER_IMAGE_V2);
    const firstRound = await eventually(() => podsOf(plane, namespace, selector), (p) => withImage(p, LOGGER_IMAGE_V2) >= 2, 60_000, 'the first round');
    const groups = firstRound.filter((p) => p.spec?.containers.some((c) => c.name === 'logger' && c.image === LOGGER_IMAGE_V2)).map((p) => p.metadata?.labels?.group);
    expect(new Set(groups.slice(0, 2))).toEqual(new Set(['a', 'b']));
    await eventually(() => podsOf(plane, namespace, selector), (p) => updatedReady(p, LOGGER_IMAGE_V2) === 8, 60_000, 'all 8 updated');
    await controller.stop();
  }, 180_000);
});
