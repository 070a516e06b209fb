// A HotUpgrade sidecar over one pod's life, as OpenKruise's controller takes it: injected as twins,
// the idle twin upgraded (and named working in the same write), restarted by the kubelet, the old
// twin flipped to the empty image, restarted; then a second upgrade takes the other twin.
import type { Pod, SidecarSet } from '@sidecarset/api';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION } from '../../annotations.js';
import { WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION } from '../../hotUpgrade/index.js';
import { planRollout } from '../planRollout.js';
import { podSidecarStatus } from '../podSidecarStatus.js';
import { podFollowUpPatch, podUpgradePatch } from '../podUpgradePatch.js';
import { makePod, makePods, makeSidecarSet, NOW, patched, restarted, withHashes } from '../rolloutFixtures.test-util.js';
import { sidecarSetStatus } from '../sidecarSetStatus.js';

const EMPTY = 'envoy:empty';
const hotSet = (image: string, resourceVersion: string, strategy = {}): SidecarSet => {
  const set = makeSidecarSet({
    name: 'mesh',
    containers: [{ name: 'envoy', image, upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: EMPTY } }],
    strategy,
  });
  return withHashes({ ...set, metadata: { ...set.metadata, resourceVersion } });
};
const v1 = hotSet('envoy:1', '100');
const v2 = hotSet('envoy:2', '200');
const v3 = hotSet('envoy:3', '300');

const images = (pod: Pod) => Object.fromEntries((pod.spec?.containers ?? []).map((c) => [c.name, c.image]));
const annotationsOf = (pod: Pod) => {
  const a = pod.metadata?.annotations ?? {};
  return {
    working: a[WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION],
    versions: Object.fromEntries(Object.entries(a).filter(([key]) => /^version(alt)?\.sidecarset\.kruise\.io\//.test(key)).sort()),
  };
};
const followedUp = (set: SidecarSet, pod: Pod): Pod => {
  const ops = podFollowUpPatch(set, pod, NOW);
  if (!ops) throw new Error('no follow-up due');
  return jsonpatch.applyPatch(structuredClone(pod), ops, true, false).newDocument;
};
/** Not ready while a container restarts, as the kubelet (and kwok) report it. */
const restarting = (pod: Pod): Pod => ({ ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: 'False' }] } });

describe('hot upgrade: injection', () => {
  const pod = makePod('web-1', { injectedWith: v1 });
  it('injects NAME-1 on the image and NAME-2 on the empty image, before the app container', () => {
    expect(images(pod)).toEqual({ 'envoy-1': 'envoy:1', 'envoy-2': EMPTY, app: 'web:1' });
    expect(pod.spec!.containers.map((c) => c.name)).toEqual(['envoy-1', 'envoy-2', 'app']);
  });
  it('gives both twins SIDECARSET_VERSION and SIDECARSET_VERSION_ALT from their annotations, after IS_INJECTED', () => {
    const env = pod.spec!.containers[1]!.env!;
    expect(env.map((e) => e.name)).toEqual(['IS_INJECTED', 'SIDECARSET_VERSION', 'SIDECARSET_VERSION_ALT']);
    expect(env[1]!.valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.annotations['version.sidecarset.kruise.io/envoy-2']" } });
    expect(env[2]!.valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.annotations['versionalt.sidecarset.kruise.io/envoy-2']" } });
  });
  it('writes the working twin and the version annotations as OpenKruise does', () => {
    expect(annotationsOf(pod)).toEqual({
      working: '{"envoy":"envoy-1"}',
      versions: {
        'version.sidecarset.kruise.io/envoy-1': '1',
        'version.sidecarset.kruise.io/envoy-2': '0',
        'versionalt.sidecarset.kruise.io/envoy-1': '0',
        'versionalt.sidecarset.kruise.io/envoy-2': '1',
      },
    });
  });
  it('records the sidecar, not its twins, in the hash annotation sidecarList', () => {
    expect(JSON.parse(pod.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!).mesh.sidecarList).toEqual(['envoy']);
  });
});

describe('hot upgrade: one pod through two upgrades', () => {
  const injected = makePod('web-1', { injectedWith: v1 });

  it('a pod at the old revision is upgradable, consistent and ready, and planned', () => {
    expect(podSidecarStatus(v2, injected)).toEqual({ updated: false, consistent: true, ready: true, upgradable: true });
    expect(planRollout(v2, [injected], NOW)).toMatchObject({ next: ['default/web-1'], followUps: [] });
  });

  const upgraded = patched(v2, injected);
  it('the upgrade puts the new image on the idle twin and names it working in the same write', () => {
    expect(images(upgraded)).toEqual({ 'envoy-1': 'envoy:1', 'envoy-2': 'envoy:2', app: 'web:1' });
    expect(annotationsOf(upgraded)).toEqual({
      working: '{"envoy":"envoy-2"}',
      versions: {
        'version.sidecarset.kruise.io/envoy-1': '1',
        'version.sidecarset.kruise.io/envoy-2': '200',
        'versionalt.sidecarset.kruise.io/envoy-1': '200',
        'versionalt.sidecarset.kruise.io/envoy-2': '1',
      },
    });
    expect(podSidecarStatus(v2, upgraded)).toMatchObject({ updated: true, consistent: false, ready: false });
  });

  it('no flip while the new twin has not restarted', () => {
    expect(planRollout(v2, [upgraded], NOW).followUps).toEqual([]);
    expect(podFollowUpPatch(v2, upgraded, NOW)).toBeUndefined();
  });

  const running = restarted(upgraded);
  it('once the new twin runs, the pod is consistent but not counted ready until the old twin is emptied', () => {
    expect(podSidecarStatus(v2, running)).toEqual({ updated: true, consistent: true, ready: false, upgradable: true });
    expect(sidecarSetStatus(v2, [running], 'rev')).toMatchObject({ updatedPods: 1, readyPods: 0, updatedReadyPods: 0 });
    expect(planRollout(v2, [running], NOW).followUps).toEqual(['default/web-1']);
  });

  const flipped = followedUp(v2, running);
  it('the flip sets the old twin to the empty image and its versions to "0", and leaves the hashes', () => {
    expect(images(flipped)).toEqual({ 'envoy-1': EMPTY, 'envoy-2': 'envoy:2', app: 'web:1' });
    expect(annotationsOf(flipped)).toEqual({
      working: '{"envoy":"envoy-2"}',
      versions: {
        'version.sidecarset.kruise.io/envoy-1': '0',
        'version.sidecarset.kruise.io/envoy-2': '200',
        'versionalt.sidecarset.kruise.io/envoy-1': '200',
        'versionalt.sidecarset.kruise.io/envoy-2': '0',
      },
    });
    expect(flipped.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]).toBe(running.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]);
    expect(podFollowUpPatch(v2, flipped, NOW)).toBeUndefined();
  });

  const settled = restarted(flipped);
  it('after the emptied twin restarts the pod is updated, consistent and ready', () => {
    expect(podSidecarStatus(v2, restarting(flipped))).toMatchObject({ consistent: false, ready: false });
    expect(podSidecarStatus(v2, settled)).toEqual({ updated: true, consistent: true, ready: true, upgradable: true });
    expect(planRollout(v2, [settled], NOW)).toMatchObject({ next: [], followUps: [], updated: 1, unavailable: 0 });
  });

  it('the next upgrade takes the other twin (the one now on the empty image)', () => {
    const again = patched(v3, settled);
    expect(images(again)).toEqual({ 'envoy-1': 'envoy:3', 'envoy-2': 'envoy:2', app: 'web:1' });
    expect(annotationsOf(again).working).toBe('{"envoy":"envoy-1"}');
    expect(annotationsOf(again).versions['versionalt.sidecarset.kruise.io/envoy-1']).toBe('200');
  });

  it('a new revision before the flip upgrades the twin that is not ready', () => {
    // envoy-2 (working, new) restarting, not ready; envoy-1 (old) ready: envoy-2 gets the next image.
    const statuses = running.status!.containerStatuses!.map((s) => (s.name === 'envoy-2' ? { ...s, ready: false } : s));
    const pod = { ...upgraded, status: { ...upgraded.status, containerStatuses: statuses } };
    const next = jsonpatch.applyPatch(structuredClone(pod), podUpgradePatch(v3, pod, NOW), true, false).newDocument;
    expect(images(next)).toEqual({ 'envoy-1': 'envoy:1', 'envoy-2': 'envoy:3', app: 'web:1' });
  });

  it('nothing changes while the working twin already runs the SidecarSet image', () => {
    const ops = podUpgradePatch(v2, settled, NOW);
    expect(ops.filter((op) => op.path.startsWith('/spec/'))).toEqual([]);
  });
});

describe('hot upgrade: the rollout', () => {
  it('a flip goes first: no other pod is upgraded in that round', () => {
    const pods = [restarted(patched(v2, makePod('web-0', { injectedWith: v1 }))), ...makePods(3, 'other', { injectedWith: v1 })];
    const plan = planRollout(hotSet('envoy:2', '200', { maxUnavailable: 5 }), pods, NOW);
    expect(plan.followUps).toEqual(['default/web-0']);
    expect(plan.next).toEqual([]);
    expect(plan.waiting.map((w) => w.reason)).toContain('1 pod first finish their hot upgrade (follow-up writes)');
  });

  it('no flip while the rollout is paused', () => {
    const pod = restarted(patched(v2, makePod('web-0', { injectedWith: v1 })));
    expect(planRollout(hotSet('envoy:2', '200', { paused: true }), [pod], NOW).followUps).toEqual([]);
  });

  it('budget, partition and canary apply as to a cold upgrade', () => {
    const pods = makePods(6, 'web', { injectedWith: v1 }).map((pod, i) => ({ ...pod, metadata: { ...pod.metadata, labels: { app: 'web', canary: String(i < 4) } } }));
    const plan = planRollout(hotSet('envoy:2', '200', { maxUnavailable: 2, partition: 1, selector: { matchLabels: { canary: 'true' } } }), pods, NOW);
    expect(plan.next).toHaveLength(2);
    expect(plan.waiting.filter((w) => w.reason.includes('canary'))).toHaveLength(2);
    expect(plan.waiting.filter((w) => w.reason.startsWith('partition'))).toHaveLength(1);
  });

  it('a hot-upgrading pod counts against maxUnavailable until its flip completes', () => {
    const busy = restarted(patched(v2, makePod('web-0', { injectedWith: v1 })));
    const flipped = restarted(followedUp(v2, busy));
    const others = makePods(2, 'other', { injectedWith: v1 });
    expect(planRollout(v2, [flipped, ...others], NOW).next).toHaveLength(1);
    const upgrading = patched(v2, makePod('web-0', { injectedWith: v1 }));
    expect(planRollout(v2, [upgrading, ...others], NOW)).toMatchObject({ next: [], unavailable: 1 });
  });

  it('a pod without its twins or without the working annotation is not counted', () => {
    const pod = makePod('web-0', { injectedWith: v1 });
    const { [WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]: _working, ...rest } = pod.metadata!.annotations!;
    const plan = planRollout(v2, [{ ...pod, metadata: { ...pod.metadata, annotations: rest } }], NOW);
    expect(plan.matched).toBe(0);
  });

  it('an env change of a hot sidecar is not upgradable, named on each twin', () => {
    const pod = makePod('web-0', { injectedWith: v1 });
    const changed = withHashes({ ...v2, spec: { ...v2.spec, containers: [{ ...v2.spec.containers![0]!, env: [{ name: 'A', value: 'b' }] }] } });
    const status = podSidecarStatus(changed, pod);
    expect(status.upgradable).toBe(false);
    expect(status.upgradable ? '' : status.reason).toMatch(/^container envoy-1: env A\b.* differs; container envoy-2: env A\b.* differs; only image changes in place, so the pod keeps its sidecar until it is recreated$/);
  });
});
