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
  /** What both sides must do with every pod of the case, when the case is about that. */
  outcome?: 'injected' | 'refused';
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

const withLabels = (podCase: PodCase, labels: Record<string, string>): PodCase => ({
  ...podCase,
  pod: { ...podCase.pod, metadata: { ...podCase.pod.metadata, labels: { ...podCase.pod.metadata!.labels, ...labels } } },
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
  {
    // resourcesPolicy (issue 9, item 5): max keeps the spelling the API server kept for the largest
    // target ("+1"), a fraction of memory is truncated to milli-units, a floor wins over a small share.
    id: 'resources-policy-max',
    outcome: 'injected',
    name: 'resourcesPolicy max over containers spelt "+1" and "500m", with limits and requests',
    sidecarSets: [
      sidecarSet('rg-policy-max', {
        containers: [
          {
            name: 'proxy-rg5',
            image: 'nginx:1.25',
            resourcesPolicy: { targetContainersMode: 'max', targetContainersNameRegex: '.*', resourcesExpr: { limits: { cpu: 'cpu', memory: 'memory*0.3' }, requests: { cpu: 'max(cpu*10%, 150m)', memory: 'memory / 4' } } },
          },
        ],
      }),
    ],
    pods: [
      pod('policy-max', 'default', {
        spec: {
          containers: [
            { name: 'app', image: 'busybox:1.36', resources: { limits: { cpu: '+1', memory: '1Gi' } } },
            { name: 'web', image: 'busybox:1.36', resources: { limits: { cpu: '500m', memory: '2Gi' }, requests: { cpu: '250m', memory: '1Gi' } } },
          ],
        },
      }),
    ],
  },
  {
    // resourcesPolicy sum: native sidecars are targets, plain initContainers and injected sidecars are
    // not; a target without a memory limit leaves the sidecar without one; words that are not numbers
    // read as 0 ("5ki"); a number with the word memory in the expression is whole units ("1.memory").
    id: 'resources-policy-sum',
    outcome: 'injected',
    name: 'resourcesPolicy sum over a native sidecar and containers, one without a memory limit, and quirky expressions',
    sidecarSets: [
      sidecarSet('rg-policy-sum', {
        containers: [
          {
            name: 'proxy-rg6',
            image: 'nginx:1.25',
            resourcesPolicy: { targetContainersMode: 'sum', resourcesExpr: { limits: { cpu: '5ki + cpu / 2', memory: 'memory' }, requests: { cpu: '0.25 + 1.memory', memory: 'max(memory*10%, 32Mi)' } } },
          },
        ],
      }),
      sidecarSet('rg-policy-other', { containers: [{ name: 'agent-rg6', image: 'nginx:1.25', resources: { limits: { cpu: '4', memory: '4Gi' } } }] }),
    ],
    pods: [
      pod('policy-sum', 'default', {
        spec: {
          initContainers: [
            { name: 'setup', image: 'busybox:1.36', command: ['true'], resources: { limits: { cpu: '3', memory: '3Gi' } } },
            { name: 'native', image: 'busybox:1.36', restartPolicy: 'Always', resources: { limits: { cpu: '250m', memory: '128Mi' } } },
          ],
          containers: [
            { name: 'app', image: 'busybox:1.36', resources: { limits: { cpu: '1', memory: '1Gi' } } },
            { name: 'main', image: 'busybox:1.36', resources: { limits: { cpu: '2' }, requests: { cpu: '1500m', memory: '256Mi' } } },
          ],
        },
      }),
    ],
  },
  {
    // resourcesPolicy with no target container (the regex finds only a sidecar, never a target), and
    // one whose expression gives NaN (written as -9223372036854775808m, which the API server refuses):
    // both sides refuse both pods.
    id: 'resources-policy-refused',
    name: 'resourcesPolicy that finds no target, or computes a negative quantity: refused on both sides',
    sidecarSets: [
      sidecarSet('rg-policy-none', {
        selector: { matchLabels: { app: 'web', case: 'none' } },
        containers: [{ name: 'proxy-rg7', image: 'nginx:1.25', resourcesPolicy: { targetContainersMode: 'sum', targetContainersNameRegex: '^proxy', resourcesExpr: { limits: { cpu: 'cpu' } } } }],
      }),
      sidecarSet('rg-policy-nan', {
        selector: { matchLabels: { app: 'web', case: 'nan' } },
        containers: [{ name: 'proxy-rg8', image: 'nginx:1.25', resourcesPolicy: { targetContainersMode: 'sum', resourcesExpr: { requests: { cpu: '1e400 * 0 + cpu' } } } }],
      }),
    ],
    pods: [withLabels(pod('policy-none', 'default'), { case: 'none' }), withLabels(pod('policy-nan', 'default'), { case: 'nan' })],
    outcome: 'refused',
  },
];
