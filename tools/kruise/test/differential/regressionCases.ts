// Named regression cases for the differential injection suite: every difference it found between
// OpenKruise's injected pod and ours, as the smallest world and pods that showed it. Each is expected
// to match after ./deliberateDifferences.ts; the comment on each says whether the difference was
// deliberate (normalised there, the case pins the normalisation) or a bug (fixed: no normalisation).
import type { Pod, SidecarSet } from '@sidecarset/api';
import type { PodCase } from './generators.js';

export interface RegressionCase {
  /** A short id for the world's names (lower case, digits, dashes). */
  id: string;
  name: string;
  sidecarSets: SidecarSet[];
  pods: PodCase[];
}

const sidecarSet = (name: string, spec: Partial<SidecarSet['spec']>): SidecarSet =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } }) as SidecarSet;

const pod = (name: string, namespace: string, extra: { annotations?: Record<string, string>; spec?: Partial<Pod['spec']> } = {}): PodCase => ({
  namespace,
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'web' }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...extra.spec },
  } as Pod,
});

export const REGRESSION_CASES: RegressionCase[] = [
  {
    // Bug, fixed (a4f91c3, issue 9's list): OpenKruise appends IS_INJECTED=true after a sidecar's own
    // IS_INJECTED; ours kept only the sidecar's. Both now return env [IS_INJECTED=by-the-sidecar, IS_INJECTED=true].
    id: 'is-injected',
    name: "a sidecar that sets IS_INJECTED itself still gets IS_INJECTED=true appended (fixed, a4f91c3)",
    sidecarSets: [sidecarSet('rg-is-injected', { containers: [{ name: 'proxy-rg1', image: 'nginx:1.25', env: [{ name: 'IS_INJECTED', value: 'by-the-sidecar' }] }] })],
    pods: [pod('is-injected', 'default')],
  },
  {
    // Deliberate ("order of volumes and imagePullSecrets added from several SidecarSets"): for the pod
    // in `default`, OpenKruise took the namespaced SidecarSet first (pull secrets [regcred, mirror-cred]),
    // ours the one first by name ([mirror-cred, regcred]).
    id: 'pull-secrets-order',
    name: 'pull secrets (and volumes) of a cluster-scoped and a namespaced SidecarSet, in either order',
    sidecarSets: [
      sidecarSet('rg-secrets-b', {
        containers: [{ name: 'proxy-rg2', image: 'nginx:1.25', volumeMounts: [{ name: 'cache', mountPath: '/sidecar/cache' }] }],
        volumes: [{ name: 'cache', emptyDir: { medium: 'Memory' } }],
        imagePullSecrets: [{ name: 'mirror-cred' }],
      }),
      sidecarSet('rg-secrets-c', {
        namespace: 'default',
        containers: [{ name: 'agent-rg2', image: 'nginx:1.25', volumeMounts: [{ name: 'logs', mountPath: '/sidecar/logs' }] }],
        volumes: [{ name: 'logs', emptyDir: {} }],
        imagePullSecrets: [{ name: 'regcred' }, { name: 'mirror-cred' }],
      }),
    ],
    pods: [pod('pull-secrets', 'default'), pod('pull-secrets-own', 'default', { spec: { imagePullSecrets: [{ name: 'mirror-cred' }] } })],
  },
  {
    // Deliberate (docs/differences-from-openkruise.md, "On pod CREATE ..."): OpenKruise keeps the
    // pod's own injected-list and hash entries for a SidecarSet that is not injected now
    // ("old-set,rg-old" and an "old-set" hash entry); ours rebuilds them from what it injects ("rg-old").
    id: 'previous-injection',
    name: 'a pod that brings injection annotations for a SidecarSet that does not exist',
    sidecarSets: [sidecarSet('rg-old', { containers: [{ name: 'proxy-rg3', image: 'nginx:1.25' }] })],
    pods: [
      pod('previous', 'default', {
        annotations: {
          'kruise.io/sidecarset-injected-list': 'old-set',
          'kruise.io/sidecarset-hash': JSON.stringify({ 'old-set': { updateTimestamp: '2020-01-01T00:00:00Z', hash: 'old-hash', sidecarSetName: 'old-set', sidecarList: ['old'] } }),
        },
      }),
    ],
  },
  {
    // Deliberate (docs/differences-from-openkruise.md, "A sidecar named like a pod container of the
    // other list"): OpenKruise returns a patch and the API server refuses the pod (Duplicate value);
    // ours denies it naming both containers. Both refuse: the suite counts that as equal.
    id: 'cross-list-clash',
    name: 'a pod initContainer named like a sidecar container: refused on both sides',
    sidecarSets: [sidecarSet('rg-clash', { containers: [{ name: 'proxy-rg4', image: 'nginx:1.25' }] })],
    pods: [pod('clash', 'default', { spec: { initContainers: [{ name: 'proxy-rg4', image: 'busybox:1.36', command: ['true'] }] } })],
  },
];
