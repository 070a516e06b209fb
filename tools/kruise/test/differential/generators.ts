// Generated SidecarSets and pods for the differential injection suite: SidecarSets that both
// OpenKruise's validating webhook and ours accept (container names unique per world and letter, one
// definition per volume name, patched annotation keys of their own and whitelisted, native sidecars
// only with NotUpdate, which OpenKruise requires), and pods that exercise every injection field
// against them: labels and namespaces that select or not, containers named like a sidecar in the same
// list, volumes named like the sidecars', env to transfer, a `source` label and annotation for
// sourceContainerNameFrom, existing annotations that patchPodMetadata meets, pull secrets, volume
// devices, container resources (limits, requests, both, none) for the sidecars whose resourcesPolicy
// (sum or max, several regexes and expressions) sizes them, HotUpgrade sidecars (twins NAME-1/NAME-2, and
// pods that bring a working-twin annotation or a container named like a twin). Modelled on apps/webhook/test/fuzz
// (sidecarSets.ts, pods.ts), without what is a deliberate difference there (forged injection
// annotations, cross-list name clashes).
import type { Container, EnvVar, LabelSelector, Pod, SidecarContainer, SidecarSet, TransferEnvVar, Volume } from '@sidecarset/api';
import fc from 'fast-check';

/** Namespaces both planes create before their webhooks start (ns-1 is seed 004's). */
export const NAMESPACES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  default: {},
  'diff-prod': { env: 'prod', team: 'a' },
  'diff-dev': { env: 'dev' },
  'ns-1': {},
};
export const NAMESPACE_NAMES = Object.keys(NAMESPACES);

/** Annotation keys generated SidecarSets patch: the whitelist of OpenKruise's kruise-configuration allows them. */
export const PATCH_ANNOTATION_PREFIX = 'diff.example/';
const SHARED_PATCH_KEY = `${PATCH_ANNOTATION_PREFIX}shared`;
export const PATCH_ANNOTATION_KEY_EXPR = '^diff\\.example/.*$';

const APP_LABELS = ['web', 'api', 'batch'] as const;
const TIER_LABELS = ['front', 'back'] as const;
const APP_CONTAINER_NAMES = ['app', 'web', 'main'] as const;
const POD_INIT_NAMES = ['setup', 'migrate'] as const;
const IMAGES = ['busybox:1.36', 'nginx:1.25', 'registry.example/agent:v1'] as const;
const ENV_NAMES = ['TZ', 'LANG', 'MODE'] as const;
const PULL_SECRETS = ['regcred', 'mirror-cred'] as const;
const HOT_UPGRADE_EMPTY_IMAGE = 'openkruise/hotupgrade-sample:empty';
/** The pod annotation naming each HotUpgrade sidecar's working twin: a pod may bring one (the map injection starts from). */
const WORKING_HOT_UPGRADE_ANNOTATION = 'kruise.io/sidecarset-working-hotupgrade-container';

/** SidecarSet volumes, one definition per name (OpenKruise refuses two overlapping SidecarSets that disagree on one). */
const SIDECARSET_VOLUMES: Record<string, Volume> = {
  logs: { name: 'logs', emptyDir: {} },
  cache: { name: 'cache', emptyDir: { medium: 'Memory' } },
  'agent-config': { name: 'agent-config', configMap: { name: 'agent-config', optional: true } },
  certs: { name: 'certs', secret: { secretName: 'agent-certs', optional: true } },
};
const SIDECARSET_VOLUME_NAMES = Object.keys(SIDECARSET_VOLUMES);
/** Pod volumes: some named like the SidecarSets' (the pod's wins); `blk` is a block PVC for volumeDevices. */
const POD_VOLUME_NAMES = ['logs', 'cache', 'data', 'blk'] as const;

const sometimes = <T>(arb: fc.Arbitrary<T>, oneIn = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** Drops undefined members, so generated objects look like what kubectl sends. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

const podSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constantFrom(...APP_LABELS).map((app) => ({ matchLabels: { app } })),
  fc.tuple(fc.constantFrom(...APP_LABELS), fc.constantFrom(...TIER_LABELS)).map(([app, tier]) => ({ matchLabels: { app, tier } })),
  fc.subarray([...APP_LABELS], { minLength: 1 }).map((values) => ({ matchExpressions: [{ key: 'app', operator: 'In' as const, values }] })),
  fc.constantFrom(...TIER_LABELS).map((tier) => ({ matchExpressions: [{ key: 'app', operator: 'Exists' as const }, { key: 'tier', operator: 'NotIn' as const, values: [tier] }] })),
  fc.constantFrom(...APP_LABELS).map((app) => ({ matchLabels: { app }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' as const }] })),
);

type Scope = { namespace?: string; namespaceSelector?: LabelSelector };
const scopeArb: fc.Arbitrary<Scope> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  fc.constantFrom(...NAMESPACE_NAMES).map((namespace) => ({ namespace })),
  fc.constantFrom<Scope>(
    { namespaceSelector: { matchLabels: { env: 'prod' } } },
    { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] } },
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'diff-dev' } } },
    { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } },
  ),
);

const ENV_POOL: EnvVar[] = [
  { name: 'MODE', value: 'sidecar' },
  { name: 'TZ', value: 'UTC' },
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'IS_INJECTED', value: 'by-the-sidecar' },
];

/** Container fields injection copies as they are (the API server then defaults some of them). */
const CONTAINER_EXTRAS: Partial<SidecarContainer>[] = [
  { ports: [{ name: 'metrics', containerPort: 9090 }] },
  { livenessProbe: { httpGet: { path: '/healthz', port: 9090 }, periodSeconds: 5 } },
  { readinessProbe: { exec: { command: ['true'] } } },
  { lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } },
  { securityContext: { runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true } },
  { envFrom: [{ configMapRef: { name: 'agent-env', optional: true } }] },
  { workingDir: '/work', imagePullPolicy: 'IfNotPresent', args: ['--verbose'] },
];

const transferEnvArb: fc.Arbitrary<TransferEnvVar> = fc.oneof(
  fc.record({ sourceContainerName: fc.constantFrom(...APP_CONTAINER_NAMES), envName: fc.constantFrom(...ENV_NAMES) }),
  fc.record({ sourceContainerName: fc.constantFrom(...APP_CONTAINER_NAMES), envNames: fc.subarray([...ENV_NAMES], { minLength: 1 }) }),
  fc.record({
    sourceContainerNameFrom: fc.constantFrom({ fieldRef: { fieldPath: "metadata.labels['source']" } }, { fieldRef: { fieldPath: "metadata.annotations['source']" } }),
    envName: fc.constantFrom(...ENV_NAMES),
  }),
  fc.record({ sourceContainerNameFrom: fc.constant({ fieldRef: { fieldPath: "metadata.labels['source']" } }), envNames: fc.subarray([...ENV_NAMES], { minLength: 1 }) }),
);

/**
 * resourcesPolicy (OpenKruise 1.9): both modes, regexes that find app containers, native sidecars,
 * pod containers named like sidecars (never targets) or nothing (both refuse the pod), and expressions
 * over targets with and without requests and limits (see podArb's resources).
 */
const RESOURCES_POLICY_REGEXES = ['.*', '.*', '^app$', 'a', '^(web|main)$', '^setup$|^main$', 'proxy', 'no-such-container'] as const;
const LIMIT_EXPRESSIONS = {
  cpu: ['cpu', 'cpu*50%', 'max(cpu*50%, 50m)', 'min(cpu, 200m)', 'cpu / 3', 'cpu + 100m', '0.5', 'max(cpu, 2)'],
  memory: ['memory', 'memory*50%', 'max(memory / 4, 64Mi)', 'memory - 1', '256Mi', 'memory*0.3', 'min(memory, 1Gi) + 16Mi'],
} as const;
const REQUEST_EXPRESSIONS = {
  cpu: ['cpu', 'cpu*10%', 'max(cpu*10%, 10m)', '50m', 'cpu / 4 + 1m', 'min(cpu, 100m)'],
  memory: ['memory', 'memory*20%', 'max(memory*10%, 16Mi)', '32Mi', 'memory / 8'],
} as const;
const expressionsArb = (pool: { cpu: readonly string[]; memory: readonly string[] }) =>
  fc
    .record({ cpu: sometimes(fc.constantFrom(...pool.cpu), 4), memory: sometimes(fc.constantFrom(...pool.memory), 4) })
    .map((e) => compact(e))
    .filter((e) => Object.keys(e).length > 0);
export const resourcesPolicyArb: fc.Arbitrary<NonNullable<SidecarContainer['resourcesPolicy']>> = fc
  .record({
    targetContainersMode: fc.constantFrom('sum' as const, 'max' as const),
    targetContainersNameRegex: sometimes(fc.constantFrom(...RESOURCES_POLICY_REGEXES), 6),
    limits: sometimes(expressionsArb(LIMIT_EXPRESSIONS)),
    requests: sometimes(expressionsArb(REQUEST_EXPRESSIONS)),
  })
  .map(({ limits, requests, ...rest }) => compact({ ...rest, resourcesExpr: compact({ limits, requests: limits || requests ? requests : { cpu: 'cpu' } }) }));

function sidecarArb(name: string, kind: 'container' | 'initContainer', volumes: readonly string[], native: boolean): fc.Arbitrary<SidecarContainer> {
  return fc
    .record({
      image: fc.constantFrom(...IMAGES),
      command: sometimes(fc.constant(['sleep', 'infinity'])),
      env: sometimes(fc.subarray(ENV_POOL, { minLength: 1 })),
      mounts: fc.subarray([...volumes]),
      // Sometimes a mountPath a pod container uses too (shareVolumePolicy must not mount it twice), readOnly, a subPath.
      mountStyle: fc.constantFrom('own', 'own', 'pod-path', 'read-only', 'sub-path'),
      transferEnv: sometimes(fc.array(transferEnvArb, { minLength: 1, maxLength: 2 })),
      podInjectPolicy: sometimes(fc.constantFrom('BeforeAppContainer' as const, 'AfterAppContainer' as const)),
      shareVolumePolicy: kind === 'container' ? sometimes(fc.constantFrom('enabled' as const, 'disabled' as const)) : fc.constant(undefined),
      shareVolumeDevicePolicy: kind === 'container' ? sometimes(fc.constantFrom('enabled' as const, 'disabled' as const), 3) : fc.constant(undefined),
      resources: sometimes(fc.constant({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } }), 3),
      // HotUpgrade (containers only, as both validate it): injected as the twins NAME-1 and NAME-2.
      hot: kind === 'container' ? sometimes(fc.constant(true), 3) : fc.constant(undefined),
      // Not with resources (OpenKruise refuses both), on initContainers only native ones.
      resourcesPolicy: kind === 'container' || native ? sometimes(resourcesPolicyArb, 3) : fc.constant(undefined),
      // Probes and lifecycle only where the API server allows them: not on a plain init container.
      extras: fc.subarray(kind === 'initContainer' && !native ? CONTAINER_EXTRAS.filter((e) => !e.livenessProbe && !e.readinessProbe && !e.lifecycle) : CONTAINER_EXTRAS, { maxLength: 3 }),
    })
    .map(({ mounts, mountStyle, shareVolumePolicy, shareVolumeDevicePolicy, extras, resources, resourcesPolicy, hot, ...rest }) =>
      compact({
        name,
        ...rest,
        upgradeStrategy: hot ? { upgradeType: 'HotUpgrade' as const, hotUpgradeEmptyImage: HOT_UPGRADE_EMPTY_IMAGE } : undefined,
        ...(resourcesPolicy ? { resourcesPolicy } : { resources }),
        ...Object.assign({}, ...extras.map((e) => structuredClone(e))),
        restartPolicy: native ? ('Always' as const) : undefined,
        volumeMounts: mounts.length
          ? mounts.map((volume) =>
              compact({
                name: volume,
                mountPath: mountStyle === 'pod-path' ? `/pod/${volume}` : `/sidecar/${volume}`,
                readOnly: mountStyle === 'read-only' ? true : undefined,
                subPath: mountStyle === 'sub-path' ? 'sub' : undefined,
              }),
            )
          : undefined,
        shareVolumePolicy: shareVolumePolicy ? { type: shareVolumePolicy } : undefined,
        shareVolumeDevicePolicy: shareVolumeDevicePolicy ? { type: shareVolumeDevicePolicy } : undefined,
      }) as SidecarContainer,
    );
}

/** A valid SidecarSet `name` whose container names end in `-${suffix}` (unique per world and letter). */
export function sidecarSetArb(name: string, suffix: string): fc.Arbitrary<SidecarSet> {
  return fc
    .record({
      volumes: fc.subarray(SIDECARSET_VOLUME_NAMES),
      containerRoles: fc.subarray(['proxy', 'agent'], { maxLength: 2 }),
      initRoles: fc.subarray(['init', 'native'], { maxLength: 2 }),
      selector: podSelectorArb,
      scope: scopeArb,
      imagePullSecrets: fc.subarray([...PULL_SECRETS]),
      patch: sometimes(fc.record({ policy: fc.constantFrom('Retain' as const, 'Overwrite' as const, 'MergePatchJson' as const), shared: fc.boolean(), second: fc.boolean() })),
      paused: sometimes(fc.constant(true), 8),
    })
    .map((shape) => (shape.containerRoles.length + shape.initRoles.length === 0 ? { ...shape, containerRoles: ['proxy'] } : shape))
    .chain((shape) =>
      fc
        .record({
          containers: fc.tuple(...shape.containerRoles.map((role) => sidecarArb(`${role}-${suffix}`, 'container', shape.volumes, false))),
          initContainers: fc.tuple(...shape.initRoles.map((role) => sidecarArb(`${role}-${suffix}`, 'initContainer', shape.volumes, role === 'native'))),
        })
        .map(({ containers, initContainers }): SidecarSet => {
          const mounted = new Set([...containers, ...initContainers].flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
          // Mostly the volumes the sidecars mount; sometimes one more, which injection must leave out.
          const volumes = shape.volumes.filter((v, i) => mounted.has(v) || i === 0).map((v) => structuredClone(SIDECARSET_VOLUMES[v]!));
          const key = `${PATCH_ANNOTATION_PREFIX}${name}`;
          const native = initContainers.some((c) => c.restartPolicy === 'Always');
          return {
            apiVersion: 'apps.kruise.io/v1alpha1',
            kind: 'SidecarSet',
            metadata: { name },
            spec: compact({
              selector: shape.selector,
              ...shape.scope,
              containers: containers.length ? containers : undefined,
              initContainers: initContainers.length ? initContainers : undefined,
              volumes: volumes.length ? volumes : undefined,
              imagePullSecrets: shape.imagePullSecrets.length ? shape.imagePullSecrets.map((secret) => ({ name: secret })) : undefined,
              // A key of its own; with MergePatchJson sometimes also a key every SidecarSet may merge into
              // (OpenKruise allows two MergePatchJson on one key; each merges a member of its own, so the
              // result does not depend on the order); sometimes a second entry, Retain.
              patchPodMetadata: shape.patch
                ? [
                    {
                      annotations: compact({
                        [key]: shape.patch.policy === 'MergePatchJson' ? `{"${name}":"on"}` : `on-${name}`,
                        [SHARED_PATCH_KEY]: shape.patch.policy === 'MergePatchJson' && shape.patch.shared ? `{"${name}":{"by":"${name}"}}` : undefined,
                      }),
                      patchPolicy: shape.patch.policy,
                    },
                    ...(shape.patch.second ? [{ annotations: { [`${key}-2`]: `retained-${name}` }, patchPolicy: 'Retain' as const }] : []),
                  ]
                : undefined,
              // OpenKruise refuses native sidecars (initContainers with restartPolicy Always) with RollingUpdate.
              updateStrategy: native ? { type: 'NotUpdate' as const } : undefined,
              injectionStrategy: shape.paused ? { paused: true } : undefined,
            }),
          } as SidecarSet;
        }),
    );
}

/** The SidecarSets of world `index`: two to four, named w<index>-<letter>. */
export function worldSidecarSetsArb(index: number): fc.Arbitrary<SidecarSet[]> {
  return fc.integer({ min: 2, max: 4 }).chain((count) => fc.tuple(...['a', 'b', 'c', 'd'].slice(0, count).map((letter) => sidecarSetArb(`w${index}-${letter}`, `${letter}${index}`))));
}

/** Pod container quantities, in increasing order: some spelt as the API server keeps them ("+1", "0.5" it rewrites to 500m). */
const POD_CPU = ['1n', '100m', '250m', '0.5', '1', '+1', '1500m', '2'] as const;
const POD_MEMORY = ['64Mi', '128Mi', '500M', '512Mi', '1e9', '1Gi', '1.5Gi', '2Gi'] as const;

/** A pod container's resources: none, limits (requests default to them), requests, or both with requests at or below the limits. */
function podResources(r: { shape: string; cpu: number; memory: number; lower: number }): Container['resources'] | undefined {
  const at = (i: number, lower: number) => ({ cpu: POD_CPU[Math.max(0, i - lower)]!, memory: POD_MEMORY[Math.max(0, i - lower)]! });
  switch (r.shape) {
    case 'limits':
      return { limits: { cpu: POD_CPU[r.cpu]!, memory: POD_MEMORY[r.memory]! } };
    case 'requests':
      return { requests: { cpu: POD_CPU[r.cpu]!, memory: POD_MEMORY[r.memory]! } };
    case 'both':
      return { limits: { cpu: POD_CPU[r.cpu]!, memory: POD_MEMORY[r.memory]! }, requests: { cpu: at(r.cpu, r.lower).cpu, memory: at(r.memory, r.lower).memory } };
    case 'cpu-only':
      return { limits: { cpu: POD_CPU[r.cpu]! }, requests: { cpu: at(r.cpu, r.lower).cpu } };
    default:
      return undefined;
  }
}

export interface PodCase {
  namespace: string;
  pod: Pod;
}

/** A pod against these SidecarSets, named `name`. */
export function podArb(name: string, sidecarSets: readonly SidecarSet[]): fc.Arbitrary<PodCase> {
  // A HotUpgrade sidecar's pod containers are its twins: pods sometimes have a container of such a name.
  const sidecarContainers = sidecarSets.flatMap((s) =>
    (s.spec.containers ?? []).flatMap((c) => (c.upgradeStrategy?.upgradeType === 'HotUpgrade' ? [`${c.name}-1`, `${c.name}-2`] : [c.name])),
  );
  const hotNames = sidecarSets.flatMap((s) => (s.spec.containers ?? []).filter((c) => c.upgradeStrategy?.upgradeType === 'HotUpgrade').map((c) => c.name));
  const sidecarInits = sidecarSets.flatMap((s) => (s.spec.initContainers ?? []).map((c) => c.name));
  const patchKeys = sidecarSets.flatMap((s) => (s.spec.patchPodMetadata ?? []).flatMap((p) => Object.keys(p.annotations ?? {})));
  const containerName = sidecarContainers.length
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...APP_CONTAINER_NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...sidecarContainers) })
    : fc.constantFrom(...APP_CONTAINER_NAMES);
  const initName = sidecarInits.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...POD_INIT_NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...sidecarInits) })
    : fc.constantFrom(...POD_INIT_NAMES);
  const shapeArb = fc.record({
    image: fc.constantFrom(...IMAGES),
    env: fc.subarray([...ENV_NAMES]),
    mounts: fc.subarray(['logs', 'cache', 'data']),
    /** Sometimes mounted where a sidecar mounts its own volume of that name. */
    sidecarPath: fc.boolean(),
    fieldEnv: fc.boolean(),
    device: fc.boolean(),
    restartAlways: fc.boolean(),
    resources: fc.record({ shape: fc.constantFrom('none', 'limits', 'requests', 'both', 'both', 'cpu-only'), cpu: fc.nat(POD_CPU.length - 1), memory: fc.nat(POD_MEMORY.length - 1), lower: fc.nat(2) }),
  });
  return fc
    .record({
      namespace: fc.constantFrom(...NAMESPACE_NAMES),
      app: sometimes(fc.constantFrom(...APP_LABELS, 'other'), 8).map((app) => app ?? 'web'),
      noApp: sometimes(fc.constant(true), 10),
      tier: sometimes(fc.constantFrom(...TIER_LABELS)),
      sourceLabel: sometimes(fc.constantFrom(...APP_CONTAINER_NAMES, 'missing'), 3),
      sourceAnnotation: sometimes(fc.constantFrom(...APP_CONTAINER_NAMES), 3),
      containerNames: fc.uniqueArray(containerName, { minLength: 1, maxLength: 3 }),
      initNames: fc.uniqueArray(initName, { maxLength: 2 }),
      shapes: fc.array(shapeArb, { minLength: 5, maxLength: 5 }),
      volumes: fc.subarray([...POD_VOLUME_NAMES]),
      existing: fc.dictionary(fc.constantFrom('note.example/owner', ...patchKeys), fc.constantFrom('x', '{"a":"b"}'), { maxKeys: 2 }),
      /** A working-twin annotation the pod brings: another sidecar's entry, one of these sidecars' (pointing at NAME-2), or not JSON. */
      working: hotNames.length ? sometimes(fc.constantFrom('{"other":"other-2"}', 'not json', ...hotNames.map((n) => `{"${n}":"${n}-2","zz":"zz-1"}`)), 4) : fc.constant(undefined),
      pullSecret: sometimes(fc.constantFrom(...PULL_SECRETS), 3),
      /** Injection annotations the pod brings, naming a SidecarSet that does not exist (as from another cluster). */
      previous: sometimes(fc.constant(true), 6),
      /** A mount with subPathExpr $(POD_NAME), and the variable it needs on the container. */
      subPathExpr: sometimes(fc.constant(true), 5),
      restartPolicy: sometimes(fc.constantFrom('Always' as const, 'OnFailure' as const, 'Never' as const), 4),
    })
    .map((g): PodCase => {
      let containerNames = g.containerNames;
      if (containerNames.every((n) => sidecarContainers.includes(n))) containerNames = ['app', ...containerNames];
      const initNames = g.initNames.filter((n) => !containerNames.includes(n));
      let shape = 0;
      let deviceUsed = false;
      const build = (cname: string, init: boolean): Container => {
        const s = g.shapes[shape++ % g.shapes.length]!;
        const mounts = s.mounts.filter((m) => g.volumes.includes(m as (typeof POD_VOLUME_NAMES)[number]));
        const device = !init && s.device && g.volumes.includes('blk') && !deviceUsed;
        if (device) deviceUsed = true;
        return compact({
          name: cname,
          image: s.image,
          ...(init ? { command: ['true'] } : {}),
          env: s.env.length
            ? s.env.map((e, i) => (s.fieldEnv && i === 0 ? { name: e, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } } : { name: e, value: `${e.toLowerCase()}-of-${cname}` }))
            : undefined,
          volumeMounts: mounts.length ? mounts.map((m, i) => ({ name: m, mountPath: s.sidecarPath && i === 0 ? `/sidecar/${m}` : `/pod/${m}` })) : undefined,
          volumeDevices: device ? [{ name: 'blk', devicePath: '/dev/blk' }] : undefined,
          restartPolicy: init && s.restartAlways ? ('Always' as const) : undefined,
          resources: podResources(s.resources),
        }) as Container;
      };
      const containers = containerNames.map((n) => build(n, false));
      const initContainers = initNames.map((n) => build(n, true));
      const labels = compact({ app: g.noApp ? undefined : g.app, tier: g.tier, source: g.sourceLabel }) as Record<string, string>;
      if (g.subPathExpr && containers[0]!.volumeMounts?.length) {
        containers[0]!.env = [...(containers[0]!.env ?? []), { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
        containers[0]!.volumeMounts[0]!.subPathExpr = '$(POD_NAME)';
      }
      const previous = g.previous
        ? {
            'kruise.io/sidecarset-injected-list': 'old-set',
            'kruise.io/sidecarset-hash': JSON.stringify({ 'old-set': { updateTimestamp: '2020-01-01T00:00:00Z', hash: 'old-hash', sidecarSetName: 'old-set', sidecarList: ['old'] } }),
          }
        : {};
      const annotations = compact({ ...g.existing, ...previous, source: g.sourceAnnotation, [WORKING_HOT_UPGRADE_ANNOTATION]: g.working }) as Record<string, string>;
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: compact({
          name,
          namespace: g.namespace,
          labels: Object.keys(labels).length ? labels : undefined,
          annotations: Object.keys(annotations).length ? annotations : undefined,
        }),
        spec: compact({
          initContainers: initContainers.length ? initContainers : undefined,
          containers,
          volumes: g.volumes.length ? g.volumes.map((v) => (v === 'blk' ? { name: v, persistentVolumeClaim: { claimName: 'blk' } } : { name: v, emptyDir: {} })) : undefined,
          restartPolicy: g.restartPolicy,
          imagePullSecrets: g.pullSecret ? [{ name: g.pullSecret }] : undefined,
        }) as Pod['spec'],
      };
      return { namespace: g.namespace, pod };
    });
}
