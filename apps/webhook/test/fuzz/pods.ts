// Pods as anyone with pod create rights may write them against one world of SidecarSets: container
// and initContainer names that sometimes collide with a sidecar's (in the same list or the other),
// volumes named like the SidecarSets', labels that select or not, and pod-authored state that must
// not change what is injected: forged kruise.io/sidecarset-injected-list and -hash annotations
// (with the real hash values, which anyone can read from an injected pod), status.phase,
// deletionTimestamp, annotations a SidecarSet patches. Each pod is valid on its own (the API server
// would store it without the webhook) unless it carries a huge string where the API server's limits
// forbid one; `apiValid` says which.
import type { Container, Pod, SidecarSet } from '@sidecarset/api';
import { INJECTED_LIST_ANNOTATION, SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION, sidecarListOf } from '@sidecarset/core';
import fc from 'fast-check';
import { APP_CONTAINER_NAMES, APP_LABELS, ENV_NAMES, IMAGES, NAMESPACE_NAMES, namespaceLabels, POD_VOLUME_NAMES, PULL_SECRETS, TIER_LABELS } from './namePools.js';
import { sidecarSetSelects } from './selects.js';
import { compact } from './sidecarSets.js';
import { sometimes, usually } from './sometimes.js';
import type { World } from './world.js';

export interface GeneratedPod {
  pod: Pod;
  /** The admission request's namespace (the pod's own, when it names one). */
  namespace: string;
  /** False when a huge string breaks an API server limit: such a pod is never dry-run. */
  apiValid: boolean;
}


interface Forgery {
  target: SidecarSet;
  list: 'exact' | 'with-another' | 'garbage' | 'absent';
  hash: 'real' | 'real-without-image-only' | 'stale' | 'empty-object' | 'not-json' | 'absent';
  /** Containers named like all of the target's, running the author's image. */
  impersonate: boolean;
}

/** Mostly the attack that works against a webhook trusting annotations: the real values, and the sidecar's names. */
const forgeryArb = (world: World): fc.Arbitrary<Forgery> =>
  fc.record({
    target: fc.constantFrom(...world.sidecarSets),
    list: fc.oneof({ weight: 3, arbitrary: fc.constant('exact' as const) }, fc.constantFrom('with-another' as const, 'garbage' as const, 'absent' as const)),
    hash: fc.oneof(
      { weight: 4, arbitrary: fc.constant('real' as const) },
      fc.constantFrom('real-without-image-only' as const, 'stale' as const, 'empty-object' as const, 'not-json' as const, 'absent' as const),
    ),
    impersonate: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  });

const hugeArb = fc.record({
  where: fc.constantFrom('annotation', 'env', 'label', 'image'),
  size: fc.integer({ min: 20_000, max: 200_000 }),
  unit: fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme' }),
});

function hashEntry(sidecarSet: SidecarSet, hash: string | undefined) {
  const name = sidecarSet.metadata!.name!;
  return { [name]: { updateTimestamp: '2020-01-01T00:00:00Z', hash: hash ?? '', sidecarSetName: name, sidecarList: sidecarListOf(sidecarSet) } };
}

function forgedAnnotations(forgery: Forgery): Record<string, string> {
  const { target } = forgery;
  const name = target.metadata!.name!;
  const stored = target.metadata?.annotations ?? {};
  const out: Record<string, string> = {};
  if (forgery.list === 'exact') out[INJECTED_LIST_ANNOTATION] = name;
  if (forgery.list === 'with-another') out[INJECTED_LIST_ANNOTATION] = `${name},not-a-sidecarset`;
  if (forgery.list === 'garbage') out[INJECTED_LIST_ANNOTATION] = ',,x,,';
  const real = JSON.stringify(hashEntry(target, stored[SIDECARSET_HASH_ANNOTATION]));
  const realWithoutImage = JSON.stringify(hashEntry(target, stored[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]));
  if (forgery.hash === 'real') Object.assign(out, { [SIDECARSET_HASH_ANNOTATION]: real, [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: realWithoutImage });
  if (forgery.hash === 'real-without-image-only') out[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] = realWithoutImage;
  if (forgery.hash === 'stale') out[SIDECARSET_HASH_ANNOTATION] = JSON.stringify(hashEntry(target, 'stale-hash'));
  if (forgery.hash === 'empty-object') out[SIDECARSET_HASH_ANNOTATION] = '{}';
  if (forgery.hash === 'not-json') out[SIDECARSET_HASH_ANNOTATION] = '{"unterminated';
  return out;
}

interface Placement {
  namespace: string;
  app?: string;
  tier?: string;
}

/** Anywhere, or (more often) a namespace and labels that one of the world's SidecarSets selects. */
function placementArb(world: World): fc.Arbitrary<Placement> {
  const anywhere = fc.record({ namespace: fc.constantFrom(...NAMESPACE_NAMES), app: usually(fc.constantFrom(...APP_LABELS, 'other')), tier: sometimes(fc.constantFrom(...TIER_LABELS)) });
  const all: Placement[] = NAMESPACE_NAMES.flatMap((namespace) =>
    [undefined, ...APP_LABELS, 'other'].flatMap((app) => [undefined, ...TIER_LABELS].map((tier) => compact({ namespace, app, tier }))),
  );
  const aimed = world.sidecarSets
    .map((set) => all.filter((p) => sidecarSetSelects(set, compact({ app: p.app, tier: p.tier }) as Record<string, string>, p.namespace, namespaceLabels(p.namespace))))
    .filter((candidates) => candidates.length > 0)
    .map((candidates) => fc.constantFrom(...candidates));
  return aimed.length ? fc.oneof({ weight: 2, arbitrary: anywhere }, { weight: 3, arbitrary: fc.oneof(...aimed) }) : anywhere;
}

export function podArb(world: World): fc.Arbitrary<GeneratedPod> {
  const containerName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...APP_CONTAINER_NAMES) }, { weight: 2, arbitrary: fc.constantFrom(...world.sidecarNames) });
  const containerArb = fc.record({
    image: fc.constantFrom(...IMAGES, 'registry.example/app:v2'),
    env: fc.subarray([...ENV_NAMES]),
    mounts: fc.subarray([...POD_VOLUME_NAMES]),
    restartAlways: fc.boolean(),
  });
  return fc
    .record({
      name: fc.oneof(fc.nat({ max: 999 }).map((n) => ({ name: `pod-${n}` })), fc.constant({ generateName: 'fuzz-' })),
      placement: placementArb(world),
      namespaceInObject: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      source: sometimes(fc.constantFrom(...APP_CONTAINER_NAMES, ...world.sidecarNames), 6),
      containerNames: fc.uniqueArray(containerName, { minLength: 1, maxLength: 3 }),
      initNames: fc.uniqueArray(containerName, { maxLength: 2 }),
      shapes: fc.array(containerArb, { minLength: 5, maxLength: 5 }),
      volumes: fc.subarray([...POD_VOLUME_NAMES]),
      annotations: fc.dictionary(fc.constantFrom('fuzz.example/note', ...world.patchKeys), fc.constantFrom('x', '{"a":"b"}', 'not json'), { maxKeys: 2 }),
      forgery: sometimes(forgeryArb(world), 4),
      phase: sometimes(fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'), 5),
      deletionTimestamp: sometimes(fc.constant('2020-01-01T00:00:00Z'), 15),
      restartPolicy: sometimes(fc.constantFrom('Always', 'OnFailure', 'Never')),
      pullSecret: sometimes(fc.constantFrom(...PULL_SECRETS), 4),
      huge: sometimes(hugeArb, 15),
    })
    .map((g): GeneratedPod => {
      const { namespace, app, tier } = g.placement;
      const labels = compact({ app, tier, source: g.source }) as Record<string, string>;
      let containerNames = g.containerNames;
      let initNames = g.initNames;
      // A forgery aims at a SidecarSet that selects the pod, when one does.
      const selecting = world.sidecarSets.find((s) => sidecarSetSelects(s, labels, namespace, namespaceLabels(namespace)));
      const forgery = g.forgery && selecting ? { ...g.forgery, target: selecting } : g.forgery;
      const impersonated = new Set<string>();
      if (forgery?.impersonate) {
        const asContainers = (forgery.target.spec.containers ?? []).map((c) => c.name);
        const asInitContainers = (forgery.target.spec.initContainers ?? []).map((c) => c.name);
        for (const name of [...asContainers, ...asInitContainers]) impersonated.add(name);
        containerNames = [...new Set([...containerNames, ...asContainers])].filter((n) => !asInitContainers.includes(n));
        initNames = [...new Set([...initNames, ...asInitContainers])];
        if (containerNames.length === 0) containerNames = ['app'];
      }
      initNames = initNames.filter((n) => !containerNames.includes(n)); // the pod on its own is valid
      const volumes = g.volumes;
      let shape = 0;
      const build = (name: string, init: boolean): Container => {
        const s = g.shapes[shape++ % g.shapes.length]!;
        const mounts = s.mounts.filter((m) => volumes.includes(m));
        return compact({
          name,
          image: impersonated.has(name) ? 'attacker.example/own:latest' : s.image,
          ...(init ? { command: ['true'] } : {}),
          env: s.env.length ? s.env.map((e) => ({ name: e, value: `${e.toLowerCase()}-of-${name}` })) : undefined,
          volumeMounts: mounts.length ? mounts.map((m) => ({ name: m, mountPath: `/pod/${m}` })) : undefined,
          restartPolicy: init && s.restartAlways ? 'Always' : undefined,
        });
      };
      const containers = containerNames.map((n) => build(n, false));
      const initContainers = initNames.map((n) => build(n, true));
      const annotations: Record<string, string> = { ...g.annotations, ...(forgery ? forgedAnnotations(forgery) : {}) };
      let apiValid = true;
      if (g.huge) {
        // At most 4 UTF-8 bytes a code unit pair: 60,000 code units stay below the 256 KiB annotation limit.
        const size = g.huge.where === 'annotation' ? Math.min(g.huge.size, 60_000) : g.huge.size;
        const value = g.huge.unit.repeat(Math.max(1, Math.floor(size / g.huge.unit.length)));
        if (g.huge.where === 'annotation') annotations['fuzz.example/huge'] = value;
        if (g.huge.where === 'env') containers[0]!.env = [...(containers[0]!.env ?? []), { name: 'HUGE', value }];
        if (g.huge.where === 'label') labels.huge = value;
        if (g.huge.where === 'image') containers[0]!.image = `registry.example/${value}`;
        // Annotations may total 256 KiB and env values are unbounded; a label value has 63 characters at
        // most and an image no surrounding whitespace.
        apiValid = g.huge.where === 'annotation' || g.huge.where === 'env';
      }
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: compact({
          ...g.name,
          namespace: g.namespaceInObject ? namespace : undefined,
          labels: Object.keys(labels).length ? labels : undefined,
          annotations: Object.keys(annotations).length ? annotations : undefined,
          deletionTimestamp: g.deletionTimestamp,
        }),
        spec: compact({
          initContainers: initContainers.length ? initContainers : undefined,
          containers,
          volumes: volumes.length ? volumes.map((v) => ({ name: v, emptyDir: {} })) : undefined,
          restartPolicy: g.restartPolicy,
          imagePullSecrets: g.pullSecret ? [{ name: g.pullSecret }] : undefined,
        }) as Pod['spec'],
        ...(g.phase ? { status: { phase: g.phase } } : {}),
      };
      return { pod, namespace, apiValid };
    });
}
