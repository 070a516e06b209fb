// Pod-authored features a failure may hinge on, each with a way to take it out of a review. Taking
// them out one at a time (keeping out those the failure survives) leaves the features the failure
// needs: they name its class ("needs: status.phase"), so that one run reports each cause on its own.
import type { Container, Pod } from '@sidecarset/api';
import { INJECTED_LIST_ANNOTATION, SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '@sidecarset/core';
import { SIDECARSET_VOLUME_NAMES } from './namePools.js';
import type { ReviewCase } from './reviews.js';
import type { World } from './world.js';

export interface PodFeature {
  name: string;
  present(pod: Pod, world: World): boolean;
  remove(pod: Pod, world: World): Pod;
}

const annotated = (keys: readonly string[]): Pick<PodFeature, 'present' | 'remove'> => ({
  present: (pod) => keys.some((k) => pod.metadata?.annotations?.[k] !== undefined),
  remove: (pod) => {
    const annotations = { ...pod.metadata?.annotations };
    for (const k of keys) delete annotations[k];
    return { ...pod, metadata: { ...pod.metadata, annotations } };
  },
});

function renameClashing(pod: Pod, world: World, list: 'containers' | 'initContainers'): Pod {
  const taken = new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name));
  let n = 0;
  const fresh = (): string => {
    while (taken.has(`own-${n}`)) n++;
    taken.add(`own-${n}`);
    return `own-${n}`;
  };
  const renamed = (pod.spec?.[list] ?? []).map((c: Container) => (world.sidecarNames.includes(c.name) ? { ...c, name: fresh() } : c));
  return { ...pod, spec: { ...pod.spec!, [list]: renamed } };
}

const clashes = (pod: Pod, world: World, list: 'containers' | 'initContainers'): boolean => (pod.spec?.[list] ?? []).some((c) => world.sidecarNames.includes(c.name));

const VOLUME_NAMES: readonly string[] = SIDECARSET_VOLUME_NAMES;

export const POD_FEATURES: readonly PodFeature[] = [
  {
    name: 'status.phase',
    present: (pod) => pod.status !== undefined,
    remove: ({ status: _status, ...pod }) => pod,
  },
  {
    name: 'metadata.deletionTimestamp',
    present: (pod) => pod.metadata?.deletionTimestamp !== undefined,
    remove: (pod) => {
      const { deletionTimestamp: _t, ...metadata } = pod.metadata ?? {};
      return { ...pod, metadata };
    },
  },
  { name: `annotation ${INJECTED_LIST_ANNOTATION}`, ...annotated([INJECTED_LIST_ANNOTATION]) },
  { name: 'annotations kruise.io/sidecarset-hash(-without-image)', ...annotated([SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]) },
  {
    name: 'annotations a SidecarSet patches',
    present: (pod, world) => world.patchKeys.some((k) => pod.metadata?.annotations?.[k] !== undefined),
    remove: (pod, world) => annotated(world.patchKeys).remove(pod, world),
  },
  { name: 'a pod container named like a sidecar', present: (pod, world) => clashes(pod, world, 'containers'), remove: (pod, world) => renameClashing(pod, world, 'containers') },
  {
    name: 'a pod initContainer named like a sidecar',
    present: (pod, world) => clashes(pod, world, 'initContainers'),
    remove: (pod, world) => renameClashing(pod, world, 'initContainers'),
  },
  {
    name: 'a pod volume named like a SidecarSet volume',
    present: (pod) => (pod.spec?.volumes ?? []).some((v) => VOLUME_NAMES.includes(v.name)),
    remove: (pod) => {
      const rename = (name: string) => (VOLUME_NAMES.includes(name) ? `pod-${name}` : name);
      const mounts = (c: Container): Container => (c.volumeMounts ? { ...c, volumeMounts: c.volumeMounts.map((m) => ({ ...m, name: rename(m.name) })) } : c);
      const spec = pod.spec!;
      return {
        ...pod,
        spec: {
          ...spec,
          containers: spec.containers.map(mounts),
          ...(spec.initContainers ? { initContainers: spec.initContainers.map(mounts) } : {}),
          ...(spec.volumes ? { volumes: spec.volumes.map((v) => ({ ...v, name: rename(v.name) })) } : {}),
        },
      };
    },
  },
];

export const podOf = (testCase: ReviewCase): Pod => ((testCase.body as { value: { request: { object: Pod } } }).value.request.object);

/** The case with its pod (request.object, and oldObject when there is one) replaced. */
export function withPod(testCase: ReviewCase, pod: Pod): ReviewCase {
  const value = (testCase.body as { value: { request: Record<string, unknown> } }).value;
  const request = { ...value.request, object: pod, ...(value.request.oldObject ? { oldObject: pod } : {}) };
  return { ...testCase, body: { kind: 'json', value: { ...value, request } } };
}
