import type { SidecarContainer, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { defaultSidecarSet } from '../defaults/defaultSidecarSet.js';
import { validateSidecarSet } from './validateSidecarSet.js';

const valid = (): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'logtail' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    containers: [{ name: 'logtail', image: 'logtail:1.0.0', volumeMounts: [{ name: 'log', mountPath: '/var/log' }] }],
    volumes: [{ name: 'log', emptyDir: {} }],
  },
});

/** `path type` of every error, for compact expectations. */
const found = (next: SidecarSet, previous?: SidecarSet, others: SidecarSet[] = []) =>
  validateSidecarSet(next, previous, others).map((e) => `${e.path} ${e.type}`);

const c0 = (s: SidecarSet): SidecarContainer => s.spec.containers![0]!;

type Case = [name: string, change: (s: SidecarSet) => void, expected: string[]];

const cases: Case[] = [
  ['the base SidecarSet is valid', () => {}, []],
  // metadata
  ['a missing name is required', (s) => delete s.metadata!.name, ['metadata.name Required']],
  ['an upper-case name is invalid', (s) => (s.metadata!.name = 'LogTail'), ['metadata.name Invalid']],
  // OpenKruise v1.9.0 refuses it (regex ^[a-zA-Z0-9\-]+$), though the API server would take the DNS subdomain.
  ['a dotted name is invalid', (s) => (s.metadata!.name = 'logtail.v2'), ['metadata.name Invalid']],
  ['a name longer than 63 characters is too long', (s) => (s.metadata!.name = 'a'.repeat(64)), ['metadata.name TooLong']],
  // selector and scope
  ['a missing selector is required', (s) => delete s.spec.selector, ['spec.selector Required']],
  ['an empty selector is rejected', (s) => (s.spec.selector = {}), ['spec.selector Invalid']],
  ['a bad selector value is reported inside the selector', (s) => (s.spec.selector = { matchLabels: { app: 'a b' } }), ['spec.selector.matchLabels[app] Invalid']],
  [
    'In without values is rejected at the requirement',
    (s) => (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In' }] }),
    ['spec.selector.matchExpressions[0].values Required'],
  ],
  ['an invalid namespace is rejected', (s) => (s.spec.namespace = 'Ns_1'), ['spec.namespace Invalid']],
  [
    'namespace together with namespaceSelector is forbidden',
    (s) => Object.assign(s.spec, { namespace: 'ns-1', namespaceSelector: { matchLabels: { team: 'a' } } }),
    ['spec.namespaceSelector Forbidden'],
  ],
  ['an empty namespaceSelector is rejected', (s) => (s.spec.namespaceSelector = {}), ['spec.namespaceSelector Invalid']],
  // containers as a pod would validate them
  ['no containers at all is rejected', (s) => (s.spec.containers = []), ['spec.containers Required']],
  ['only an initContainer is fine', (s) => Object.assign(s.spec, { containers: undefined, initContainers: [{ name: 'init', image: 'busybox' }] }), []],
  ['a missing image is required', (s) => delete c0(s).image, ['spec.containers[0].image Required']],
  ['an image with trailing space is invalid', (s) => (c0(s).image = 'busybox '), ['spec.containers[0].image Invalid']],
  ['a container name must be a DNS label', (s) => (c0(s).name = 'Log_Tail'), ['spec.containers[0].name Invalid']],
  [
    'container names are unique across containers',
    (s) => s.spec.containers!.push({ name: 'logtail', image: 'busybox' }),
    ['spec.containers[1].name Duplicate'],
  ],
  [
    'container names are unique across initContainers and containers',
    (s) => (s.spec.initContainers = [{ name: 'logtail', image: 'busybox' }]),
    ['spec.containers[0].name Duplicate'],
  ],
  ['an unknown imagePullPolicy is not supported', (s) => (c0(s).imagePullPolicy = 'Sometimes'), ['spec.containers[0].imagePullPolicy NotSupported']],
  ['a mount of an undeclared volume is rejected', (s) => (c0(s).volumeMounts = [{ name: 'other', mountPath: '/x' }]), ['spec.containers[0].volumeMounts[0].name Invalid']],
  ['a mount without a volume name is required', (s) => (c0(s).volumeMounts = [{ name: '', mountPath: '/x' }]), ['spec.containers[0].volumeMounts[0].name Required']],
  ['a relative mountPath is rejected', (s) => (c0(s).volumeMounts = [{ name: 'log', mountPath: 'var/log' }]), ['spec.containers[0].volumeMounts[0].mountPath Invalid']],
  [
    'two mounts on one mountPath are rejected',
    (s) => c0(s).volumeMounts!.push({ name: 'log', mountPath: '/var/log' }),
    ['spec.containers[0].volumeMounts[1].mountPath Duplicate'],
  ],
  ['a subPath with .. is rejected', (s) => (c0(s).volumeMounts![0]!.subPath = '../etc'), ['spec.containers[0].volumeMounts[0].subPath Invalid']],
  ['a port out of range is rejected', (s) => (c0(s).ports = [{ containerPort: 70000 }]), ['spec.containers[0].ports[0].containerPort Invalid']],
  ['a port name longer than 15 characters is rejected', (s) => (c0(s).ports = [{ containerPort: 80, name: 'a-very-long-port-name' }]), ['spec.containers[0].ports[0].name Invalid']],
  [
    'duplicate port names are rejected',
    (s) => (c0(s).ports = [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }]),
    ['spec.containers[0].ports[1].name Duplicate'],
  ],
  ['an unknown protocol is not supported', (s) => (c0(s).ports = [{ containerPort: 80, protocol: 'HTTP' }]), ['spec.containers[0].ports[0].protocol NotSupported']],
  [
    'two sidecars claiming one hostPort are rejected',
    (s) => {
      c0(s).ports = [{ containerPort: 80, hostPort: 8080 }];
      s.spec.containers!.push({ name: 'other', image: 'busybox', ports: [{ containerPort: 81, hostPort: 8080 }] });
    },
    ['spec.containers[1].ports[0].hostPort Duplicate'],
  ],
  [
    'requests above limits are rejected',
    (s) => (c0(s).resources = { requests: { cpu: '1', memory: '30Mi' }, limits: { cpu: '500m', memory: '1Gi' } }),
    ['spec.containers[0].resources.requests[cpu] Invalid'],
  ],
  ['an unreadable quantity is rejected', (s) => (c0(s).resources = { limits: { memory: '512MB' } }), ['spec.containers[0].resources.limits[memory] Invalid']],
  ['a negative quantity is rejected', (s) => (c0(s).resources = { requests: { cpu: '-1' } }), ['spec.containers[0].resources.requests[cpu] Invalid']],
  // Found by tools/kruise/test/differentialSidecarSets.integration.test.ts: what the API server's pod
  // validation (and so OpenKruise, over its fake pod) refuses in a container.
  ['a negative runAsUser is invalid', (s) => (c0(s).securityContext = { runAsUser: -1 }), ['spec.containers[0].securityContext.runAsUser Invalid']],
  [
    'privileged with allowPrivilegeEscalation false is invalid',
    (s) => (c0(s).securityContext = { privileged: true, allowPrivilegeEscalation: false }),
    ['spec.containers[0].securityContext Invalid'],
  ],
  [
    'a Localhost seccomp profile needs its localhostProfile',
    (s) => (c0(s).securityContext = { seccompProfile: { type: 'Localhost' } }),
    ['spec.containers[0].securityContext.seccompProfile.localhostProfile Required'],
  ],
  ['a resource claim is invalid: a SidecarSet cannot add the pod claim', (s) => (c0(s).resources = { claims: [{ name: 'gpu' }] }), ['spec.containers[0].resources.claims[0] Invalid']],
  ['a preStop sleep of 0 seconds is invalid', (s) => (c0(s).lifecycle = { preStop: { sleep: { seconds: 0 } } }), ['spec.containers[0].lifecycle.preStop.sleep Invalid']],
  ['a preStop sleep longer than the default grace period is invalid', (s) => (c0(s).lifecycle = { preStop: { sleep: { seconds: 31 } } }), ['spec.containers[0].lifecycle.preStop.sleep Invalid']],
  ['a hostPath with .. is invalid', (s) => s.spec.volumes!.push({ name: 'hp', hostPath: { path: '/var/../etc' } }), ['spec.volumes[1].hostPath.path Invalid']],
  ['any emptyDir medium is taken, as the Pod API takes it', (s) => s.spec.volumes!.push({ name: 'med', emptyDir: { medium: 'Disk' } }), []],
  [
    'a downwardAPI volume item from resourceFieldRef needs its containerName',
    (s) => s.spec.volumes!.push({ name: 'dw', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } }] } }),
    ['spec.volumes[1].downwardAPI.items[0].resourceFieldRef.containerName Required'],
  ],
  [
    'two sources of a projected volume may not write one path',
    (s) => s.spec.volumes!.push({ name: 'pj', projected: { sources: [{ configMap: { name: 'a', items: [{ key: 'k', path: 'same' }] } }, { secret: { name: 'b', items: [{ key: 'k', path: 'same' }] } }] } }),
    ['spec.volumes[1].projected.sources[1] Invalid'],
  ],
  [
    "a patch's annotations may not exceed 256 KiB together",
    (s) => (s.spec.patchPodMetadata = [{ annotations: { 'example.com/a': 'a'.repeat(150 * 1024), 'example.com/b': 'b'.repeat(150 * 1024) }, patchPolicy: 'Retain' }]),
    ['spec.patchPodMetadata[0].annotations TooLong'],
  ],
  ['a scatter term with an empty value is a label value', (s) => (s.spec.updateStrategy = { scatterStrategy: [{ key: 'zone', value: '' }] }), []],
  ['a privileged sidecar is fine', (s) => (c0(s).securityContext = { privileged: true }), []],
  [
    'a resizePolicy restartPolicy must be NotRequired or RestartContainer',
    (s) => (c0(s).resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'Sometimes' as never }]),
    ['spec.containers[0].resizePolicy[0].restartPolicy NotSupported'],
  ],
  [
    'a volumeDevice must use a persistentVolumeClaim or ephemeral volume',
    (s) => (c0(s).volumeDevices = [{ name: 'log', devicePath: '/dev/log' }]),
    ['spec.containers[0].volumeDevices[0].name Invalid'],
  ],
  [
    'a volumeDevice of a persistentVolumeClaim volume is fine',
    (s) => {
      s.spec.volumes!.push({ name: 'blk', persistentVolumeClaim: { claimName: 'blk' } });
      c0(s).volumeDevices = [{ name: 'blk', devicePath: '/dev/blk' }];
    },
    [],
  ],
  // OpenKruise does not default startupProbe.successThreshold and refuses the 0 it leaves.
  ['a startup probe without successThreshold is invalid', (s) => (c0(s).startupProbe = { exec: { command: ['true'] } }), ['spec.containers[0].startupProbe.successThreshold Invalid']],
  ['a startup probe with successThreshold 1 is fine', (s) => (c0(s).startupProbe = { exec: { command: ['true'] }, successThreshold: 1 }), []],
  // Container resource names as the API server (and so OpenKruise, over its fake pod) checks them.
  ['a resource name without a domain must be a container resource', (s) => (c0(s).resources = { limits: { gpu: '1' } }), ['spec.containers[0].resources.limits[gpu] Invalid']],
  ['pods is a resource, but not one of a container', (s) => (c0(s).resources = { limits: { pods: '1' } }), ['spec.containers[0].resources.limits[pods] Invalid']],
  [
    'an extended resource with request equal to limit is fine',
    (s) => (c0(s).resources = { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '1' } }),
    [],
  ],
  [
    'an extended resource cannot be requested below its limit',
    (s) => (c0(s).resources = { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } }),
    ['spec.containers[0].resources.requests[example.com/gpu] Invalid'],
  ],
  [
    'an extended resource request needs a limit',
    (s) => (c0(s).resources = { requests: { 'example.com/gpu': '1' } }),
    ['spec.containers[0].resources.limits[example.com/gpu] Required'],
  ],
  ['an extended resource is counted in whole units', (s) => (c0(s).resources = { limits: { 'example.com/gpu': '500m' } }), ['spec.containers[0].resources.limits[example.com/gpu] Invalid']],
  [
    'huge pages need cpu or memory too',
    (s) => (c0(s).resources = { limits: { 'hugepages-2Mi': '4Mi' }, requests: { 'hugepages-2Mi': '4Mi' } }),
    ['spec.containers[0].resources Forbidden'],
  ],
  ['huge pages with memory are fine', (s) => (c0(s).resources = { limits: { 'hugepages-2Mi': '4Mi', memory: '64Mi' }, requests: { 'hugepages-2Mi': '4Mi' } }), []],
  ['an env name with a space is rejected', (s) => (c0(s).env = [{ name: 'MY VAR', value: 'x' }]), ['spec.containers[0].env[0].name Invalid']],
  ['an env var without a name is required', (s) => (c0(s).env = [{ name: '', value: 'x' }]), ['spec.containers[0].env[0].name Required']],
  [
    'value together with valueFrom is rejected',
    (s) => (c0(s).env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
    ['spec.containers[0].env[0].valueFrom Invalid'],
  ],
  [
    'an unsupported fieldRef path is rejected',
    (s) => (c0(s).env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } }]),
    ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath NotSupported'],
  ],
  ['a probe without a handler is rejected', (s) => (c0(s).livenessProbe = { periodSeconds: 5 }), ['spec.containers[0].livenessProbe Required']],
  ['a liveness probe needs successThreshold 1', (s) => (c0(s).livenessProbe = { exec: { command: ['true'] }, successThreshold: 2 }), ['spec.containers[0].livenessProbe.successThreshold Invalid']],
  ['a probe with two handlers is rejected', (s) => (c0(s).readinessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } }), ['spec.containers[0].readinessProbe.tcpSocket Forbidden']],
  ['restartPolicy on a regular container is forbidden', (s) => (c0(s).restartPolicy = 'Always'), ['spec.containers[0].restartPolicy Forbidden']],
  ['an initContainer with restartPolicy Always is a native sidecar', (s) => (s.spec.initContainers = [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 1 } } }]), []],
  ['an initContainer restartPolicy other than Always is not supported', (s) => (s.spec.initContainers = [{ name: 'init', image: 'busybox', restartPolicy: 'OnFailure' }]), ['spec.initContainers[0].restartPolicy NotSupported']],
  ['a probe on a plain initContainer is forbidden', (s) => (s.spec.initContainers = [{ name: 'init', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }]), ['spec.initContainers[0].livenessProbe Forbidden']],
  // sidecar-only fields
  ['an unknown podInjectPolicy is not supported', (s) => (c0(s).podInjectPolicy = 'Middle' as never), ['spec.containers[0].podInjectPolicy NotSupported']],
  ['an unknown upgradeType is not supported', (s) => (c0(s).upgradeStrategy = { upgradeType: 'WarmUpgrade' as never }), ['spec.containers[0].upgradeStrategy.upgradeType NotSupported']],
  ['shareVolumePolicy written as a scalar is a type error', (s) => (c0(s).shareVolumePolicy = 'disabled' as never), ['spec.containers[0].shareVolumePolicy TypeInvalid']],
  ['an unknown shareVolumePolicy type is not supported', (s) => (c0(s).shareVolumePolicy = { type: 'yes' as never }), ['spec.containers[0].shareVolumePolicy.type NotSupported']],
  ['HotUpgrade needs hotUpgradeEmptyImage', (s) => (c0(s).upgradeStrategy = { upgradeType: 'HotUpgrade' }), ['spec.containers[0].upgradeStrategy.hotUpgradeEmptyImage Required']],
  [
    'HotUpgrade with the empty image equal to the image is rejected',
    (s) => (c0(s).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'logtail:1.0.0' }),
    ['spec.containers[0].upgradeStrategy.hotUpgradeEmptyImage Invalid'],
  ],
  ['HotUpgrade with a distinct empty image is fine', (s) => (c0(s).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'logtail:empty' }), []],
  [
    'HotUpgrade on an initContainer is forbidden',
    (s) => (s.spec.initContainers = [{ name: 'init', image: 'busybox', upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'empty' } }]),
    ['spec.initContainers[0].upgradeStrategy.upgradeType Forbidden'],
  ],
  [
    'HotUpgrade twin names may not collide with another sidecar',
    (s) => {
      c0(s).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'empty' };
      s.spec.containers!.push({ name: 'logtail-1', image: 'busybox' });
    },
    ['spec.containers[0].upgradeStrategy.upgradeType Duplicate'],
  ],
  ['transferEnv needs a source container', (s) => (c0(s).transferEnv = [{ envName: 'TZ' }]), ['spec.containers[0].transferEnv[0].sourceContainerName Required']],
  ['transferEnv needs a variable name', (s) => (c0(s).transferEnv = [{ sourceContainerName: 'nginx' }]), ['spec.containers[0].transferEnv[0].envName Required']],
  [
    'transferEnv with both sourceContainerName and sourceContainerNameFrom is rejected',
    (s) => (c0(s).transferEnv = [{ sourceContainerName: 'nginx', sourceContainerNameFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } }, envName: 'TZ' }]),
    ['spec.containers[0].transferEnv[0].sourceContainerNameFrom Forbidden'],
  ],
  [
    'transferEnv from a label is fine',
    (s) => (c0(s).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['example.com/main']" } }, envNames: ['TZ', 'LANG'] }]),
    [],
  ],
  [
    'transferEnv fieldRef is limited to a label or an annotation',
    (s) => (c0(s).transferEnv = [{ sourceContainerNameFrom: { fieldRef: { fieldPath: 'metadata.labels' } }, envName: 'TZ' }]),
    ['spec.containers[0].transferEnv[0].sourceContainerNameFrom.fieldRef.fieldPath Invalid'],
  ],
  [
    'transferEnv with an invalid env name is rejected',
    (s) => (c0(s).transferEnv = [{ sourceContainerName: 'nginx', envNames: ['TZ', '1 BAD', 'TZ'] }]),
    ['spec.containers[0].transferEnv[0].envNames[1] Invalid', 'spec.containers[0].transferEnv[0].envNames[2] Duplicate'],
  ],
  // resourcesPolicy: OpenKruise 1.9's field names and checks (validateResourcesPolicy, validateResourceExpression).
  [
    'an OpenKruise 1.9 resourcesPolicy is accepted',
    (s) => (c0(s).resourcesPolicy = { targetContainersMode: 'sum', targetContainersNameRegex: '^app$', resourcesExpr: { limits: { cpu: 'max(cpu*50%, 50m)' }, requests: { memory: 'memory*20%' } } }),
    [],
  ],
  [
    "each expression is evaluated with its own field's variable set to 1: cpu in a memory expression, a negative result and bad syntax are refused",
    (s) => (c0(s).resourcesPolicy = { targetContainersMode: 'max', resourcesExpr: { limits: { cpu: 'cpu - 2', memory: 'cpu' }, requests: { cpu: 'max(cpu, 1, 2)', memory: '' } } }),
    ['spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu Invalid', 'spec.containers[0].resourcesPolicy.resourcesExpr.limits.memory Invalid', 'spec.containers[0].resourcesPolicy.resourcesExpr.requests.cpu Invalid'],
  ],
  [
    'the regex is RE2 (Go regexp): a lookahead is refused, a Go named group accepted',
    (s) => {
      c0(s).resourcesPolicy = { targetContainersMode: 'sum', targetContainersNameRegex: '(?=app)', resourcesExpr: { limits: { cpu: 'cpu' } } };
      s.spec.containers!.push({ name: 'other', image: 'x', resourcesPolicy: { targetContainersMode: 'sum', targetContainersNameRegex: '(?P<n>app)', resourcesExpr: { limits: { cpu: 'cpu' } } } });
    },
    ['spec.containers[0].resourcesPolicy.targetContainersNameRegex Invalid'],
  ],
  [
    'a resourcesPolicy with an unknown mode and a broken regex is rejected at those fields',
    (s) => (c0(s).resourcesPolicy = { targetContainersMode: 'avg' as never, targetContainersNameRegex: '(', resourcesExpr: { limits: { cpu: 'cpu' } } }),
    ['spec.containers[0].resourcesPolicy.targetContainersMode NotSupported', 'spec.containers[0].resourcesPolicy.targetContainersNameRegex Invalid'],
  ],
  [
    'a resourcesPolicy needs targetContainersMode and resourcesExpr; an empty regex is refused',
    (s) => (c0(s).resourcesPolicy = { targetContainersNameRegex: '' } as never),
    [
      'spec.containers[0].resourcesPolicy.targetContainersMode Required',
      'spec.containers[0].resourcesPolicy.targetContainersNameRegex Required',
      'spec.containers[0].resourcesPolicy.resourcesExpr Required',
    ],
  ],
  [
    'a resourcesExpr needs limits or requests',
    (s) => (c0(s).resourcesPolicy = { targetContainersMode: 'max', resourcesExpr: {} }),
    ['spec.containers[0].resourcesPolicy.resourcesExpr Invalid'],
  ],
  [
    'a resourcesPolicy together with resources is rejected',
    (s) => {
      c0(s).resources = { limits: { cpu: '1' } };
      c0(s).resourcesPolicy = { targetContainersMode: 'sum', resourcesExpr: { limits: { cpu: 'cpu' } } };
    },
    ['spec.containers[0].resourcesPolicy Invalid'],
  ],
  [
    'a resourcesPolicy on an initContainer that is not a native sidecar is rejected',
    (s) => (s.spec.initContainers = [{ name: 'init', image: 'busybox', resourcesPolicy: { targetContainersMode: 'sum', resourcesExpr: { requests: { cpu: 'cpu' } } } }]),
    ['spec.initContainers[0].resourcesPolicy Invalid'],
  ],
  [
    "the old spelling (targetContainerMode, resourceExpr) is not OpenKruise's: those fields are unknown",
    (s) => (c0(s).resourcesPolicy = { targetContainerMode: 'sum', resourceExpr: { limits: { cpu: 'cpu' } } } as never),
    ['spec.containers[0].resourcesPolicy.targetContainersMode Required', 'spec.containers[0].resourcesPolicy.resourcesExpr Required'],
  ],
  // volumes
  ['duplicate volume names are rejected', (s) => s.spec.volumes!.push({ name: 'log', emptyDir: {} }), ['spec.volumes[1].name Duplicate']],
  ['a volume with two sources is rejected', (s) => (s.spec.volumes = [{ name: 'log', emptyDir: {}, hostPath: { path: '/x' } }]), ['spec.volumes[0].hostPath Forbidden']],
  ['a volume without a source is rejected', (s) => (s.spec.volumes = [{ name: 'log' } as never]), ['spec.volumes[0] Required']],
  ['a volume name must be a DNS label', (s) => s.spec.volumes!.push({ name: 'Bad_Name', emptyDir: {} }), ['spec.volumes[1].name Invalid']],
  ['a configMap volume needs a name', (s) => s.spec.volumes!.push({ name: 'cm', configMap: {} }), ['spec.volumes[1].configMap.name Required']],
  ['a configMap volume may name another namespace', (s) => s.spec.volumes!.push({ name: 'cm', configMap: { name: 'kube-system/filebeat-config' } }), []],
  ['another namespace must be a DNS label', (s) => s.spec.volumes!.push({ name: 'cm', configMap: { name: 'Kube_System/filebeat-config' } }), ['spec.volumes[1].configMap.name Invalid']],
  ['a Secret of another namespace needs a DNS subdomain name', (s) => s.spec.volumes!.push({ name: 'sec', secret: { secretName: 'ns/' } }), ['spec.volumes[1].secret.secretName Invalid']],
  [
    'a projected source of another namespace is checked too',
    (s) => s.spec.volumes!.push({ name: 'p', projected: { sources: [{ configMap: { name: 'ns/ok' } }, { secret: { name: 'a/b/c' } }] } }),
    ['spec.volumes[1].projected.sources[1].secret.name Invalid'],
  ],
  ['a hostPath volume needs a path', (s) => s.spec.volumes!.push({ name: 'h', hostPath: {} as never }), ['spec.volumes[1].hostPath.path Required']],
  ['a defaultMode above 0777 is rejected', (s) => s.spec.volumes!.push({ name: 's', secret: { secretName: 's', defaultMode: 1000 } }), ['spec.volumes[1].secret.defaultMode Invalid']],
  // update strategy
  ['a negative partition is rejected', (s) => (s.spec.updateStrategy = { partition: -1 }), ['spec.updateStrategy.partition Invalid']],
  ['a partition above 100% is rejected', (s) => (s.spec.updateStrategy = { partition: '120%' }), ['spec.updateStrategy.partition Invalid']],
  ['a maxUnavailable that is a number in quotes is rejected', (s) => (s.spec.updateStrategy = { maxUnavailable: '5' }), ['spec.updateStrategy.maxUnavailable Invalid']],
  ['a fractional maxUnavailable is rejected', (s) => (s.spec.updateStrategy = { maxUnavailable: 1.5 }), ['spec.updateStrategy.maxUnavailable Invalid']],
  ['partition 980 with maxUnavailable 10% is fine', (s) => (s.spec.updateStrategy = { type: 'RollingUpdate', partition: 980, maxUnavailable: '10%' }), []],
  [
    'partition with a canary selector is rejected',
    (s) => (s.spec.updateStrategy = { partition: 2, selector: { matchLabels: { canary: 'true' } } }),
    ['spec.updateStrategy.partition Forbidden'],
  ],
  ['the default partition 0 with a canary selector is fine', (s) => (s.spec.updateStrategy = { partition: 0, selector: { matchLabels: { canary: 'true' } } }), []],
  ['an empty canary selector is rejected', (s) => (s.spec.updateStrategy = { selector: {} }), ['spec.updateStrategy.selector Invalid']],
  ['an unknown updateStrategy type is not supported', (s) => (s.spec.updateStrategy = { type: 'OnDelete' as never }), ['spec.updateStrategy.type NotSupported']],
  [
    'weightPriority and orderPriority together are rejected',
    (s) => (s.spec.updateStrategy = { priorityStrategy: { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { a: 'b' } } }], orderPriority: [{ orderedKey: 'rank' }] } }),
    ['spec.updateStrategy.priorityStrategy.orderPriority Forbidden'],
  ],
  [
    'a weight above 100 and an empty matchSelector are rejected',
    (s) => (s.spec.updateStrategy = { priorityStrategy: { weightPriority: [{ weight: 101, matchSelector: {} }] } }),
    ['spec.updateStrategy.priorityStrategy.weightPriority[0].weight Invalid', 'spec.updateStrategy.priorityStrategy.weightPriority[0].matchSelector Invalid'],
  ],
  ['an empty orderedKey is required', (s) => (s.spec.updateStrategy = { priorityStrategy: { orderPriority: [{ orderedKey: '' }] } }), ['spec.updateStrategy.priorityStrategy.orderPriority[0].orderedKey Required']],
  [
    'scatter terms need a key and a value (possibly empty, a label value), once each',
    (s) => (s.spec.updateStrategy = { scatterStrategy: [{ key: 'app_name', value: 'nginx' }, { key: '', value: '' }, { key: 'app_name', value: 'nginx' }, { key: 'zone' } as never] }),
    ['spec.updateStrategy.scatterStrategy[1].key Required', 'spec.updateStrategy.scatterStrategy[2] Duplicate', 'spec.updateStrategy.scatterStrategy[3].value Required'],
  ],
  ['a scatter term with value * is fine', (s) => (s.spec.updateStrategy = { scatterStrategy: [{ key: 'zone', value: '*' }] }), []],
  ['the legacy strategy.rollingUpdate.maxUnavailable is checked too', (s) => (s.spec.strategy = { rollingUpdate: { maxUnavailable: -2 } }), ['spec.strategy.rollingUpdate.maxUnavailable Invalid']],
  // injection strategy, history, patchPodMetadata
  ['a revision needs a name or a custom version', (s) => (s.spec.injectionStrategy = { revision: { policy: 'Always' } }), ['spec.injectionStrategy.revision Required']],
  ['an unknown revision policy is not supported', (s) => (s.spec.injectionStrategy = { revision: { customVersion: 'v1', policy: 'Never' as never } }), ['spec.injectionStrategy.revision.policy NotSupported']],
  ['a negative revisionHistoryLimit is rejected', (s) => (s.spec.revisionHistoryLimit = -1), ['spec.revisionHistoryLimit Invalid']],
  ['patchPodMetadata needs annotations', (s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'Retain' }]), ['spec.patchPodMetadata[0].annotations Required']],
  ['an invalid annotation key is rejected', (s) => (s.spec.patchPodMetadata = [{ annotations: { 'bad key': 'x' } }]), ['spec.patchPodMetadata[0].annotations[bad key] Invalid']],
  [
    'a MergePatchJson value must be a JSON object',
    (s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'MergePatchJson', annotations: { 'example.com/a': '["x"]', 'example.com/b': '{"k":"v"}' } }]),
    ['spec.patchPodMetadata[0].annotations[example.com/a] Invalid'],
  ],
  ['an unknown patchPolicy is not supported', (s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'Replace' as never, annotations: { a: 'b' } }]), ['spec.patchPodMetadata[0].patchPolicy NotSupported']],
  [
    'one annotation patched twice is rejected',
    (s) => (s.spec.patchPodMetadata = [{ annotations: { a: 'b' } }, { patchPolicy: 'Overwrite', annotations: { a: 'c' } }]),
    ['spec.patchPodMetadata[1].annotations[a] Duplicate'],
  ],
  [
    'every problem is reported, not only the first',
    (s) => {
      delete s.spec.selector;
      c0(s).image = '';
      s.spec.updateStrategy = { partition: -1 };
      s.spec.revisionHistoryLimit = -1;
    },
    ['spec.selector Required', 'spec.containers[0].image Required', 'spec.updateStrategy.partition Invalid', 'spec.revisionHistoryLimit Invalid'],
  ],
];

describe('validateSidecarSet: one rule at a time', () => {
  it.each(cases)('%s', (_name, change, expected) => {
    const s = valid();
    change(s);
    expect(found(s)).toEqual(expected);
  });

  it('says what is wrong and what to do', () => {
    const s = valid();
    s.spec.updateStrategy = { partition: 2, selector: { matchLabels: { canary: 'true' } } };
    const [error] = validateSidecarSet(s, undefined, []);
    expect(error!.reason).toMatch(/selector/);
    expect(error!.reason).toMatch(/remove/);
  });

  it('a defaulted valid SidecarSet is still valid', () => {
    expect(found(defaultSidecarSet(valid()))).toEqual([]);
  });
});

describe('validateSidecarSet on UPDATE', () => {
  it.each<Case>([
    ['changing the image is allowed', (s) => (c0(s).image = 'logtail:2.0.0'), []],
    ['changing the selector is allowed', (s) => (s.spec.selector = { matchLabels: { app: 'web' } }), []],
    ['removing a container is allowed', (s) => (s.spec.containers = [{ name: 'logtail', image: 'x' }]), []],
    ['adding a container is rejected', (s) => s.spec.containers!.push({ name: 'new', image: 'busybox' }), ['spec.containers[2].name Forbidden']],
    ['renaming a container is rejected', (s) => (c0(s).name = 'logtail2'), ['spec.containers[0].name Forbidden']],
    [
      'changing upgradeType is rejected',
      (s) => (c0(s).upgradeStrategy = { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'empty' }),
      ['spec.containers[0].upgradeStrategy.upgradeType Forbidden'],
    ],
    ['spelling out the default upgradeType is not a change', (s) => (c0(s).upgradeStrategy = { upgradeType: 'ColdUpgrade' }), []],
    ['initContainers may change (they only apply to new pods)', (s) => (s.spec.initContainers = [{ name: 'init', image: 'busybox' }]), []],
  ])('%s', (_name, change, expected) => {
    const previous = valid();
    previous.spec.containers!.push({ name: 'second', image: 'busybox' });
    const next = structuredClone(previous);
    change(next);
    expect(found(next, previous)).toEqual(expected);
  });
});

const other = (name: string, spec: Partial<SidecarSet['spec']>): SidecarSet => ({
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'nginx' } }, containers: [{ name: 'logtail', image: 'logtail:0.9' }], ...spec },
});

describe('validateSidecarSet against other SidecarSets', () => {
  it.each<[string, (s: SidecarSet) => void, SidecarSet, string[]]>([
    ['a SidecarSet selecting the same pods may not reuse a container name', () => {}, other('other', {}), ['spec.containers[0].name Duplicate']],
    ['the SidecarSet itself (same name) is ignored', () => {}, other('logtail', {}), []],
    [
      'a container name of the other one\'s initContainers also conflicts',
      () => {},
      other('other', { containers: [], initContainers: [{ name: 'logtail', image: 'x' }] }),
      ['spec.containers[0].name Duplicate'],
    ],
    [
      'two SidecarSets selecting app In [a] and app In [b] may share container names',
      (s) => (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] }),
      other('other', { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }] } }),
      [],
    ],
    [
      'app=a and app DoesNotExist never share a pod',
      (s) => (s.spec.selector = { matchLabels: { app: 'a' } }),
      other('other', { selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] } }),
      [],
    ],
    [
      'selectors on different keys can share a pod',
      () => {},
      other('other', { selector: { matchLabels: { tier: 'web' } } }),
      ['spec.containers[0].name Duplicate'],
    ],
    ['different spec.namespace never share a pod', (s) => (s.spec.namespace = 'ns-1'), other('other', { namespace: 'ns-2' }), []],
    ['the same spec.namespace can share a pod', (s) => (s.spec.namespace = 'ns-1'), other('other', { namespace: 'ns-1' }), ['spec.containers[0].name Duplicate']],
    ['a namespace and a cluster-wide SidecarSet can share a pod', (s) => (s.spec.namespace = 'ns-1'), other('other', {}), ['spec.containers[0].name Duplicate']],
    [
      'namespaceSelectors that cannot both match never share a pod',
      (s) => (s.spec.namespaceSelector = { matchLabels: { env: 'prod' } }),
      other('other', { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }),
      [],
    ],
    [
      'a namespace outside the other one\'s namespaceSelector by name never shares a pod',
      (s) => (s.spec.namespace = 'ns-1'),
      other('other', { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ns-2', 'ns-3'] }] } }),
      [],
    ],
    [
      'a namespace and a namespaceSelector on other labels can share a pod',
      (s) => (s.spec.namespace = 'ns-1'),
      other('other', { namespaceSelector: { matchLabels: { team: 'a' } } }),
      ['spec.containers[0].name Duplicate'],
    ],
    [
      'a volume defined differently is rejected',
      () => {},
      other('other', { containers: [{ name: 'x', image: 'x' }], volumes: [{ name: 'log', hostPath: { path: '/var/log' } }] }),
      ['spec.volumes[0] Invalid'],
    ],
    [
      'a volume defined identically (after defaults) is fine',
      () => {},
      other('other', { containers: [{ name: 'x', image: 'x' }], volumes: [{ name: 'log' } as never] }),
      [],
    ],
    [
      'an annotation Overwritten by both is rejected',
      (s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'Overwrite', annotations: { 'example.com/a': 'x' } }]),
      other('other', { containers: [{ name: 'x', image: 'x' }], patchPodMetadata: [{ patchPolicy: 'MergePatchJson', annotations: { 'example.com/a': '{}' } }] }),
      ['spec.patchPodMetadata[0].annotations[example.com/a] Invalid'],
    ],
    [
      'an annotation merged by both is fine',
      (s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'MergePatchJson', annotations: { 'example.com/a': '{"a":1}' } }]),
      other('other', { containers: [{ name: 'x', image: 'x' }], patchPodMetadata: [{ patchPolicy: 'MergePatchJson', annotations: { 'example.com/a': '{}' } }] }),
      [],
    ],
    [
      'an annotation Retained by one is fine',
      (s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'Overwrite', annotations: { 'example.com/a': 'x' } }]),
      other('other', { containers: [{ name: 'x', image: 'x' }], patchPodMetadata: [{ annotations: { 'example.com/a': 'y' } }] }),
      [],
    ],
  ])('%s', (_name, change, otherSet, expected) => {
    const s = valid();
    change(s);
    expect(found(s, undefined, [otherSet])).toEqual(expected);
  });

  it('names the other SidecarSet and says what to do', () => {
    const [error] = validateSidecarSet(valid(), undefined, [other('filebeat', {})]);
    expect(error!.reason).toContain('"filebeat"');
    expect(error!.reason).toMatch(/rename one of them, or make the selectors exclusive/);
  });
});
