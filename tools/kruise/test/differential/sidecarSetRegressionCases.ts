// Named regression cases for the differential SidecarSet suite: every difference it found between
// what OpenKruise and ours store or admit, as the smallest SidecarSet that showed it. A `stored` case
// is created (and updated) on both and the stored objects compared; an `admission` case is dry-run
// created on both and the verdicts compared (`admitted` is OpenKruise's verdict, `differs` a listed
// deliberate difference). The comment on each says what was found and how it ended.
import type { SidecarSet } from '@sidecarset/api';
import type { UpdateChange } from './invalidSidecarSets.js';
import type { AdmissionDifferenceId } from './sidecarSetDifferences.js';

export type SidecarSetRegressionCase =
  | {
      kind: 'stored';
      id: string;
      name: string;
      sidecarSet: SidecarSet;
      changes?: UpdateChange[];
      /** What each side's stored object must show on its own (so the case cannot pass by both sides losing it). */
      check: (stored: SidecarSet, side: 'openkruise' | 'ours') => string[];
    }
  | { kind: 'admission'; id: string; name: string; sidecarSet: SidecarSet; admitted: boolean; differs?: AdmissionDifferenceId };

const sidecarSet = (name: string, spec: Partial<SidecarSet['spec']>): SidecarSet =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } }) as SidecarSet;

export const SIDECARSET_REGRESSION_CASES: SidecarSetRegressionCase[] = [
  {
    // Issue 9, item 5: OpenKruise writes `resources: {}` on every sidecar container it stores (its
    // Go struct re-encoded); ours does too (storedSidecarContainer in packages/core/src/defaults).
    kind: 'stored',
    id: 'rg-resources-empty',
    name: 'a sidecar without resources is stored with resources: {} on both sides',
    sidecarSet: sidecarSet('rg-resources-empty', {
      containers: [{ name: 'proxy-rgs1', image: 'nginx:1.25' }],
      initContainers: [{ name: 'init-rgs1', image: 'busybox:1.36', command: ['true'] }],
    }),
    check: (stored, side) =>
      [...(stored.spec.containers ?? []), ...(stored.spec.initContainers ?? [])]
        .filter((c) => JSON.stringify(c.resources) !== '{}')
        .map((c) => `${side}: ${c.name} stored resources ${JSON.stringify(c.resources)}, not {}`),
  },
  {
    // Bug, fixed: OpenKruise refuses a name with a dot (its validateSidecarSetName allows
    // [a-zA-Z0-9-] only), though the API server takes a DNS subdomain; ours admitted it.
    kind: 'admission',
    id: 'rg-name-dot',
    name: 'a SidecarSet name with a dot is refused by both',
    sidecarSet: sidecarSet('rg-name.dot', { containers: [{ name: 'proxy-rgs2', image: 'nginx:1.25' }] }),
    admitted: false,
  },
  {
    // Bug, fixed: OpenKruise validates the sidecars as a pod's containers, so a resource name
    // without a domain must be cpu, memory, ephemeral-storage or hugepages-<size>; ours admitted `gpu`.
    kind: 'admission',
    id: 'rg-resource-gpu',
    name: 'a sidecar resource named gpu (no domain) is refused by both',
    sidecarSet: sidecarSet('rg-resource-gpu', { containers: [{ name: 'proxy-rgs3', image: 'nginx:1.25', resources: { limits: { gpu: '1' } } }] }),
    admitted: false,
  },
  {
    // Bug, fixed: and an extended resource cannot be overcommitted (request equal to limit).
    kind: 'admission',
    id: 'rg-resource-overcommit',
    name: 'an extended resource requested below its limit is refused by both',
    sidecarSet: sidecarSet('rg-resource-overcommit', {
      containers: [{ name: 'proxy-rgs4', image: 'nginx:1.25', resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } } }],
    }),
    admitted: false,
  },
  {
    // Bug, fixed: OpenKruise's webhook re-encodes the whole spec as its Go struct, so `volumes: []`
    // (seed 000 without its issue-10 volumes), `paused: false` and other empty values are not stored;
    // ours kept them. Now the spec is written with the layout of goSidecarSetSpec.ts.
    kind: 'stored',
    id: 'rg-empty-values',
    name: 'empty lists and false flags in the spec are not stored, on both sides',
    sidecarSet: sidecarSet('rg-empty-values', {
      containers: [{ name: 'proxy-rgs5', image: 'nginx:1.25', volumeMounts: [] }],
      volumes: [],
      imagePullSecrets: [],
      patchPodMetadata: [],
      updateStrategy: { paused: false, scatterStrategy: [] },
      injectionStrategy: { paused: false },
    }),
    check: (stored, side) => {
      const spec = stored.spec as Record<string, unknown>;
      const problems = ['volumes', 'imagePullSecrets', 'patchPodMetadata'].filter((k) => k in spec).map((k) => `${side}: spec.${k} stored`);
      if (stored.spec.updateStrategy && 'paused' in stored.spec.updateStrategy) problems.push(`${side}: updateStrategy.paused stored`);
      if (stored.spec.updateStrategy && 'scatterStrategy' in stored.spec.updateStrategy) problems.push(`${side}: updateStrategy.scatterStrategy stored`);
      if (stored.spec.injectionStrategy && 'paused' in stored.spec.injectionStrategy) problems.push(`${side}: injectionStrategy.paused stored`);
      return problems;
    },
  },
  {
    // Deliberate ("native-sidecar-rolling"): ours upgrades native sidecars in place, OpenKruise refuses them with RollingUpdate.
    kind: 'admission',
    id: 'rg-native-rolling',
    name: 'a native sidecar with the default RollingUpdate: OpenKruise refuses, ours admits (listed)',
    sidecarSet: sidecarSet('rg-native-rolling', { initContainers: [{ name: 'native-rgs6', image: 'nginx:1.25', restartPolicy: 'Always' }] }),
    admitted: false,
    differs: 'native-sidecar-rolling',
  },
  {
    // Bug, fixed: OpenKruise defaults the liveness and readiness probes but not the startup probe,
    // whose successThreshold stays 0 and fails its pod validation ("must be 1"); ours admitted it.
    kind: 'admission',
    id: 'rg-startup-probe',
    name: 'a startupProbe without successThreshold is refused by both',
    sidecarSet: sidecarSet('rg-startup-probe', { containers: [{ name: 'proxy-rgs7', image: 'nginx:1.25', startupProbe: { tcpSocket: { port: 80 } } }] }),
    admitted: false,
  },
  {
    // Bug, fixed: our CRD's container schema (from the Kubernetes OpenAPI document) keyed env by name
    // and ports by containerPort and protocol (x-kubernetes-list-type: map), so the API server refused
    // two env vars of one name, which the Pod API and OpenKruise allow; tools/codegen now writes such
    // lists atomic.
    kind: 'admission',
    id: 'rg-env-twice',
    name: 'one env var name twice and one containerPort twice are admitted by both',
    sidecarSet: sidecarSet('rg-env-twice', {
      containers: [{ name: 'proxy-rgs8', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }], ports: [{ containerPort: 80 }, { name: 'http', containerPort: 80 }] }],
    }),
    admitted: true,
  },
  {
    // Bug, fixed: the securityContext was not checked; the Pod API (so OpenKruise) refuses a
    // negative runAsUser, and allowPrivilegeEscalation: false with privileged: true.
    kind: 'admission',
    id: 'rg-security-context',
    name: 'a sidecar with runAsUser -1 and privileged without privilege escalation is refused by both',
    sidecarSet: sidecarSet('rg-security-context', {
      containers: [{ name: 'proxy-rgs9', image: 'nginx:1.25', securityContext: { runAsUser: -1, privileged: true, allowPrivilegeEscalation: false } }],
    }),
    admitted: false,
  },
  {
    // Bug, fixed: a volumeDevice must name a persistentVolumeClaim or ephemeral volume (block mode).
    kind: 'admission',
    id: 'rg-device-empty-dir',
    name: 'a volumeDevice of an emptyDir volume is refused by both',
    sidecarSet: sidecarSet('rg-device-empty-dir', {
      containers: [{ name: 'proxy-rgs10', image: 'nginx:1.25', volumeDevices: [{ name: 'scratch', devicePath: '/dev/scratch' }] }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    }),
    admitted: false,
  },
  {
    // Bug, fixed: resizePolicy values and resources.claims (which must name a pod resourceClaim, which
    // a SidecarSet cannot add) were not checked.
    kind: 'admission',
    id: 'rg-resize-claims',
    name: 'a resizePolicy restartPolicy Sometimes and a resource claim are refused by both',
    sidecarSet: sidecarSet('rg-resize-claims', {
      containers: [{ name: 'proxy-rgs11', image: 'nginx:1.25', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'Sometimes' as never }], resources: { claims: [{ name: 'gpu' }] } }],
    }),
    admitted: false,
  },
  {
    // Bug, fixed: a preStop sleep must be 1 to 30 seconds (OpenKruise validates in a pod with the
    // default terminationGracePeriodSeconds 30); ours took 0.
    kind: 'admission',
    id: 'rg-sleep-zero',
    name: 'a preStop sleep of 0 seconds is refused by both',
    sidecarSet: sidecarSet('rg-sleep-zero', { containers: [{ name: 'proxy-rgs12', image: 'nginx:1.25', lifecycle: { preStop: { sleep: { seconds: 0 } } } }] }),
    admitted: false,
  },
  {
    // Bug, fixed: volume rules of the Pod API ours lacked: a hostPath with '..', a downwardAPI item
    // from resourceFieldRef without containerName, two projected sources writing one path.
    kind: 'admission',
    id: 'rg-volume-rules',
    name: "a hostPath with '..' is refused by both",
    sidecarSet: sidecarSet('rg-volume-rules', { containers: [{ name: 'proxy-rgs13', image: 'nginx:1.25' }], volumes: [{ name: 'hp', hostPath: { path: '/var/../etc' } }] }),
    admitted: false,
  },
  {
    // Bug, fixed: ours refused an emptyDir medium other than "", Memory or HugePages; the Pod API
    // (and OpenKruise) take any.
    kind: 'admission',
    id: 'rg-empty-dir-medium',
    name: 'an emptyDir with medium Disk is admitted by both',
    sidecarSet: sidecarSet('rg-empty-dir-medium', { containers: [{ name: 'proxy-rgs14', image: 'nginx:1.25' }], volumes: [{ name: 'med', emptyDir: { medium: 'Disk' } }] }),
    admitted: true,
  },
  {
    // Bug, fixed: an empty scatterStrategy value is a label value; OpenKruise takes it, ours refused it.
    kind: 'admission',
    id: 'rg-scatter-empty-value',
    name: 'a scatterStrategy term with an empty value is admitted by both',
    sidecarSet: sidecarSet('rg-scatter-empty-value', { containers: [{ name: 'proxy-rgs15', image: 'nginx:1.25' }], updateStrategy: { scatterStrategy: [{ key: 'zone', value: '' }] } }),
    admitted: true,
  },
  {
    // Bug, fixed: OpenKruise validates each patch's annotations as object metadata, at most 256 KiB
    // together; ours bounded each value only.
    kind: 'admission',
    id: 'rg-patch-too-large',
    name: "a patch whose annotations exceed 256 KiB together is refused by both",
    sidecarSet: sidecarSet('rg-patch-too-large', {
      containers: [{ name: 'proxy-rgs16', image: 'nginx:1.25' }],
      patchPodMetadata: [{ annotations: { 'diff.example/rg-big1': 'a'.repeat(150 * 1024), 'diff.example/rg-big2': 'b'.repeat(150 * 1024) }, patchPolicy: 'Retain' }],
    }),
    admitted: false,
  },
];
