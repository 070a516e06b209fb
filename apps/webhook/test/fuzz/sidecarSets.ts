// Valid SidecarSets (apps.kruise.io/v1alpha1), as a platform admin writes them: containers and
// initContainers (native sidecars with restartPolicy Always among them), env, transferEnv, volumes,
// podInjectPolicy, shareVolumePolicy, selectors, a namespace or namespaceSelector, patchPodMetadata,
// imagePullSecrets, sometimes paused injection. Container names carry the SidecarSet's letter, its
// volumes come from one shared pool with one definition per name and its patched annotation keys
// are its own, so the SidecarSets of one world never conflict with each other.
import type { EnvVar, LabelSelector, SidecarContainer, SidecarSet, TransferEnvVar, Volume } from '@sidecarset/api';
import fc from 'fast-check';
import {
  APP_CONTAINER_NAMES,
  APP_LABELS,
  ENV_NAMES,
  IMAGES,
  NAMESPACE_NAMES,
  PATCH_ANNOTATION_PREFIX,
  PULL_SECRETS,
  SIDECARSET_VOLUMES,
  SIDECARSET_VOLUME_NAMES,
  TIER_LABELS,
} from './namePools.js';
import { sometimes } from './sometimes.js';

export const CONTAINER_ROLES = ['proxy', 'agent', 'logger'] as const;
export const INIT_CONTAINER_ROLES = ['init', 'native', 'warmup'] as const;
export const WORLD_LETTERS = ['a', 'b', 'c', 'd'] as const;


/** Drops undefined members, so generated objects look like what kubectl sends. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

export const podSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
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
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fuzz-dev' } } },
    { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } },
  ),
);

const ENV_POOL: EnvVar[] = [
  { name: 'MODE', value: 'sidecar' },
  { name: 'TZ', value: 'UTC' },
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
];

const transferEnvArb = (sources: readonly string[]): fc.Arbitrary<TransferEnvVar> =>
  fc.oneof(
    fc.record({ sourceContainerName: fc.constantFrom(...sources), envName: fc.constantFrom(...ENV_NAMES) }),
    fc.record({ sourceContainerName: fc.constantFrom(...sources), envNames: fc.subarray([...ENV_NAMES], { minLength: 1 }) }),
    fc.record({ sourceContainerNameFrom: fc.constant({ fieldRef: { fieldPath: "metadata.labels['source']" } }), envName: fc.constantFrom(...ENV_NAMES) }),
  );

const RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } };

/** Quantities that match the CRD's pattern but are costly to parse naively (huge exponents, tens of thousands of digits). */
const ADVERSARIAL_QUANTITIES = ['1e1000000', '9e-1000000', '9'.repeat(30_000), `0.${'1'.repeat(30_000)}`, `${'9'.repeat(5_000)}Ei`, '1E18', '0.000000001m'];
const adversarialResourcesArb = fc
  .tuple(fc.constantFrom(...ADVERSARIAL_QUANTITIES), fc.constantFrom('cpu', 'memory'), fc.constantFrom('requests', 'limits'))
  .map(([quantity, resource, kind]) => ({ ...RESOURCES, [kind]: { ...RESOURCES[kind], [resource]: quantity } }));

export interface SidecarSetShapeOptions {
  /** Sometimes resources with an adversarial quantity (for reviews sent straight to the webhook; the API server's schema would store them). */
  adversarialQuantities?: boolean;
}

function sidecarArb(name: string, kind: 'container' | 'initContainer', volumes: readonly string[], options: SidecarSetShapeOptions): fc.Arbitrary<SidecarContainer> {
  return fc
    .record({
      image: fc.constantFrom(...IMAGES),
      command: sometimes(fc.constant(['sleep', 'infinity'] as string[])),
      env: sometimes(fc.subarray(ENV_POOL, { minLength: 1 })),
      mounts: fc.subarray([...volumes]),
      transferEnv: sometimes(fc.array(transferEnvArb(APP_CONTAINER_NAMES), { minLength: 1, maxLength: 2 })),
      podInjectPolicy: sometimes(fc.constantFrom('BeforeAppContainer' as const, 'AfterAppContainer' as const)),
      shareVolumePolicy: kind === 'container' ? sometimes(fc.constantFrom('enabled' as const, 'disabled' as const)) : fc.constant(undefined),
      restartPolicy: kind === 'initContainer' ? sometimes(fc.constant('Always' as const)) : fc.constant(undefined),
      resources: options.adversarialQuantities
        ? fc.oneof({ withCrossShrink: true }, { weight: 6, arbitrary: sometimes(fc.constant(RESOURCES), 3) }, { weight: 1, arbitrary: adversarialResourcesArb })
        : sometimes(fc.constant(RESOURCES), 3),
    })
    .map(({ mounts, shareVolumePolicy, ...rest }) =>
      compact({
        name,
        ...rest,
        volumeMounts: mounts.length ? mounts.map((volume) => ({ name: volume, mountPath: `/sidecar/${volume}` })) : undefined,
        shareVolumePolicy: shareVolumePolicy ? { type: shareVolumePolicy } : undefined,
      }),
    );
}

/** A valid SidecarSet named `name` whose container names end in `-${letter}`. */
export function sidecarSetArb(name: string, letter: string, options: SidecarSetShapeOptions = {}): fc.Arbitrary<SidecarSet> {
  return fc
    .record({
      volumes: fc.subarray(SIDECARSET_VOLUME_NAMES),
      containerRoles: fc.subarray([...CONTAINER_ROLES], { maxLength: 2 }),
      initRoles: fc.subarray([...INIT_CONTAINER_ROLES], { maxLength: 2 }),
      selector: podSelectorArb,
      scope: scopeArb,
      imagePullSecrets: fc.subarray([...PULL_SECRETS]),
      patchPolicy: sometimes(fc.constantFrom('Retain' as const, 'Overwrite' as const, 'MergePatchJson' as const)),
      paused: sometimes(fc.constant(true), 8),
    })
    .map((shape) => (shape.containerRoles.length + shape.initRoles.length === 0 ? { ...shape, containerRoles: ['proxy' as const] } : shape))
    .chain((shape) =>
      fc
        .record({
          containers: fc.tuple(...shape.containerRoles.map((role) => sidecarArb(`${role}-${letter}`, 'container', shape.volumes, options))),
          initContainers: fc.tuple(...shape.initRoles.map((role) => sidecarArb(`${role}-${letter}`, 'initContainer', shape.volumes, options))),
        })
        .map(({ containers, initContainers }): SidecarSet => {
          const mounted = new Set([...containers, ...initContainers].flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
          // Mostly the volumes the sidecars mount; sometimes one more, which injection must leave out.
          const volumes: Volume[] = shape.volumes.filter((v, i) => mounted.has(v) || i === 0).map((v) => ({ ...SIDECARSET_VOLUMES[v] }) as Volume);
          const annotationKey = `${PATCH_ANNOTATION_PREFIX}${name}`;
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
              patchPodMetadata: shape.patchPolicy
                ? [{ annotations: { [annotationKey]: shape.patchPolicy === 'MergePatchJson' ? `{"sidecar":"${letter}"}` : `on-${letter}` }, patchPolicy: shape.patchPolicy }]
                : undefined,
              injectionStrategy: shape.paused ? { paused: true } : undefined,
            }),
          };
        }),
    );
}

/** The SidecarSets of world `index`: two to four, named fz<index>-<letter>. */
export function worldSidecarSetsArb(index: number): fc.Arbitrary<SidecarSet[]> {
  return fc.integer({ min: 2, max: WORLD_LETTERS.length }).chain((count) =>
    fc.tuple(...WORLD_LETTERS.slice(0, count).map((letter) => sidecarSetArb(`fz${index}-${letter}`, letter))),
  );
}

/** Every container name a SidecarSet injects (both lists). */
export const sidecarNamesOf = (sidecarSet: SidecarSet): string[] => [
  ...(sidecarSet.spec.containers ?? []).map((c) => c.name),
  ...(sidecarSet.spec.initContainers ?? []).map((c) => c.name),
];
