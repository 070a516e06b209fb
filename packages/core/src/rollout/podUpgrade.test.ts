// podSidecarStatus, podUpgradePatch, notUpgradableReason and sidecarSetStatus over one pod's life:
// injected at an old revision, patched, restarted by the kubelet.
import type { Pod } from '@sidecarset/api';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { parseSidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import { SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION } from './inPlaceUpdateState.js';
import { notUpgradableReason } from './notUpgradableReason.js';
import { podSidecarStatus } from './podSidecarStatus.js';
import { podUpgradePatch } from './podUpgradePatch.js';
import { imageIdOf, makePod, makeSidecarSet, NOW, patched, previousRevision, restarted, withHashes } from './rolloutFixtures.test-util.js';
import { sidecarSetStatus } from './sidecarSetStatus.js';

const set = makeSidecarSet();
const old = previousRevision(set);
const oldPod = makePod('web-1', { injectedWith: old });
const annotation = (pod: Pod, key: string) => pod.metadata?.annotations?.[key];

describe('podSidecarStatus', () => {
  const cases: { name: string; pod: Pod; expected: ReturnType<typeof podSidecarStatus> }[] = [
    { name: 'a pod at the old revision is not updated, consistent and ready', pod: oldPod, expected: { updated: false, consistent: true, ready: true, upgradable: true } },
    { name: 'a pod injected at the current revision is updated', pod: makePod('fresh', { injectedWith: set }), expected: { updated: true, consistent: true, ready: true, upgradable: true } },
    { name: 'patched but not yet restarted: updated, not consistent', pod: patched(set, oldPod), expected: { updated: true, consistent: false, ready: true, upgradable: true } },
    { name: 'restarted on the new image: updated and consistent', pod: restarted(patched(set, oldPod)), expected: { updated: true, consistent: true, ready: true, upgradable: true } },
    {
      name: 'not ready while the container restarts',
      pod: { ...patched(set, oldPod), status: { ...oldPod.status, conditions: [{ type: 'Ready', status: 'False' }] } },
      expected: { updated: true, consistent: false, ready: false, upgradable: true },
    },
  ];
  it.each(cases)('$name', ({ pod, expected }) => expect(podSidecarStatus(set, pod)).toEqual(expected));

  it('completion is seen from imageID, not image: a new imageID under the old image name is complete', () => {
    const pod = patched(set, oldPod);
    const statuses = pod.status!.containerStatuses!.map((s) => (s.name === 'logtail' ? { ...s, imageID: imageIdOf('logtail:2') } : s));
    expect(podSidecarStatus(set, { ...pod, status: { ...pod.status, containerStatuses: statuses } }).consistent).toBe(true);
  });

  it('the same imageID with a status image that matches the spec is complete (the registry re-tagged the image)', () => {
    const pod = patched(set, oldPod);
    const statuses = pod.status!.containerStatuses!.map((s) => (s.name === 'logtail' ? { ...s, image: 'logtail:2' } : s));
    expect(podSidecarStatus(set, { ...pod, status: { ...pod.status, containerStatuses: statuses } }).consistent).toBe(true);
  });

  it('a digest image is consistent once the imageID carries the digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = makeSidecarSet({ image: `logtail@${digest}` });
    const pod = patched(pinned, makePod('p', { injectedWith: old }));
    expect(podSidecarStatus(pinned, pod).consistent).toBe(false);
    const statuses = pod.status!.containerStatuses!.map((s) => (s.name === 'logtail' ? { ...s, imageID: `docker.io/library/logtail@${digest}` } : s));
    expect(podSidecarStatus(pinned, { ...pod, status: { ...pod.status, containerStatuses: statuses } }).consistent).toBe(true);
  });

  it('a sidecar without a container status is not consistent', () => {
    const { status: _status, ...pending } = oldPod;
    expect(podSidecarStatus(set, pending)).toMatchObject({ consistent: false, ready: false });
  });
});

describe('notUpgradableReason', () => {
  const cases: { name: string; sidecar: Parameters<typeof makeSidecarSet>[0]; reason: string | undefined }[] = [
    { name: 'image only: upgradable', sidecar: { image: 'logtail:9' }, reason: undefined },
    { name: 'env changed', sidecar: { env: [{ name: 'LEVEL', value: 'debug' }] }, reason: 'container logtail: env LEVEL differs; only image changes in place, so the pod keeps its sidecar until it is recreated' },
    {
      name: 'env, resources and ports changed',
      sidecar: { containers: [{ name: 'logtail', image: 'logtail:2', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] },
      reason: 'container logtail: env A, ports and resources (requests.cpu, limits.cpu) differ; only image changes in place (resources too, through pods/resize, but this API server does not serve it: Kubernetes 1.33+), so the pod keeps its sidecar until it is recreated',
    },
    {
      name: 'a sidecar removed from the SidecarSet',
      sidecar: { containers: [] },
      reason: 'container logtail was removed from the SidecarSet (a container cannot be removed from a running pod); the pod keeps its sidecar until it is recreated',
    },
  ];
  it.each(cases)('$name', ({ sidecar, reason }) => expect(notUpgradableReason(makeSidecarSet(sidecar), oldPod)).toBe(reason));

  it('a pod whose recorded without-image hash differs (injected by OpenKruise) is upgradable when only images differ', () => {
    const kruiseHash = '{"logtail":{"updateTimestamp":"2024-01-01T00:00:00Z","hash":"kruise-go-json-hash","sidecarSetName":"logtail","sidecarList":["logtail"]}}';
    const pod = { ...oldPod, metadata: { ...oldPod.metadata, annotations: { ...oldPod.metadata!.annotations, [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: kruiseHash } } };
    expect(notUpgradableReason(set, pod)).toBeUndefined();
  });

  it('ignores what injection added: IS_INJECTED, transferred env and shared mounts', () => {
    const sharing = makeSidecarSet({
      containers: [{ name: 'logtail', image: 'logtail:2', shareVolumePolicy: { type: 'enabled' }, transferEnv: [{ sourceContainerName: 'app', envName: 'TZ' }] }],
    });
    const app = [{ name: 'app', image: 'web:1', env: [{ name: 'TZ', value: 'UTC' }], volumeMounts: [{ name: 'logs', mountPath: '/var/log' }] }];
    const pod = makePod('sharing', { injectedWith: previousRevision(sharing), appContainers: app });
    const logtail = pod.spec!.containers.find((c) => c.name === 'logtail')!;
    expect(logtail.env?.map((e) => e.name)).toEqual(['IS_INJECTED', 'TZ']);
    expect(logtail.volumeMounts?.map((m) => m.mountPath)).toEqual(['/var/log']);
    expect(notUpgradableReason(sharing, pod)).toBeUndefined();
    // without the recorded hash, the containers themselves are compared
    const { [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: _hash, ...annotations } = pod.metadata!.annotations!;
    expect(notUpgradableReason(sharing, { ...pod, metadata: { ...pod.metadata, annotations } })).toBeUndefined();
  });
});

describe('podUpgradePatch', () => {
  it('changes only sidecar images and this SidecarSet annotations, behind a resourceVersion test', () => {
    const ops = podUpgradePatch(set, oldPod, NOW);
    expect(ops[0]).toEqual({ op: 'test', path: '/metadata/resourceVersion', value: '100' });
    expect(ops.map((op) => op.path)).toEqual([
      '/metadata/resourceVersion',
      '/spec/containers/0/image',
      '/metadata/annotations/kruise.io~1sidecarset-hash',
      '/metadata/annotations/kruise.io~1sidecarset-hash-without-image',
      '/metadata/annotations/kruise.io~1sidecarset-inplace-update-state',
    ]);
    const after = jsonpatch.applyPatch(structuredClone(oldPod), ops, true, false).newDocument;
    expect(after.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['logtail=logtail:2', 'app=web:1']);
    const hashes = parseSidecarSetHashes(annotation(after, SIDECARSET_HASH_ANNOTATION));
    expect(hashes.ok && hashes.hashes.get('logtail')).toEqual({
      updateTimestamp: '2025-03-04T05:06:07Z',
      hash: set.metadata!.annotations![SIDECARSET_HASH_ANNOTATION],
      sidecarSetName: 'logtail',
      sidecarList: ['logtail'],
      controllerRevision: 'logtail-rev-2',
    });
    expect(JSON.parse(annotation(after, SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION)!)).toEqual({
      logtail: {
        revision: set.metadata!.annotations![SIDECARSET_HASH_ANNOTATION],
        updateTimestamp: '2025-03-04T05:06:07Z',
        lastContainerStatuses: { logtail: { imageID: imageIdOf('logtail:1') } },
      },
    });
  });

  it('fails to apply once the pod has moved on (optimistic concurrency)', () => {
    const ops = podUpgradePatch(set, oldPod, NOW);
    const moved = { ...oldPod, metadata: { ...oldPod.metadata, resourceVersion: '101' } };
    expect(() => jsonpatch.applyPatch(structuredClone(moved), ops, true, false)).toThrow();
  });

  it('native sidecar image is patched in initContainers', () => {
    const native = makeSidecarSet({ containers: [], initContainers: [{ name: 'proxy', image: 'proxy:2', restartPolicy: 'Always' }] });
    const pod = makePod('native', { injectedWith: previousRevision(native, 'proxy:1') });
    const ops = podUpgradePatch(native, pod, NOW);
    expect(ops.filter((op) => op.path.startsWith('/spec'))).toEqual([{ op: 'replace', path: '/spec/initContainers/0/image', value: 'proxy:2' }]);
    const after = restarted(patched(native, pod));
    expect(podSidecarStatus(native, patched(native, pod))).toMatchObject({ updated: true, consistent: false });
    expect(podSidecarStatus(native, after)).toEqual({ updated: true, consistent: true, ready: true, upgradable: true });
  });

  it("keeps other SidecarSets' hash entries", () => {
    const other = withHashes({ ...makeSidecarSet({ name: 'agent', containers: [{ name: 'agent', image: 'agent:1' }] }) });
    const both = makePod('both', { injectedWith: old });
    const injected = { ...both, metadata: { ...both.metadata, annotations: { ...both.metadata!.annotations } } };
    const otherEntry = `{"agent":{"updateTimestamp":"2024-01-01T00:00:00Z","hash":"${other.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]}","sidecarSetName":"agent","sidecarList":["agent"]}`;
    injected.metadata.annotations[SIDECARSET_HASH_ANNOTATION] = otherEntry + ',' + annotation(both, SIDECARSET_HASH_ANNOTATION)!.slice(1);
    const after = patched(set, injected);
    const hashes = parseSidecarSetHashes(annotation(after, SIDECARSET_HASH_ANNOTATION));
    expect(hashes.ok && [...hashes.hashes.keys()]).toEqual(['agent', 'logtail']);
  });

  it('a pod with the current image gets only the annotations', () => {
    const same = makePod('same', { injectedWith: set });
    expect(podUpgradePatch(set, same, NOW).some((op) => op.path.startsWith('/spec'))).toBe(false);
  });
});

describe('sidecarSetStatus', () => {
  it('counts matched, updated, ready and updated-ready pods', () => {
    const pods = [
      oldPod, // ready, old
      patched(set, makePod('rolling', { injectedWith: old })), // updated, not consistent
      restarted(patched(set, makePod('done', { injectedWith: old }))), // updated and ready
      makePod('sick', { injectedWith: set, ready: false }), // updated, not ready
    ];
    expect(sidecarSetStatus(set, pods, 'logtail-rev-2')).toEqual({
      observedGeneration: 7,
      matchedPods: 4,
      updatedPods: 3,
      readyPods: 2,
      updatedReadyPods: 1,
      latestRevision: 'logtail-rev-2',
    });
  });
});
