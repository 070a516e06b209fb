// Broken SidecarSets for the differential SidecarSet suite: a valid generated SidecarSet
// (./generators.ts's sidecarSetArb) with one thing broken, in each of the ways OpenKruise v1.9.0's
// validating webhook (pkg/webhook/sidecarset/validating), its CRD, the API server's object-meta
// checks, or ours may refuse: names, selectors, container and volume rules (OpenKruise validates the
// sidecars as a pod), the SidecarSet-only fields, the strategies, patchPodMetadata, conflicts with
// another SidecarSet, and the fields it makes immutable on update. Each breaker either expects the
// two sides to agree, or names the listed deliberate difference it shows
// (./sidecarSetDifferences.ts). Some breakers break nothing (a control: both must admit).
//
// patchPodMetadata keys are always under PATCH_ANNOTATION_PREFIX (OpenKruise's whitelist allows
// them); no resourcesPolicy of their own (a generated base may carry one; the container a breaker
// changes loses it).
import type { SidecarContainer, SidecarSet } from '@sidecarset/api';
import fc from 'fast-check';
import { PATCH_ANNOTATION_PREFIX, sidecarSetArb } from './generators.js';
import type { AdmissionDifferenceId } from './sidecarSetDifferences.js';

export interface Breaker {
  id: string;
  /** What is broken, for a reader. */
  name: string;
  /** Set when the two sides are expected to differ: the listed difference this shows. */
  differs?: AdmissionDifferenceId;
  /** Mutates a copy of a valid SidecarSet (its name and container suffix given). */
  apply: (s: SidecarSet, suffix: string) => void;
}

/** What the conflict breakers collide with: created on both sides before the invalid cases. */
export const CONFLICT_SELECTOR = { matchLabels: { app: 'web' } };
export const CONFLICT_OTHER: SidecarSet = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'conflict-other' },
  spec: {
    selector: CONFLICT_SELECTOR,
    containers: [{ name: 'clash-c', image: 'busybox:1.36', volumeMounts: [{ name: 'clash-vol', mountPath: '/clash' }] }],
    initContainers: [{ name: 'clash-init', image: 'busybox:1.36', command: ['true'] }],
    volumes: [{ name: 'clash-vol', emptyDir: { medium: 'Memory' } }],
    patchPodMetadata: [
      { annotations: { [`${PATCH_ANNOTATION_PREFIX}clash`]: 'other' }, patchPolicy: 'Overwrite' },
      { annotations: { [`${PATCH_ANNOTATION_PREFIX}clash-merge`]: '{"other":"on"}' }, patchPolicy: 'MergePatchJson' },
    ],
  },
} as SidecarSet;

// ---------------------------------------------------------------------------------------------
// Helpers over a generated SidecarSet (containers, initContainers or both; native sidecars only with NotUpdate)
// ---------------------------------------------------------------------------------------------
const plain = (name: string): SidecarContainer => ({ name, image: 'busybox:1.36' }) as SidecarContainer;

/** The first sidecar of spec.containers, added when the SidecarSet has none. */
function container(s: SidecarSet, suffix: string): SidecarContainer {
  s.spec.containers ??= [];
  if (s.spec.containers.length === 0) s.spec.containers.push(plain(`extra-${suffix}`));
  // The breaker or shape decides the resources: a generated resourcesPolicy (which excludes them) goes.
  delete s.spec.containers[0]!.resourcesPolicy;
  return s.spec.containers[0]!;
}

/** A plain (not native) initContainer, added. */
function plainInit(s: SidecarSet, suffix: string): SidecarContainer {
  const init = { ...plain(`pinit-${suffix}`), command: ['true'] } as SidecarContainer;
  (s.spec.initContainers ??= []).push(init);
  return init;
}

/** Native sidecars removed (they require NotUpdate), so the update strategy is the breaker's to set. */
function rollingUpdateAllowed(s: SidecarSet, suffix: string): SidecarSet['spec']['updateStrategy'] & object {
  s.spec.initContainers = s.spec.initContainers?.filter((c) => c.restartPolicy !== 'Always');
  if (!s.spec.initContainers?.length) delete s.spec.initContainers;
  container(s, suffix);
  delete s.spec.updateStrategy;
  return (s.spec.updateStrategy = {});
}

/** A conflict breaker's SidecarSet: selects what CONFLICT_OTHER selects, in every namespace. */
function overlapping(s: SidecarSet): void {
  s.spec.selector = structuredClone(CONFLICT_SELECTOR);
  delete s.spec.namespace;
  delete s.spec.namespaceSelector;
}

const patch = (s: SidecarSet, annotations: Record<string, string>, patchPolicy?: string): void => {
  (s.spec.patchPodMetadata ??= []).push({ annotations, ...(patchPolicy !== undefined && { patchPolicy }) } as never);
};

// ---------------------------------------------------------------------------------------------
// The breakers
// ---------------------------------------------------------------------------------------------
export const BREAKERS: Breaker[] = [
  // metadata.name: OpenKruise allows [a-zA-Z0-9-]{1,63} (on top of the API server's DNS subdomain).
  { id: 'name-upper', name: 'a name with upper case', apply: (s) => void (s.metadata!.name = `Bad-${s.metadata!.name}`) },
  { id: 'name-dot', name: 'a name with a dot (a DNS subdomain OpenKruise refuses)', apply: (s) => void (s.metadata!.name = `${s.metadata!.name}.example`) },
  { id: 'name-64', name: 'a name of 64 characters', apply: (s) => void (s.metadata!.name = s.metadata!.name!.padEnd(64, 'x')) },
  { id: 'name-63', name: 'control: a name of exactly 63 characters', apply: (s) => void (s.metadata!.name = s.metadata!.name!.padEnd(63, 'y')) },
  { id: 'name-underscore', name: 'a name with an underscore', apply: (s) => void (s.metadata!.name = `${s.metadata!.name}_x`) },

  // spec.selector and spec.namespaceSelector
  { id: 'selector-missing', name: 'no selector', apply: (s) => void delete (s.spec as { selector?: unknown }).selector },
  { id: 'selector-empty', name: 'an empty selector {}', apply: (s) => void (s.spec.selector = {}) },
  { id: 'selector-operator', name: 'a matchExpression with operator Equals', apply: (s) => void (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Equals' as never, values: ['web'] }] }) },
  { id: 'selector-in-no-values', name: 'operator In without values', apply: (s) => void (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }) },
  { id: 'selector-exists-values', name: 'operator Exists with values', apply: (s) => void (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }) },
  { id: 'selector-bad-key', name: 'a matchLabels key with a space', apply: (s) => void (s.spec.selector = { matchLabels: { 'bad key': 'web' } }) },
  { id: 'selector-bad-value', name: 'a matchLabels value with a space', apply: (s) => void (s.spec.selector = { matchLabels: { app: 'bad value' } }) },
  { id: 'selector-expr-bad-value', name: 'a matchExpressions value with a "!"', apply: (s) => void (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web!'] }] }) },
  { id: 'selector-expr-bad-key', name: 'a matchExpressions key with two slashes', apply: (s) => void (s.spec.selector = { matchExpressions: [{ key: 'a/b/c', operator: 'Exists' }] }) },
  { id: 'ns-selector-empty', name: 'an empty namespaceSelector {}', apply: (s) => void (delete s.spec.namespace, (s.spec.namespaceSelector = {})) },
  {
    id: 'ns-selector-operator',
    name: 'a namespaceSelector with operator Equals',
    apply: (s) => void (delete s.spec.namespace, (s.spec.namespaceSelector = { matchExpressions: [{ key: 'env', operator: 'Equals' as never, values: ['prod'] }] })),
  },
  {
    id: 'namespace-and-selector',
    name: 'spec.namespace and spec.namespaceSelector together',
    differs: 'namespace-and-selector',
    apply: (s) => void ((s.spec.namespace = 'diff-prod'), (s.spec.namespaceSelector = { matchLabels: { env: 'prod' } })),
  },
  { id: 'namespace-upper', name: 'spec.namespace with upper case', differs: 'namespace-not-a-name', apply: (s) => void (delete s.spec.namespaceSelector, (s.spec.namespace = 'Diff-Prod')) },
  { id: 'namespace-space', name: 'spec.namespace with a space', apply: (s) => void (delete s.spec.namespaceSelector, (s.spec.namespace = 'diff prod')) },

  // Containers, validated as a pod's
  {
    id: 'container-dup',
    name: 'two containers of one name',
    apply: (s, x) => {
      const first = container(s, x);
      s.spec.containers!.push({ ...structuredClone(first), image: 'nginx:1.25' });
    },
  },
  { id: 'cross-list-dup', name: 'an initContainer named like a container', apply: (s, x) => void (plainInit(s, x).name = container(s, x).name) },
  { id: 'container-bad-name', name: 'a container name with an underscore', apply: (s, x) => void (container(s, x).name = `bad_${x}`) },
  { id: 'container-no-name', name: 'a container without a name', apply: (s, x) => void ((container(s, x) as { name?: string }).name = undefined) },
  { id: 'container-no-image', name: 'a container without an image', apply: (s, x) => void delete (container(s, x) as { image?: string }).image },
  { id: 'pull-policy', name: 'imagePullPolicy Sometimes', apply: (s, x) => void (container(s, x).imagePullPolicy = 'Sometimes' as never) },
  { id: 'termination-policy', name: 'terminationMessagePolicy Never', apply: (s, x) => void (container(s, x).terminationMessagePolicy = 'Never' as never) },
  { id: 'env-name-digit', name: 'an env var name starting with a digit', apply: (s, x) => void (container(s, x).env = [{ name: '1BAD', value: 'x' }]) },
  { id: 'env-name-equals', name: 'an env var name with "="', apply: (s, x) => void (container(s, x).env = [{ name: 'A=B', value: 'x' }]) },
  {
    id: 'env-value-and-from',
    name: 'an env var with value and valueFrom',
    apply: (s, x) => void (container(s, x).env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
  },
  { id: 'env-bad-field-path', name: 'an env var from fieldPath spec.containers', apply: (s, x) => void (container(s, x).env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } }]) },
  { id: 'port-zero', name: 'containerPort 0', apply: (s, x) => void (container(s, x).ports = [{ containerPort: 0 }]) },
  { id: 'port-too-big', name: 'containerPort 70000', apply: (s, x) => void (container(s, x).ports = [{ containerPort: 70000 }]) },
  { id: 'port-dup-name', name: 'two ports of one name', apply: (s, x) => void (container(s, x).ports = [{ name: 'p', containerPort: 80 }, { name: 'p', containerPort: 81 }]) },
  { id: 'port-bad-protocol', name: 'port protocol HTTP', apply: (s, x) => void (container(s, x).ports = [{ containerPort: 80, protocol: 'HTTP' as never }]) },
  { id: 'mount-unknown', name: 'a volumeMount of a volume the SidecarSet does not have', apply: (s, x) => void (container(s, x).volumeMounts = [{ name: 'nowhere', mountPath: '/nowhere' }]) },
  {
    id: 'mount-dup-path',
    name: 'two volumeMounts at one mountPath',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'scratch'), { name: 'scratch', emptyDir: {} }];
      container(s, x).volumeMounts = [{ name: 'scratch', mountPath: '/same' }, { name: 'scratch', mountPath: '/same', subPath: 'b' }];
    },
  },
  {
    id: 'mount-no-path',
    name: 'a volumeMount without a mountPath',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'scratch'), { name: 'scratch', emptyDir: {} }];
      container(s, x).volumeMounts = [{ name: 'scratch' } as never];
    },
  },
  { id: 'quantity-bad', name: 'a resources quantity "lots"', apply: (s, x) => void (container(s, x).resources = { limits: { cpu: 'lots' } }) },
  { id: 'requests-over-limits', name: 'requests above limits', apply: (s, x) => void (container(s, x).resources = { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } }) },
  { id: 'resources-unknown-name', name: 'a resource name without a domain (gpu)', apply: (s, x) => void (container(s, x).resources = { limits: { gpu: '1' } }) },
  { id: 'resources-extended', name: 'control: an extended resource (example.com/gpu) with request equal to limit', apply: (s, x) => void (container(s, x).resources = { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '1' } }) },
  { id: 'resources-extended-overcommit', name: 'an extended resource requested below its limit', apply: (s, x) => void (container(s, x).resources = { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } }) },
  { id: 'resources-extended-no-limit', name: 'an extended resource requested without a limit', apply: (s, x) => void (container(s, x).resources = { requests: { 'example.com/gpu': '1' } }) },
  { id: 'resources-extended-fraction', name: 'an extended resource of 500m', apply: (s, x) => void (container(s, x).resources = { limits: { 'example.com/gpu': '500m' } }) },
  { id: 'resources-hugepages-alone', name: 'huge pages without cpu or memory', apply: (s, x) => void (container(s, x).resources = { limits: { 'hugepages-2Mi': '4Mi' }, requests: { 'hugepages-2Mi': '4Mi' } }) },
  { id: 'resources-pods', name: 'a resource named pods (standard, but not for containers)', apply: (s, x) => void (container(s, x).resources = { limits: { pods: '1' } }) },
  { id: 'probe-on-init', name: 'a livenessProbe on a plain initContainer', apply: (s, x) => void (plainInit(s, x).livenessProbe = { exec: { command: ['true'] } }) },
  { id: 'probe-no-handler', name: 'a readinessProbe without a handler', apply: (s, x) => void (container(s, x).readinessProbe = { periodSeconds: 5 }) },
  { id: 'startup-probe-default', name: 'a startupProbe without successThreshold (OpenKruise does not default it)', apply: (s, x) => void (container(s, x).startupProbe = { exec: { command: ['true'] } }) },
  { id: 'restart-policy-container', name: 'restartPolicy Always on a container', apply: (s, x) => void (container(s, x).restartPolicy = 'Always') },
  { id: 'restart-policy-init', name: 'restartPolicy OnFailure on an initContainer', apply: (s, x) => void (plainInit(s, x).restartPolicy = 'OnFailure' as never) },
  {
    id: 'native-rolling',
    name: 'a native sidecar (initContainer, restartPolicy Always) with RollingUpdate',
    differs: 'native-sidecar-rolling',
    apply: (s, x) => {
      rollingUpdateAllowed(s, x).type = 'RollingUpdate';
      plainInit(s, x).restartPolicy = 'Always';
    },
  },
  {
    id: 'native-default-strategy',
    name: 'a native sidecar without an updateStrategy (RollingUpdate by default)',
    differs: 'native-sidecar-rolling',
    apply: (s, x) => {
      rollingUpdateAllowed(s, x);
      delete s.spec.updateStrategy;
      plainInit(s, x).restartPolicy = 'Always';
    },
  },

  // The SidecarSet-only container fields
  { id: 'inject-policy', name: "a container's podInjectPolicy Middle", apply: (s, x) => void (container(s, x).podInjectPolicy = 'Middle' as never) },
  { id: 'inject-policy-init', name: "an initContainer's podInjectPolicy Middle", differs: 'enum-typo', apply: (s, x) => void (plainInit(s, x).podInjectPolicy = 'Middle' as never) },
  { id: 'share-volume', name: "a container's shareVolumePolicy sometimes", apply: (s, x) => void (container(s, x).shareVolumePolicy = { type: 'sometimes' as never }) },
  { id: 'share-volume-init', name: "an initContainer's shareVolumePolicy sometimes", differs: 'enum-typo', apply: (s, x) => void (plainInit(s, x).shareVolumePolicy = { type: 'sometimes' as never }) },
  { id: 'share-device', name: 'shareVolumeDevicePolicy sometimes', differs: 'enum-typo', apply: (s, x) => void (container(s, x).shareVolumeDevicePolicy = { type: 'sometimes' as never }) },
  { id: 'upgrade-type', name: 'upgradeType WarmUpgrade', differs: 'enum-typo', apply: (s, x) => void (container(s, x).upgradeStrategy = { upgradeType: 'WarmUpgrade' as never }) },
  { id: 'hot-no-empty-image', name: 'HotUpgrade without hotUpgradeEmptyImage', differs: 'hot-upgrade-rules', apply: (s, x) => void (container(s, x).upgradeStrategy = { upgradeType: 'HotUpgrade' }) },
  {
    id: 'hot-upgrade',
    name: 'control: HotUpgrade with hotUpgradeEmptyImage',
    apply: (s, x) => void (container(s, x).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'openkruise/hotupgrade-sample:empty' }),
  },
  {
    id: 'hot-twin-name',
    name: 'a HotUpgrade sidecar next to a container named like one of its twins (<name>-1)',
    differs: 'hot-upgrade-rules',
    apply: (s, x) => {
      const hot = container(s, x);
      hot.upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'openkruise/hotupgrade-sample:empty' };
      s.spec.containers!.push(plain(`${hot.name}-1`));
    },
  },
  {
    id: 'hot-init',
    name: 'HotUpgrade on an initContainer',
    differs: 'hot-upgrade-rules',
    apply: (s, x) => void (plainInit(s, x).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'openkruise/hotupgrade-sample:empty' }),
  },
  { id: 'transfer-no-source', name: 'transferEnv without a source container', differs: 'transfer-env-incomplete', apply: (s, x) => void (container(s, x).transferEnv = [{ envName: 'TZ' }]) },
  { id: 'transfer-no-env', name: 'transferEnv without envName or envNames', differs: 'transfer-env-incomplete', apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerName: 'app' }]) },
  {
    id: 'transfer-field-node',
    name: 'transferEnv from fieldPath spec.nodeName',
    apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { fieldPath: 'spec.nodeName' } }, envName: 'TZ' }]),
  },
  {
    id: 'transfer-field-name',
    name: 'transferEnv from fieldPath metadata.name',
    apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { fieldPath: 'metadata.name' } }, envName: 'TZ' }]),
  },
  {
    id: 'transfer-field-bad-key',
    name: "transferEnv from metadata.labels['bad key']",
    apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { fieldPath: "metadata.labels['bad key']" } }, envName: 'TZ' }]),
  },
  {
    id: 'transfer-field-version',
    name: 'transferEnv fieldRef apiVersion v2',
    apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { apiVersion: 'v2', fieldPath: "metadata.labels['source']" } }, envName: 'TZ' }]),
  },

  { id: 'image-whitespace', name: 'an image with a leading space', apply: (s, x) => void (container(s, x).image = ' busybox:1.36') },
  { id: 'container-name-64', name: 'a container name of 64 characters', apply: (s, x) => void (container(s, x).name = `c${x}`.padEnd(64, 'c')) },
  {
    id: 'mount-sub-path-absolute',
    name: 'a volumeMount with an absolute subPath',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'scratch'), { name: 'scratch', emptyDir: {} }];
      container(s, x).volumeMounts = [{ name: 'scratch', mountPath: '/scratch', subPath: '/abs' }];
    },
  },
  {
    id: 'mount-propagation',
    name: 'a volumeMount with mountPropagation Sideways',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'scratch'), { name: 'scratch', emptyDir: {} }];
      container(s, x).volumeMounts = [{ name: 'scratch', mountPath: '/scratch', mountPropagation: 'Sideways' as never }];
    },
  },
  {
    id: 'device-not-a-claim',
    name: 'a volumeDevice of an emptyDir volume',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'scratch'), { name: 'scratch', emptyDir: {} }];
      container(s, x).volumeDevices = [{ name: 'scratch', devicePath: '/dev/scratch' }];
    },
  },
  {
    id: 'device-claim',
    name: 'control: a volumeDevice of a persistentVolumeClaim volume',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'blockdev'), { name: 'blockdev', persistentVolumeClaim: { claimName: 'blk' } }];
      container(s, x).volumeDevices = [{ name: 'blockdev', devicePath: '/dev/blk' }];
    },
  },
  { id: 'device-unknown', name: 'a volumeDevice of a volume the SidecarSet does not have', apply: (s, x) => void (container(s, x).volumeDevices = [{ name: 'nowhere', devicePath: '/dev/x' }]) },
  { id: 'env-secret-no-key', name: 'an env var from a secretKeyRef without a key', apply: (s, x) => void (container(s, x).env = [{ name: 'A', valueFrom: { secretKeyRef: { name: 's' } as never } }]) },
  { id: 'env-resource-bad', name: 'an env var from resourceFieldRef limits.gpu', apply: (s, x) => void (container(s, x).env = [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }]) },
  { id: 'env-dup', name: 'control: one env var name twice (the Pod API allows it)', apply: (s, x) => void (container(s, x).env = [{ name: 'A', value: '1' }, { name: 'A', value: '2' }]) },
  {
    id: 'privileged-no-escalation',
    name: 'privileged with allowPrivilegeEscalation false',
    apply: (s, x) => void (container(s, x).securityContext = { privileged: true, allowPrivilegeEscalation: false }),
  },
  { id: 'privileged', name: 'control: a privileged sidecar', apply: (s, x) => void (container(s, x).securityContext = { privileged: true }) },
  { id: 'seccomp-localhost', name: 'a Localhost seccomp profile without localhostProfile', apply: (s, x) => void (container(s, x).securityContext = { seccompProfile: { type: 'Localhost' } }) },
  { id: 'port-dup', name: 'control: one containerPort twice, once named', apply: (s, x) => void (container(s, x).ports = [{ containerPort: 80 }, { name: 'http', containerPort: 80 }]) },
  { id: 'resources-claims', name: 'resources.claims naming a claim the pod does not have', apply: (s, x) => void (container(s, x).resources = { claims: [{ name: 'gpu' }] }) },
  { id: 'run-as-user-negative', name: 'securityContext.runAsUser -1', apply: (s, x) => void (container(s, x).securityContext = { runAsUser: -1 }) },
  { id: 'probe-grace-zero', name: 'a livenessProbe with terminationGracePeriodSeconds 0', apply: (s, x) => void (container(s, x).livenessProbe = { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 }) },
  { id: 'probe-two-handlers', name: 'a livenessProbe with exec and tcpSocket', apply: (s, x) => void (container(s, x).livenessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } }) },
  { id: 'lifecycle-no-handler', name: 'a preStop without a handler', apply: (s, x) => void (container(s, x).lifecycle = { preStop: {} }) },
  { id: 'readiness-success-3', name: 'control: a readinessProbe with successThreshold 3', apply: (s, x) => void (container(s, x).readinessProbe = { exec: { command: ['true'] }, successThreshold: 3 }) },
  {
    id: 'host-port-twice',
    name: 'two sidecars claiming one hostPort',
    apply: (s, x) => {
      container(s, x).ports = [{ containerPort: 80, hostPort: 8080 }];
      s.spec.containers!.push({ ...plain(`second-${x}`), ports: [{ containerPort: 81, hostPort: 8080 }] });
    },
  },
  { id: 'resize-policy', name: 'a resizePolicy with restartPolicy Sometimes', apply: (s, x) => void (container(s, x).resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'Sometimes' as never }]) },
  {
    id: 'transfer-both-sources',
    name: 'transferEnv with sourceContainerName and sourceContainerNameFrom',
    differs: 'transfer-env-unclear',
    apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerName: 'app', sourceContainerNameFrom: { fieldRef: { fieldPath: "metadata.labels['source']" } }, envName: 'TZ' }]),
  },
  { id: 'transfer-bad-env-name', name: 'transferEnv of a variable named A=B', differs: 'transfer-env-unclear', apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerName: 'app', envName: 'A=B' }]) },
  { id: 'transfer-bad-source-name', name: 'transferEnv from a container named Bad_Name', differs: 'transfer-env-unclear', apply: (s, x) => void (container(s, x).transferEnv = [{ sourceContainerName: 'Bad_Name', envName: 'TZ' }]) },

  { id: 'port-host-ip', name: 'a port with hostIP not-an-ip', apply: (s, x) => void (container(s, x).ports = [{ containerPort: 80, hostPort: 80, hostIP: 'not-an-ip' }]) },
  { id: 'env-from-prefix', name: 'an envFrom prefix 1A=', apply: (s, x) => void (container(s, x).envFrom = [{ prefix: '1A=', configMapRef: { name: 'c' } }]) },
  { id: 'env-config-map-key', name: 'an env var from configMapKeyRef key "bad key"', apply: (s, x) => void (container(s, x).env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'bad key' } } }]) },
  { id: 'probe-port-zero', name: 'a tcpSocket probe on port 0', apply: (s, x) => void (container(s, x).livenessProbe = { tcpSocket: { port: 0 } }) },
  { id: 'probe-port-name-bad', name: 'an httpGet probe on port name Bad_Port', apply: (s, x) => void (container(s, x).readinessProbe = { httpGet: { port: 'Bad_Port' } }) },
  { id: 'probe-http-scheme', name: 'an httpGet probe with scheme FTP', apply: (s, x) => void (container(s, x).readinessProbe = { httpGet: { port: 80, scheme: 'FTP' as never } }) },
  { id: 'sleep-zero', name: 'a preStop sleep of 0 seconds', apply: (s, x) => void (container(s, x).lifecycle = { preStop: { sleep: { seconds: 0 } } }) },
  {
    id: 'recursive-read-only',
    name: 'recursiveReadOnly Enabled on a mount that is not readOnly',
    apply: (s, x) => {
      s.spec.volumes = [...(s.spec.volumes ?? []).filter((v) => v.name !== 'scratch'), { name: 'scratch', emptyDir: {} }];
      container(s, x).volumeMounts = [{ name: 'scratch', mountPath: '/scratch', recursiveReadOnly: 'Enabled' }];
    },
  },
  { id: 'termination-path-long', name: 'a terminationMessagePath of 5,000 characters', apply: (s, x) => void (container(s, x).terminationMessagePath = `/${'t'.repeat(4999)}`) },

  // spec.volumes
  { id: 'secret-no-name', name: 'a secret volume without a secretName', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'sec', secret: {} }]) },
  { id: 'empty-dir-medium', name: 'an emptyDir with medium Disk', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'med', emptyDir: { medium: 'Disk' } }]) },
  { id: 'csi-no-driver', name: 'a csi volume without a driver', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'csi', csi: {} as never }]) },
  {
    id: 'downward-resource-no-container',
    name: 'a downwardAPI volume item from resourceFieldRef without containerName',
    apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'dw', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } }] } }]),
  },
  { id: 'host-path-dotdot', name: 'a hostPath with ..', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'hp', hostPath: { path: '/var/../etc' } }]) },
  {
    id: 'projected-dup-path',
    name: 'a projected volume with two sources writing one path',
    apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'pj', projected: { sources: [{ configMap: { name: 'a', items: [{ key: 'k', path: 'same' }] } }, { secret: { name: 'b', items: [{ key: 'k', path: 'same' }] } }] } }]),
  },
  { id: 'volume-name-64', name: 'a volume name of 64 characters', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'v'.repeat(64), emptyDir: {} }]) },
  { id: 'volume-size-negative', name: 'an emptyDir sizeLimit of -1Gi', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'neg', emptyDir: { sizeLimit: '-1Gi' } }]) },
  { id: 'volume-items-dotdot', name: 'a configMap item path with ..', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'cmi', configMap: { name: 'c', items: [{ key: 'k', path: '../k' }] } }]) },
  { id: 'volume-cross-namespace', name: 'control: a configMap volume named <namespace>/<name> (issue 10)', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'xns', configMap: { name: 'kube-system/filebeat-config' } }]) },
  { id: 'volume-dup', name: 'two volumes of one name', apply: (s) => void (s.spec.volumes = [{ name: 'twice', emptyDir: {} }, { name: 'twice', emptyDir: { medium: 'Memory' } }]) },
  { id: 'volume-two-sources', name: 'a volume with emptyDir and hostPath', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'both', emptyDir: {}, hostPath: { path: '/tmp' } }]) },
  { id: 'volume-no-source', name: 'control: a volume without a source (defaulted to emptyDir)', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'bare' }]) },
  { id: 'volume-bad-name', name: 'a volume name with an underscore', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'bad_vol', emptyDir: {} }]) },
  { id: 'host-path-no-path', name: 'a hostPath without a path', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'host', hostPath: {} as never }]) },
  { id: 'host-path-type', name: 'a hostPath of type Folder', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'host', hostPath: { path: '/tmp', type: 'Folder' } }]) },
  { id: 'config-map-no-name', name: 'a configMap volume without a name', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'cm', configMap: {} }]) },
  { id: 'secret-mode', name: 'a secret volume with defaultMode 01000', apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'sec', secret: { secretName: 's', defaultMode: 0o1000 } }]) },

  // Conflicts with CONFLICT_OTHER (a SidecarSet selecting the same pods)
  {
    id: 'conflict-volume',
    name: "a volume named like another SidecarSet's, defined differently",
    apply: (s) => void (overlapping(s), (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'clash-vol', emptyDir: {} }])),
  },
  {
    id: 'conflict-volume-same',
    name: "control: a volume named like another SidecarSet's, defined identically",
    apply: (s) => void (overlapping(s), (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'clash-vol', emptyDir: { medium: 'Memory' } }])),
  },
  {
    id: 'conflict-volume-exclusive',
    name: "control: a volume defined differently by a SidecarSet whose selector excludes the other's",
    apply: (s) => {
      overlapping(s);
      s.spec.selector = { matchLabels: { app: 'api' } };
      s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'clash-vol', emptyDir: {} }];
    },
  },
  ...(
    [
      ['tier-exists', 'app=web and tier Exists', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }],
      ['app-in', 'app In [web, api]', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }],
      ['app-not-in', 'app NotIn [web] (disjoint)', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }],
      ['app-absent', 'app DoesNotExist (disjoint)', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }],
      ['other-key', 'tier=front only', { matchLabels: { tier: 'front' } }],
      ['app-exists', 'app Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }],
      ['not-in-other', 'app NotIn [api]', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }],
    ] as const
  ).map(
    ([id, what, selector]): Breaker => ({
      id: `conflict-selector-${id}`,
      name: `a clashing volume, selecting ${what} next to another SidecarSet selecting app=web`,
      ...(id === 'tier-exists' && { differs: 'overlap-exact' as const }),
      apply: (s) => {
        overlapping(s);
        s.spec.selector = structuredClone(selector) as never;
        s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'clash-vol', emptyDir: {} }];
      },
    }),
  ),
  {
    id: 'conflict-namespace',
    name: 'a clashing volume in one namespace, next to a cluster-wide SidecarSet',
    apply: (s) => void (overlapping(s), (s.spec.namespace = 'diff-prod'), (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'clash-vol', emptyDir: {} }])),
  },
  { id: 'conflict-container', name: "a container named like another SidecarSet's container", apply: (s, x) => void (overlapping(s), (container(s, x).name = 'clash-c')) },
  { id: 'conflict-init', name: "an initContainer named like another SidecarSet's initContainer", apply: (s, x) => void (overlapping(s), (plainInit(s, x).name = 'clash-init')) },
  {
    id: 'conflict-cross-list',
    name: "a container named like another SidecarSet's initContainer",
    differs: 'cross-list-name-in-other',
    apply: (s, x) => void (overlapping(s), (container(s, x).name = 'clash-init')),
  },
  {
    id: 'conflict-overwrite',
    name: 'an annotation another SidecarSet overwrites, patched with Overwrite',
    apply: (s) => void (overlapping(s), patch(s, { [`${PATCH_ANNOTATION_PREFIX}clash`]: 'mine' }, 'Overwrite')),
  },
  {
    id: 'conflict-merge-overwrite',
    name: 'an annotation another SidecarSet overwrites, patched with MergePatchJson',
    apply: (s) => void (overlapping(s), patch(s, { [`${PATCH_ANNOTATION_PREFIX}clash`]: '{"mine":"on"}' }, 'MergePatchJson')),
  },
  {
    id: 'conflict-merge-merge',
    name: 'control: an annotation another SidecarSet merges, merged too',
    apply: (s) => void (overlapping(s), patch(s, { [`${PATCH_ANNOTATION_PREFIX}clash-merge`]: '{"mine":"on"}' }, 'MergePatchJson')),
  },
  {
    id: 'conflict-retain',
    name: 'control: an annotation another SidecarSet overwrites, patched with Retain',
    apply: (s) => void (overlapping(s), patch(s, { [`${PATCH_ANNOTATION_PREFIX}clash`]: 'mine' }, 'Retain')),
  },

  // spec.updateStrategy
  { id: 'max-unavailable-word', name: 'maxUnavailable "abc"', apply: (s, x) => void (rollingUpdateAllowed(s, x).maxUnavailable = 'abc') },
  { id: 'max-unavailable-negative', name: 'maxUnavailable -1', apply: (s, x) => void (rollingUpdateAllowed(s, x).maxUnavailable = -1) },
  { id: 'max-unavailable-zero', name: 'control: maxUnavailable 0', apply: (s, x) => void (rollingUpdateAllowed(s, x).maxUnavailable = 0) },
  { id: 'partition-quoted-number', name: 'partition "5" (a string, not a percentage)', apply: (s, x) => void (rollingUpdateAllowed(s, x).partition = '5') },
  { id: 'partition-negative', name: 'partition -2', apply: (s, x) => void (rollingUpdateAllowed(s, x).partition = -2) },
  { id: 'partition-decimal-percent', name: 'partition "5.5%"', apply: (s, x) => void (rollingUpdateAllowed(s, x).partition = '5.5%') },
  { id: 'partition-over-100', name: 'partition "150%"', differs: 'percent-over-100', apply: (s, x) => void (rollingUpdateAllowed(s, x).partition = '150%') },
  { id: 'max-unavailable-over-100', name: 'maxUnavailable "200%"', differs: 'percent-over-100', apply: (s, x) => void (rollingUpdateAllowed(s, x).maxUnavailable = '200%') },
  {
    id: 'partition-and-selector',
    name: 'partition with updateStrategy.selector',
    apply: (s, x) => void Object.assign(rollingUpdateAllowed(s, x), { partition: 1, selector: { matchLabels: { canary: 'true' } } }),
  },
  {
    id: 'partition-zero-and-selector',
    name: 'control: partition 0 with updateStrategy.selector',
    apply: (s, x) => void Object.assign(rollingUpdateAllowed(s, x), { partition: 0, selector: { matchLabels: { canary: 'true' } } }),
  },
  { id: 'update-selector-empty', name: 'an empty updateStrategy.selector', apply: (s, x) => void (rollingUpdateAllowed(s, x).selector = {}) },
  { id: 'update-type', name: 'updateStrategy.type Rollingupdate', differs: 'enum-typo', apply: (s, x) => void (rollingUpdateAllowed(s, x).type = 'Rollingupdate' as never) },
  {
    id: 'not-update-bad-max',
    name: 'NotUpdate with maxUnavailable "abc"',
    differs: 'not-update-strategy',
    apply: (s, x) => void Object.assign(rollingUpdateAllowed(s, x), { type: 'NotUpdate', maxUnavailable: 'abc' }),
  },
  {
    id: 'priority-both',
    name: 'weightPriority and orderPriority together',
    apply: (s, x) =>
      void (rollingUpdateAllowed(s, x).priorityStrategy = { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'front' } } }], orderPriority: [{ orderedKey: 'rank' }] }),
  },
  {
    id: 'priority-weight',
    name: 'a weightPriority weight of 101',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).priorityStrategy = { weightPriority: [{ weight: 101, matchSelector: { matchLabels: { tier: 'front' } } }] }),
  },
  {
    id: 'priority-empty-selector',
    name: 'a weightPriority with an empty matchSelector',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).priorityStrategy = { weightPriority: [{ weight: 10, matchSelector: {} }] }),
  },
  { id: 'order-key-empty', name: 'an empty orderedKey', apply: (s, x) => void (rollingUpdateAllowed(s, x).priorityStrategy = { orderPriority: [{ orderedKey: '' }] }) },
  {
    id: 'order-key-bad',
    name: 'an orderedKey that is not a label key',
    differs: 'order-key-not-a-label-key',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).priorityStrategy = { orderPriority: [{ orderedKey: 'bad key' }] }),
  },
  {
    id: 'priority-weight-negative',
    name: 'a weightPriority weight of -1',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).priorityStrategy = { weightPriority: [{ weight: -1, matchSelector: { matchLabels: { tier: 'front' } } }] }),
  },
  {
    id: 'priority-bad-operator',
    name: 'a weightPriority matchSelector with operator Equals',
    apply: (s, x) =>
      void (rollingUpdateAllowed(s, x).priorityStrategy = { weightPriority: [{ weight: 10, matchSelector: { matchExpressions: [{ key: 'tier', operator: 'Equals' as never, values: ['a'] }] } }] }),
  },
  { id: 'scatter-empty-value', name: 'a scatterStrategy term with an empty value', apply: (s, x) => void (rollingUpdateAllowed(s, x).scatterStrategy = [{ key: 'zone', value: '' }]) },
  {
    id: 'scatter-bad-key',
    name: 'a scatterStrategy key that is not a label key',
    differs: 'order-key-not-a-label-key',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).scatterStrategy = [{ key: 'bad key', value: 'a' }]),
  },
  { id: 'scatter-empty-key', name: 'a scatterStrategy term without a key', apply: (s, x) => void (rollingUpdateAllowed(s, x).scatterStrategy = [{ key: '', value: 'a' }]) },
  {
    id: 'scatter-dup',
    name: 'a scatterStrategy term twice',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).scatterStrategy = [{ key: 'zone', value: 'a' }, { key: 'zone', value: 'a' }]),
  },
  {
    id: 'scatter-bad-value',
    name: 'a scatterStrategy value that is not a label value',
    differs: 'order-key-not-a-label-key',
    apply: (s, x) => void (rollingUpdateAllowed(s, x).scatterStrategy = [{ key: 'zone', value: 'a b' }]),
  },

  // spec.injectionStrategy
  {
    id: 'revision-own-custom-version',
    name: "a customVersion pin equal to the SidecarSet's own custom-version label, no revision recorded",
    differs: 'pin-own-custom-version',
    apply: (s) => {
      s.metadata!.labels = { 'apps.kruise.io/sidecarset-custom-version': 'v1' };
      s.spec.injectionStrategy = { revision: { customVersion: 'v1', policy: 'Always' } };
    },
  },
  { id: 'revision-custom-version-missing', name: 'a customVersion pin no revision carries', apply: (s) => void (s.spec.injectionStrategy = { revision: { customVersion: 'nope' } }) },
  { id: 'revision-empty', name: 'injectionStrategy.revision without revisionName or customVersion', apply: (s) => void (s.spec.injectionStrategy = { revision: { policy: 'Always' } }) },
  { id: 'revision-missing', name: 'a revisionName that names no ControllerRevision', apply: (s) => void (s.spec.injectionStrategy = { revision: { revisionName: 'no-such-revision' } }) },
  { id: 'revision-policy', name: 'revision policy Sometimes', apply: (s) => void (s.spec.injectionStrategy = { revision: { revisionName: 'no-such-revision', policy: 'Sometimes' as never } }) },
  { id: 'injection-paused-string', name: 'injectionStrategy.paused "yes"', apply: (s) => void (s.spec.injectionStrategy = { paused: 'yes' as never }) },

  // spec.patchPodMetadata (keys whitelisted on OpenKruise's side)
  { id: 'patch-policy', name: 'patchPolicy Merge', differs: 'enum-typo', apply: (s) => void patch(s, { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-p`]: 'x' }, 'Merge') },
  { id: 'patch-no-annotations', name: 'a patch without annotations', apply: (s) => void patch(s, {}, 'Retain') },
  { id: 'patch-bad-key', name: 'an annotation key with a space', apply: (s) => void patch(s, { [`${PATCH_ANNOTATION_PREFIX}bad key`]: 'x' }, 'Retain') },
  {
    id: 'patch-dup-key',
    name: 'one annotation key in two patches',
    apply: (s) => {
      const key = `${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-dup`;
      patch(s, { [key]: 'a' }, 'Retain');
      patch(s, { [key]: 'b' }, 'Overwrite');
    },
  },
  {
    id: 'patch-merge-not-json',
    name: 'MergePatchJson with a value that is not JSON',
    differs: 'merge-patch-json-not-json',
    apply: (s) => void patch(s, { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-m`]: 'not json' }, 'MergePatchJson'),
  },
  { id: 'patch-not-whitelisted', name: 'an annotation key the whitelist does not allow', apply: (s) => void patch(s, { 'other.example/key': 'x' }, 'Retain') },
  { id: 'patch-value-not-string', name: 'an annotation value that is a number', apply: (s) => void patch(s, { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-num`]: 5 as never }, 'Retain') },
  {
    id: 'patch-too-large',
    name: 'two patched annotations of 150 KiB each (over the 256 KiB of all annotations)',
    apply: (s) =>
      void patch(s, { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-big1`]: 'a'.repeat(150 * 1024), [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-big2`]: 'b'.repeat(150 * 1024) }, 'Retain'),
  },
  { id: 'patch-no-policy', name: 'control: a patch without patchPolicy (Retain by default)', apply: (s) => void patch(s, { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-n`]: 'x' }) },

  // The rest of the spec
  { id: 'revision-history-negative', name: 'revisionHistoryLimit -1', differs: 'revision-history-negative', apply: (s) => void (s.spec.revisionHistoryLimit = -1) },
  { id: 'pull-secret-unnamed', name: 'an imagePullSecrets entry without a name', differs: 'pull-secret-unnamed', apply: (s) => void (s.spec.imagePullSecrets = [{}]) },
  { id: 'selector-label-too-long', name: 'a matchLabels value of 64 characters', apply: (s) => void (s.spec.selector = { matchLabels: { app: 'w'.repeat(64) } }) },
  { id: 'unknown-field', name: 'control: a field neither CRD knows (spec.extra)', apply: (s) => void ((s.spec as Record<string, unknown>).extra = 'x') },
  { id: 'no-containers', name: 'no containers and no initContainers', apply: (s) => void ((s.spec.containers = []), delete s.spec.initContainers) },
  { id: 'spec-missing', name: 'no spec', apply: (s) => void delete (s as { spec?: unknown }).spec },
];

export interface BrokenCase {
  breaker: Breaker;
  sidecarSet: SidecarSet;
}

/** `perBreaker` broken SidecarSets for every breaker, named `${prefix}-<n>`, from valid ones generated with `seed`. */
export function brokenSidecarSets(prefix: string, perBreaker: number, seed: number): BrokenCase[] {
  return Array.from({ length: BREAKERS.length * perBreaker }, (_, i) => {
    const breaker = BREAKERS[i % BREAKERS.length]!;
    const [sidecarSet] = fc.sample(sidecarSetArb(`${prefix}-${i}`, `${prefix}${i}`), { seed: seed + i, numRuns: 1 });
    breaker.apply(sidecarSet!, `${prefix}${i}`);
    return { breaker, sidecarSet: sidecarSet! };
  });
}

// ---------------------------------------------------------------------------------------------
// Updates: a valid SidecarSet created, then changed
// ---------------------------------------------------------------------------------------------
export interface UpdateChange {
  id: string;
  name: string;
  /** Whether both must refuse the change: it touches a field OpenKruise makes immutable, or conflicts with CONFLICT_OTHER. */
  refused: boolean;
  /** Whether the change alters the sidecar image only (hash changes, hash-without-image does not). */
  imageOnly?: boolean;
  /** Whether neither hash may change. */
  hashesKept?: boolean;
  apply: (s: SidecarSet, suffix: string) => void;
}

const firstSidecar = (s: SidecarSet): SidecarContainer => (s.spec.containers?.[0] ?? s.spec.initContainers?.[0])!;
const nextImage = (image: string | undefined): string => (image === 'nginx:1.25' ? 'nginx:1.27' : 'nginx:1.25');

export const UPDATE_CHANGES: UpdateChange[] = [
  { id: 'image', name: "the first sidecar's image", refused: false, imageOnly: true, apply: (s) => void (firstSidecar(s).image = nextImage(firstSidecar(s).image)) },
  { id: 'env', name: 'an env var added to the first sidecar', refused: false, apply: (s) => void (firstSidecar(s).env = [...(firstSidecar(s).env ?? []), { name: 'ADDED', value: 'yes' }]) },
  { id: 'volume', name: 'a volume added', refused: false, hashesKept: true, apply: (s) => void (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'added', emptyDir: {} }]) },
  {
    id: 'patch',
    name: 'a patchPodMetadata entry added',
    refused: false,
    hashesKept: true,
    apply: (s) => void patch(s, { [`${PATCH_ANNOTATION_PREFIX}${s.metadata!.name}-added`]: 'x' }, 'Retain'),
  },
  { id: 'selector', name: 'the selector changed', refused: false, hashesKept: true, apply: (s) => void (s.spec.selector = { matchLabels: { app: 'batch', tier: 'back' } }) },
  {
    id: 'strategy',
    name: 'updateStrategy paused and maxUnavailable 50%',
    refused: false,
    hashesKept: true,
    apply: (s) => void Object.assign((s.spec.updateStrategy ??= {}), { paused: true, ...(s.spec.updateStrategy?.type === 'NotUpdate' ? {} : { maxUnavailable: '50%' }) }),
  },
  { id: 'init-added', name: 'a plain initContainer added', refused: false, apply: (s, x) => void plainInit(s, `u${x}`) },
  {
    id: 'container-renamed',
    name: 'a container renamed',
    refused: true,
    apply: (s, x) => void (container(s, x).name = `renamed-${x}`),
  },
  { id: 'container-added', name: 'a container added', refused: true, apply: (s, x) => void (container(s, x), s.spec.containers!.push(plain(`added-${x}`))) },
  {
    id: 'volume-clash',
    name: "moved over CONFLICT_OTHER's pods, with a volume it defines differently",
    refused: true,
    apply: (s) => void (overlapping(s), (s.spec.volumes = [...(s.spec.volumes ?? []), { name: 'clash-vol', emptyDir: {} }])),
  },
  {
    id: 'overwrite-clash',
    name: 'moved over CONFLICT_OTHER\'s pods, overwriting an annotation it overwrites',
    refused: true,
    apply: (s) => void (overlapping(s), patch(s, { [`${PATCH_ANNOTATION_PREFIX}clash`]: 'mine' }, 'Overwrite')),
  },
  {
    id: 'upgrade-type-changed',
    name: "a container's upgradeType flipped (ColdUpgrade -> HotUpgrade, or back when the generator made it hot)",
    refused: true,
    apply: (s, x) => {
      const sidecar = container(s, x);
      // A generated container may be hot already: setting HotUpgrade again would change nothing.
      sidecar.upgradeStrategy =
        sidecar.upgradeStrategy?.upgradeType === 'HotUpgrade' ? { upgradeType: 'ColdUpgrade' } : { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'openkruise/hotupgrade-sample:empty' };
    },
  },
];
