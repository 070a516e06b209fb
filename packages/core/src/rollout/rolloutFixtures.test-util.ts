// Pods and SidecarSets for the rollout tests (not a test file; not shipped: dist/**/*.test.* is left
// out of the package). Pods are made the way the cluster makes them: injected by injectPod with the
// SidecarSet of their revision, then given the status a kubelet would report.
import type { Container, ContainerStatus, Pod, SidecarContainer, SidecarSet, SidecarSetUpdateStrategy } from '@sidecarset/api';
import jsonpatch from 'fast-json-patch';
import { sidecarSetHashAnnotations } from '../hash/sidecarSetHash.js';
import { injectPod } from '../inject/injectPod.js';
import { podUpgradePatch } from './podUpgradePatch.js';

export const NOW = new Date('2025-03-04T05:06:07Z');

export interface SidecarSetOptions {
  name?: string;
  image?: string;
  env?: { name: string; value: string }[];
  strategy?: SidecarSetUpdateStrategy;
  containers?: SidecarContainer[];
  initContainers?: SidecarContainer[];
}

/** A SidecarSet selecting pods labelled `app`, with one sidecar `logtail`, hash annotations as the webhook writes them. */
export function makeSidecarSet(options: SidecarSetOptions = {}): SidecarSet {
  const set: SidecarSet = {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: options.name ?? 'logtail', generation: 7 },
    spec: {
      selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
      containers: options.containers ?? [{ name: 'logtail', image: options.image ?? 'logtail:2', ...(options.env && { env: options.env }) }],
      ...(options.initContainers && { initContainers: options.initContainers }),
      updateStrategy: { type: 'RollingUpdate', ...options.strategy },
    },
    status: { matchedPods: 0, updatedPods: 0, readyPods: 0, latestRevision: 'logtail-rev-2' },
  };
  return withHashes(set);
}

export function withHashes(set: SidecarSet): SidecarSet {
  const { metadata } = set;
  return { ...set, metadata: { ...metadata, annotations: { ...metadata?.annotations, ...sidecarSetHashAnnotations(set) } } };
}

/** The same SidecarSet with every sidecar image replaced: the revision pods were injected with before. */
export function previousRevision(set: SidecarSet, image = 'logtail:1'): SidecarSet {
  const swap = (containers: SidecarContainer[] | undefined) => containers?.map((c) => ({ ...c, image }));
  const { annotations: _annotations, ...metadata } = set.metadata ?? {};
  return withHashes({ ...set, metadata, spec: { ...set.spec, containers: swap(set.spec.containers), initContainers: swap(set.spec.initContainers) } });
}

export const imageIdOf = (image: string | undefined): string => `docker.io/library/${image}@sha256:${Buffer.from(image ?? '').toString('hex').padEnd(64, '0').slice(0, 64)}`;

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  /** The SidecarSet the pod was injected with (default: the previous revision of the plan's). */
  injectedWith: SidecarSet;
  ready?: boolean;
  phase?: string;
  nodeName?: string | null;
  created?: string;
  restarts?: number;
  appContainers?: Container[];
}

export function makePod(name: string, options: PodOptions): Pod {
  const base: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      labels: options.labels ?? { app: 'web' },
      resourceVersion: '100',
      creationTimestamp: options.created ?? '2025-01-01T00:00:00Z',
    },
    spec: { containers: options.appContainers ?? [{ name: 'app', image: 'web:1' }] },
  };
  const injected = injectPod(base, [options.injectedWith], { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2025-01-01T00:00:00Z' });
  if (injected.errors.length > 0 || injected.injected.length === 0) throw new Error(`fixture pod ${name} was not injected`);
  const pod = injected.pod;
  const ready = options.ready ?? true;
  const phase = options.phase ?? 'Running';
  const nodeName = options.nodeName === undefined ? 'node-1' : options.nodeName;
  return {
    ...pod,
    spec: { ...pod.spec!, ...(nodeName !== null && { nodeName }) },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2025-01-01T00:01:00Z' }],
      containerStatuses: (pod.spec?.containers ?? []).map((c) => containerStatus(c, ready, options.restarts ?? 0)),
      ...((pod.spec?.initContainers ?? []).length > 0 && {
        initContainerStatuses: pod.spec!.initContainers!.map((c) => containerStatus(c, ready, 0)),
      }),
    },
  };
}

const containerStatus = (c: Container, ready: boolean, restartCount: number): ContainerStatus => ({
  name: c.name,
  image: c.image ?? '',
  imageID: imageIdOf(c.image),
  ready,
  restartCount,
});

/** The pod after the controller applied podUpgradePatch, before the kubelet restarted anything. */
export function patched(set: SidecarSet, pod: Pod, now = NOW): Pod {
  const result = jsonpatch.applyPatch(structuredClone(pod), podUpgradePatch(set, pod, now), true, false).newDocument;
  return { ...result, metadata: { ...result.metadata, resourceVersion: String(Number(result.metadata?.resourceVersion ?? 0) + 1) } };
}

/** The kubelet restarted every container whose image changed: new image and imageID in its status, Ready again. */
export function restarted(pod: Pod): Pod {
  const refresh = (specs: Container[] | undefined, statuses: ContainerStatus[] | undefined) =>
    statuses?.map((status) => {
      const spec = specs?.find((c) => c.name === status.name);
      if (!spec || spec.image === status.image) return { ...status, ready: true };
      return { ...status, image: spec.image ?? '', imageID: imageIdOf(spec.image), ready: true, restartCount: status.restartCount + 1 };
    });
  return {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:01:00Z' }],
      containerStatuses: refresh(pod.spec?.containers, pod.status?.containerStatuses),
      ...(pod.status?.initContainerStatuses && { initContainerStatuses: refresh(pod.spec?.initContainers, pod.status.initContainerStatuses) }),
    },
  };
}

/** n pods named `${prefix}-00`, ... injected with `injectedWith`. */
export function makePods(n: number, prefix: string, options: PodOptions): Pod[] {
  return Array.from({ length: n }, (_, i) => makePod(`${prefix}-${String(i).padStart(2, '0')}`, options));
}
