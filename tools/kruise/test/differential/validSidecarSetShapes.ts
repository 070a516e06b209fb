// Valid SidecarSets with one more thing each, for the stored-object half of the differential
// SidecarSet suite: fields the generated SidecarSets of ./generators.ts leave out or write one way
// only, where what OpenKruise stores depends on its defaults and on its webhook re-encoding the Go
// struct (empty lists, false flags, quantities, volume sources, probes, the custom-version label,
// strategies). Each must be admitted by both sides and stored equal (./sidecarSetDifferences.ts).
// No resourcesPolicy of their own (a generated base may carry one; the container a shape changes
// loses it); patchPodMetadata keys under PATCH_ANNOTATION_PREFIX only.
import type { SidecarContainer, SidecarSet } from '@sidecarset/api';
import { PATCH_ANNOTATION_PREFIX } from './generators.js';

export interface Shape {
  id: string;
  name: string;
  apply: (s: SidecarSet, suffix: string) => void;
}

/** The first sidecar of spec.containers, added when the SidecarSet has none. */
function container(s: SidecarSet, suffix: string): SidecarContainer {
  s.spec.containers ??= [];
  if (s.spec.containers.length === 0) s.spec.containers.push({ name: `extra-${suffix}`, image: 'busybox:1.36' } as SidecarContainer);
  // The breaker or shape decides the resources: a generated resourcesPolicy (which excludes them) goes.
  delete s.spec.containers[0]!.resourcesPolicy;
  return s.spec.containers[0]!;
}

/** Native sidecars removed (they require NotUpdate on OpenKruise), so RollingUpdate may be set. */
function rolling(s: SidecarSet, suffix: string): NonNullable<SidecarSet['spec']['updateStrategy']> {
  s.spec.initContainers = s.spec.initContainers?.filter((c) => c.restartPolicy !== 'Always');
  if (!s.spec.initContainers?.length) delete s.spec.initContainers;
  container(s, suffix);
  return (s.spec.updateStrategy = { type: 'RollingUpdate' });
}

const addVolume = (s: SidecarSet, suffix: string, volume: NonNullable<SidecarSet['spec']['volumes']>[number], mountPath: string): void => {
  s.spec.volumes = [...(s.spec.volumes ?? []), volume];
  const c = container(s, suffix);
  c.volumeMounts = [...(c.volumeMounts ?? []), { name: volume.name, mountPath }];
};

export const SHAPES: Shape[] = [
  {
    id: 'empty-lists',
    name: 'volumes (no sidecar mounting any), imagePullSecrets and patchPodMetadata as []',
    apply: (s) => {
      for (const c of [...(s.spec.containers ?? []), ...(s.spec.initContainers ?? [])]) delete c.volumeMounts;
      Object.assign(s.spec, { volumes: [], imagePullSecrets: [], patchPodMetadata: [] });
    },
  },
  { id: 'empty-mounts', name: 'a sidecar with volumeMounts, env, args and ports as []', apply: (s, x) => void Object.assign(container(s, x), { volumeMounts: [], env: [], args: [], ports: [] }) },
  { id: 'false-flags', name: 'updateStrategy.paused and injectionStrategy.paused false', apply: (s) => void ((s.spec.injectionStrategy = { paused: false }), ((s.spec.updateStrategy ??= {}).paused = false)) },
  { id: 'namespace-empty', name: 'spec.namespace ""', apply: (s) => void (delete s.spec.namespaceSelector, (s.spec.namespace = '')) },
  {
    id: 'rolling-full',
    name: 'RollingUpdate with paused, partition and maxUnavailable as percentages, scatter and weight priority',
    apply: (s, x) =>
      void Object.assign(rolling(s, x), {
        paused: true,
        partition: '20%',
        maxUnavailable: '50%',
        scatterStrategy: [{ key: 'zone', value: 'a' }],
        priorityStrategy: { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'front' } } }] },
      }),
  },
  { id: 'rolling-canary', name: 'RollingUpdate with a canary selector and partition 0', apply: (s, x) => void Object.assign(rolling(s, x), { partition: 0, selector: { matchLabels: { canary: 'true' } } }) },
  { id: 'order-priority', name: 'orderPriority and maxUnavailable 3', apply: (s, x) => void Object.assign(rolling(s, x), { maxUnavailable: 3, priorityStrategy: { orderPriority: [{ orderedKey: 'rank' }] } }) },
  { id: 'not-update', name: 'NotUpdate with partition and maxUnavailable', apply: (s) => void (s.spec.updateStrategy = { type: 'NotUpdate', partition: 2, maxUnavailable: '10%' }) },
  { id: 'history', name: 'revisionHistoryLimit 0', apply: (s) => void (s.spec.revisionHistoryLimit = 0) },
  { id: 'custom-version', name: 'the custom-version label', apply: (s) => void (s.metadata!.labels = { 'apps.kruise.io/sidecarset-custom-version': 'v7', team: 'a' }) },
  { id: 'empty-labels', name: 'metadata.labels {}', apply: (s) => void (s.metadata!.labels = {}) },
  { id: 'own-annotations', name: 'annotations of its own, and a stale hash annotation', apply: (s) => void (s.metadata!.annotations = { 'note.example/owner': 'team-a', 'kruise.io/sidecarset-hash': 'stale' }) },
  { id: 'injection-paused', name: 'injectionStrategy.paused true', apply: (s) => void (s.spec.injectionStrategy = { paused: true }) },
  { id: 'patch-no-policy', name: 'a patch without patchPolicy', apply: (s) => void (s.spec.patchPodMetadata = [{ annotations: { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-np`]: 'x' } }]) },
  {
    id: 'namespace-selector-expressions',
    name: 'a namespaceSelector with matchExpressions',
    apply: (s) => void (delete s.spec.namespace, (s.spec.namespaceSelector = { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] })),
  },
  { id: 'volume-size-limit', name: 'an emptyDir with sizeLimit 1024Mi', apply: (s, x) => addVolume(s, x, { name: 'sized', emptyDir: { sizeLimit: '1024Mi' } }, '/sized') },
  { id: 'volume-size-fraction', name: 'an emptyDir with sizeLimit 0.5Gi', apply: (s, x) => addVolume(s, x, { name: 'half', emptyDir: { medium: 'Memory', sizeLimit: '0.5Gi' } }, '/half') },
  {
    id: 'volume-config-map-items',
    name: 'a configMap volume with items and a mode',
    apply: (s, x) => addVolume(s, x, { name: 'cm-items', configMap: { name: 'agent', items: [{ key: 'a', path: 'a.conf', mode: 0o600 }], defaultMode: 0o640 } }, '/cm'),
  },
  { id: 'volume-secret-items', name: 'a secret volume with items', apply: (s, x) => addVolume(s, x, { name: 'sec-items', secret: { secretName: 'agent', items: [{ key: 'k', path: 'k' }] } }, '/sec') },
  {
    id: 'volume-downward',
    name: 'a downwardAPI volume (fieldRef without apiVersion)',
    apply: (s, x) => addVolume(s, x, { name: 'downward', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }, '/downward'),
  },
  {
    id: 'volume-projected',
    name: 'a projected volume with a token and a configMap',
    apply: (s, x) => addVolume(s, x, { name: 'projected', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'agent' } }, { configMap: { name: 'agent' } }] } }, '/projected'),
  },
  { id: 'volume-host-path', name: 'a hostPath volume without a type', apply: (s, x) => addVolume(s, x, { name: 'host', hostPath: { path: '/var/log' } }, '/host') },
  { id: 'volume-pvc', name: 'a persistentVolumeClaim volume', apply: (s, x) => addVolume(s, x, { name: 'claim', persistentVolumeClaim: { claimName: 'data', readOnly: true } }, '/claim') },
  {
    id: 'volume-ephemeral',
    name: 'an ephemeral volume (a claim template with metadata of its own)',
    apply: (s, x) =>
      addVolume(s, x, { name: 'eph', ephemeral: { volumeClaimTemplate: { metadata: { labels: { app: 'agent' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }, '/eph'),
  },
  {
    id: 'volume-ephemeral-bare',
    name: 'an ephemeral volume whose claim template has no metadata',
    apply: (s, x) => addVolume(s, x, { name: 'eph2', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '512Mi' } } } } } }, '/eph2'),
  },
  { id: 'volume-no-source', name: 'a volume without a source (emptyDir by default)', apply: (s, x) => addVolume(s, x, { name: 'bare' }, '/bare') },
  {
    id: 'quantities',
    name: 'resources written as 0.5, 1000m, 1.5Gi and 1e3',
    apply: (s, x) => void (container(s, x).resources = { requests: { cpu: '0.5', memory: '1e3' }, limits: { cpu: '1000m', memory: '1.5Gi' } }),
  },
  {
    id: 'probes',
    name: 'liveness (tcp), readiness (httpGet with headers) and startup probes',
    apply: (s, x) =>
      void Object.assign(container(s, x), {
        livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3 },
        readinessProbe: { httpGet: { port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] } },
        startupProbe: { exec: { command: ['true'] }, failureThreshold: 30, successThreshold: 1 },
        ports: [{ name: 'http', containerPort: 8080 }],
      }),
  },
  { id: 'probe-grpc', name: 'a grpc liveness probe without a service', apply: (s, x) => void (container(s, x).livenessProbe = { grpc: { port: 9000 } }) },
  {
    id: 'lifecycle',
    name: 'postStart httpGet and preStop sleep',
    apply: (s, x) => void (container(s, x).lifecycle = { postStart: { httpGet: { port: 8080, path: '/start' } }, preStop: { sleep: { seconds: 5 } } }),
  },
  {
    id: 'env-sources',
    name: 'env from resourceFieldRef, secretKeyRef and configMapKeyRef; envFrom with a prefix',
    apply: (s, x) =>
      void Object.assign(container(s, x), {
        env: [
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'agent', key: 'token', optional: true } } },
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'agent', key: 'level' } } },
        ],
        envFrom: [{ prefix: 'AGENT_', secretRef: { name: 'agent' } }],
      }),
  },
  {
    id: 'security',
    name: 'securityContext with capabilities, seccomp and privileged false',
    apply: (s, x) =>
      void (container(s, x).securityContext = { privileged: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, allowPrivilegeEscalation: false }),
  },
  { id: 'host-port', name: 'a port with hostPort and UDP', apply: (s, x) => void (container(s, x).ports = [{ name: 'dns', containerPort: 53, hostPort: 5353, protocol: 'UDP' }]) },
  { id: 'stdin-tty', name: 'stdin, tty and a resizePolicy', apply: (s, x) => void Object.assign(container(s, x), { stdin: true, tty: true, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }) },
  { id: 'image-untagged', name: 'an image without a tag (imagePullPolicy Always by default)', apply: (s, x) => void (container(s, x).image = 'busybox') },
  {
    id: 'image-digest',
    name: 'an image by digest, imagePullPolicy Never',
    apply: (s, x) => void Object.assign(container(s, x), { image: `busybox@sha256:${'a'.repeat(64)}`, imagePullPolicy: 'Never' }),
  },
  {
    id: 'hot-upgrade',
    name: 'a HotUpgrade sidecar',
    apply: (s, x) => void (container(s, x).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'openkruise/hotupgrade-sample:empty' }),
  },
  { id: 'share-device', name: 'shareVolumeDevicePolicy enabled', apply: (s, x) => void (container(s, x).shareVolumeDevicePolicy = { type: 'enabled' }) },
  {
    id: 'transfer-from-annotation',
    name: 'transferEnv from an annotation, fieldRef with apiVersion v1',
    apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['app.example/source']" } }, envNames: ['TZ', 'LANG'] }]),
  },
  {
    id: 'native-not-update',
    name: 'a native sidecar with probes and lifecycle, NotUpdate',
    apply: (s) => {
      s.spec.initContainers = [
        ...(s.spec.initContainers ?? []),
        { name: `native2-${s.metadata!.name}`.slice(0, 63), image: 'nginx:1.25', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } }, lifecycle: { preStop: { exec: { command: ['true'] } } } },
      ];
      s.spec.updateStrategy = { type: 'NotUpdate' };
    },
  },
  { id: 'init-before', name: 'an initContainer with podInjectPolicy BeforeAppContainer', apply: (s) => void (s.spec.initContainers = [...(s.spec.initContainers ?? []), { name: `first-${s.metadata!.name}`.slice(0, 63), image: 'busybox:1.36', podInjectPolicy: 'BeforeAppContainer' }]) },
  { id: 'stop-signal', name: 'lifecycle.stopSignal (Kubernetes 1.33, newer than OpenKruise 1.9.0 knows)', apply: (s, x) => void (container(s, x).lifecycle = { stopSignal: 'SIGUSR1' } as never) },
];
