// The resize kind over a pod's life: planned under the same budget as image swaps, written through
// pods/resize (podResizePatch) and not in the pod patch, complete when the kubelet reports the
// resources, refused (not upgradable, never planned again) when the node says Infeasible, the API
// server refused it, or the API server would (QoS class, a resource other than cpu and memory); and
// on a cluster without pods/resize, today's "not upgradable" with a reason that says so.
import type { Pod, ResourceRequirements, SidecarSet } from '@sidecarset/api';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { planRollout, podUpgradeKinds } from '../planRollout.js';
import { podSidecarStatus } from '../podSidecarStatus.js';
import { podResizePatch, podResizeRefusalKey, podUpgradePatch } from '../podUpgradePatch.js';
import { sidecarSetStatus } from '../sidecarSetStatus.js';
import { makePod, makePods, makeSidecarSet, NOW, patched, restarted, withHashes } from '../rolloutFixtures.test-util.js';
import { podQosClass, sameResources } from './resizeResources.js';

const RESIZE = { podResize: true };
const small: ResourceRequirements = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const big: ResourceRequirements = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

const setWith = (resources: ResourceRequirements, image = 'logtail:1', maxUnavailable = 1): SidecarSet =>
  makeSidecarSet({ containers: [{ name: 'logtail', image, resources }], strategy: { maxUnavailable } });

const v1 = setWith(small);
const reportResources = (pod: Pod): Pod => ({
  ...pod,
  status: {
    ...pod.status,
    containerStatuses: pod.status?.containerStatuses?.map((s) => {
      const spec = pod.spec?.containers.find((c) => c.name === s.name);
      return spec?.resources ? { ...s, resources: spec.resources, allocatedResources: spec.resources.requests } : s;
    }),
  },
});
const fresh = (name: string) => reportResources(makePod(name, { injectedWith: v1 }));

/** The controller's two writes: pods/resize, then the pod patch computed from the pod it returned. */
function upgraded(set: SidecarSet, pod: Pod): Pod {
  const resize = podResizePatch(set, pod, RESIZE);
  const resized = resize ? { ...jsonpatch.applyPatch(structuredClone(pod), resize, true, false).newDocument } : pod;
  const bumped = { ...resized, metadata: { ...resized.metadata, resourceVersion: String(Number(resized.metadata?.resourceVersion) + 1), generation: (resized.metadata?.generation ?? 1) + (resize ? 1 : 0) } };
  const ops = podUpgradePatch(set, bumped, NOW, RESIZE);
  return { ...jsonpatch.applyPatch(structuredClone(bumped), ops, true, false).newDocument };
}

const withCondition = (pod: Pod, type: string, reason?: string, message?: string): Pod => ({
  ...pod,
  status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), { type, status: 'True', ...(reason && { reason }), ...(message && { message }), observedGeneration: pod.metadata?.generation } as never] },
});

describe('resize kind', () => {
  const v2 = setWith(big);

  it('a resources-only change is upgradable with pods/resize, and planned under the budget', () => {
    const pods = makePods(4, 'web', { injectedWith: v1 }).map(reportResources);
    expect(podSidecarStatus(v2, pods[0]!, RESIZE)).toMatchObject({ updated: false, upgradable: true });
    const plan = planRollout(v2, pods, NOW, RESIZE);
    expect(plan.next).toHaveLength(1); // maxUnavailable 1
    expect(plan.notUpgradable).toEqual([]);
    expect(podUpgradeKinds(v2, pods[0]!, RESIZE)).toEqual(['resize']);
  });

  it('the resize goes to pods/resize with a resourceVersion test; the pod patch carries the hashes only', () => {
    const pod = fresh('web-0');
    const resize = podResizePatch(v2, pod, RESIZE)!;
    expect(resize[0]).toEqual({ op: 'test', path: '/metadata/resourceVersion', value: '100' });
    const index = pod.spec!.containers.findIndex((c) => c.name === 'logtail');
    expect(resize.slice(1)).toEqual([{ op: 'add', path: `/spec/containers/${index}/resources`, value: big }]);
    const ops = podUpgradePatch(v2, pod, NOW, RESIZE);
    expect(ops.some((op) => op.path.startsWith('/spec/'))).toBe(false);
    expect(ops.some((op) => op.path.includes('sidecarset-hash'))).toBe(true);
  });

  it('an image and resources change: both kinds, the image in the pod patch, resources through pods/resize', () => {
    const v3 = setWith(big, 'logtail:2');
    const pod = fresh('web-0');
    expect(podUpgradeKinds(v3, pod, RESIZE)).toEqual(['cold image', 'resize']);
    expect(podResizePatch(v3, pod, RESIZE)).toBeDefined();
    const ops = podUpgradePatch(v3, pod, NOW, RESIZE);
    expect(ops.filter((op) => op.path.startsWith('/spec/')).map((op) => op.path)).toEqual([expect.stringMatching(/^\/spec\/containers\/\d+\/image$/)]);
  });

  it('after the writes the pod is updated but not consistent (unavailable: uses budget) until the kubelet reports the new resources', () => {
    const pod = upgraded(v2, fresh('web-0'));
    expect(podSidecarStatus(v2, pod, RESIZE)).toMatchObject({ updated: true, consistent: false });
    expect(podSidecarStatus(v2, withCondition(reportResources(pod), 'PodResizeInProgress'), RESIZE)).toMatchObject({ consistent: false });
    expect(podSidecarStatus(v2, reportResources(pod), RESIZE)).toMatchObject({ updated: true, consistent: true, ready: true });
    const others = makePods(3, 'other', { injectedWith: v1 }).map(reportResources);
    const plan = planRollout(v2, [pod, ...others], NOW, RESIZE);
    expect(plan.unavailable).toBe(1);
    expect(plan.next).toEqual([]); // budget 1 used by the resizing pod
    expect(planRollout(v2, [reportResources(pod), ...others], NOW, RESIZE).next).toHaveLength(1);
  });

  it('the ServiceAccount token the API server mounts into every container is no difference', () => {
    const pod = fresh('web-0');
    const mounted = { ...pod, spec: { ...pod.spec!, containers: pod.spec!.containers.map((c) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), { name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] })) } };
    expect(podSidecarStatus(v2, mounted, RESIZE)).toMatchObject({ upgradable: true });
  });

  it('quantities compare by value: "0.5" cpu is "500m", and a request defaulted from its limit is the same', () => {
    expect(sameResources({ requests: { cpu: '0.5' } }, { requests: { cpu: '500m' } })).toBe(true);
    expect(sameResources({ limits: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '1', memory: '1Gi' } })).toBe(true);
    expect(sameResources({ requests: { cpu: '1' } }, { requests: { cpu: '2' } })).toBe(false);
  });

  it('Infeasible: the pod is not upgradable with the node\'s reason, not updated, not unavailable, never planned again', () => {
    const pod = withCondition(upgraded(v2, fresh('web-0')), 'PodResizePending', 'Infeasible', "Node didn't have enough capacity");
    const status = podSidecarStatus(v2, pod, RESIZE);
    expect(status).toMatchObject({ updated: false, upgradable: false, consistent: true });
    expect(status.upgradable ? '' : status.reason).toBe("container logtail: the node refused to resize it in place (PodResizePending Infeasible: Node didn't have enough capacity); the pod keeps its current resources until it is recreated");
    const plan = planRollout(v2, [pod, ...makePods(2, 'other', { injectedWith: v1 }).map(reportResources)], NOW, RESIZE);
    expect(plan.notUpgradable.map((n) => n.pod)).toEqual(['default/web-0']);
    expect(plan.next).not.toContain('default/web-0');
    expect(plan.unavailable).toBe(0);
    expect(sidecarSetStatus(v2, [pod], 'rev', RESIZE)).toMatchObject({ matchedPods: 1, updatedPods: 0 });
  });

  it('an Infeasible condition of an older generation is stale: the resize is still in flight', () => {
    const pod = upgraded(v2, fresh('web-0'));
    const stale = { ...withCondition(pod, 'PodResizePending', 'Infeasible'), metadata: { ...pod.metadata, generation: 9 } };
    const conditions = stale.status!.conditions!.map((c) => (c.type === 'PodResizePending' ? { ...c, observedGeneration: 8 } : c));
    expect(podSidecarStatus(v2, { ...stale, status: { ...stale.status, conditions } }, RESIZE)).toMatchObject({ updated: true, upgradable: true, consistent: false });
  });

  it('a later SidecarSet change resizes a refused pod again', () => {
    const refused = withCondition(upgraded(v2, fresh('web-0')), 'PodResizePending', 'Infeasible');
    const v3 = setWith({ requests: { cpu: '300m', memory: '64Mi' }, limits: { cpu: '300m', memory: '128Mi' } });
    expect(podSidecarStatus(v3, refused, RESIZE)).toMatchObject({ upgradable: true });
    expect(podResizePatch(v3, refused, RESIZE)).toBeDefined();
  });

  it('a resize the API server refused (recorded by the caller) blocks that pod for that spec', () => {
    const pod = fresh('web-0');
    const capabilities = { podResize: true, refusedResizes: new Map([[podResizeRefusalKey(v2, pod), 'Forbidden: node didn\'t have enough allocatable resources']]) };
    const status = podSidecarStatus(v2, pod, capabilities);
    expect(status).toMatchObject({ upgradable: false });
    expect(status.upgradable ? '' : status.reason).toContain('the API server refused to resize it in place (Forbidden');
  });

  it('what the API server would refuse is not attempted: a QoS class change, a resource other than cpu and memory', () => {
    const guaranteed: ResourceRequirements = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    const g1 = setWith(guaranteed);
    const pod = reportResources(makePod('web-0', { injectedWith: g1, appContainers: [{ name: 'app', image: 'web:1', resources: guaranteed }] }));
    expect(podQosClass(pod)).toBe('Guaranteed');
    const burstable = setWith({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    const status = podSidecarStatus(burstable, pod, RESIZE);
    expect(status.upgradable ? '' : status.reason).toContain('would move the pod from QoS class Guaranteed to Burstable');
    expect(planRollout(burstable, [pod], NOW, RESIZE).next).toEqual([]);

    const gpu = setWith({ ...small, limits: { ...small.limits, 'example.com/gpu': '1' } });
    const other = podSidecarStatus(gpu, fresh('web-1'), RESIZE);
    expect(other.upgradable ? '' : other.reason).toContain('resources requests.example.com/gpu, limits.example.com/gpu differ, and only cpu and memory resize in place');
  });

  it('without pods/resize: not upgradable, and the reason names resources and says the API server does not serve it', () => {
    const status = podSidecarStatus(v2, fresh('web-0'));
    expect(status.upgradable).toBe(false);
    expect(status.upgradable ? '' : status.reason).toBe(
      'container logtail: resources (requests.cpu, requests.memory, limits.cpu, limits.memory) differs; only image changes in place (resources too, through pods/resize, but this API server does not serve it: Kubernetes 1.33+), so the pod keeps its sidecar until it is recreated',
    );
    expect(podResizePatch(v2, fresh('web-0'))).toBeUndefined();
  });

  it('an env change is still not upgradable with pods/resize, named down to the variable', () => {
    const changed = withHashes({ ...v2, spec: { ...v2.spec, containers: [{ ...v2.spec.containers![0]!, env: [{ name: 'LEVEL', value: 'debug' }] }] } });
    const status = podSidecarStatus(changed, fresh('web-0'), RESIZE);
    expect(status.upgradable ? '' : status.reason).toBe('container logtail: env LEVEL differs; only image and resources change in place, so the pod keeps its sidecar until it is recreated');
  });

  it('a native sidecar resizes too (initContainers, restartPolicy Always)', () => {
    const native = (resources: ResourceRequirements) => makeSidecarSet({ containers: [], initContainers: [{ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', resources }] });
    const pod = makePod('web-0', { injectedWith: native(small) });
    const resize = podResizePatch(native(big), pod, RESIZE)!;
    expect(resize.at(-1)).toMatchObject({ op: 'add', path: expect.stringMatching(/^\/spec\/initContainers\/\d+\/resources$/), value: big });
  });

  it('the image kind alone still completes from imageIDs when resources did not change', () => {
    const v3 = setWith(small, 'logtail:2');
    const pod = patched(v3, fresh('web-0'));
    expect(podSidecarStatus(v3, pod, RESIZE)).toMatchObject({ updated: true, consistent: false });
    expect(podSidecarStatus(v3, restarted(pod), RESIZE)).toMatchObject({ updated: true, consistent: true });
  });
});
