// An adversarial corpus of AdmissionReviews, generated from a seed at run time (never a fixed list):
// each case picks a kind of attack and draws its sizes, positions and values. What a careless user
// writes and what anyone reaching the webhook's port can send: quantities with huge exponents or many
// digits, huge label keys and values, huge selectors, huge or deeply nested JSON in annotations, many
// containers, wrongly typed objects, reviews over the JSON budget or over the body limit, broken
// reviews. A case is a recipe: its body is made when it is sent, so the corpus costs no memory.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { benchPod } from './admissionRounds.ts';

/** mulberry32: a small seeded generator, enough to make the corpus the same for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** A size drawn log-uniformly, so small and huge values are both common. */
const size = (random: Random, min: number, max: number): number => Math.round(Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))));

export type Route = '/mutate-pods' | '/mutate-sidecarsets' | '/validate-sidecarsets' | '/validate-resourcebindings';

export interface Case {
  category: string;
  route: Route;
  /** Makes the request body (JSON text). */
  body: () => string;
}

const KINDS: Record<Route, { group: string; version: string; kind: string; resource: string }> = {
  '/mutate-pods': { group: '', version: 'v1', kind: 'Pod', resource: 'pods' },
  '/mutate-sidecarsets': { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet', resource: 'sidecarsets' },
  '/validate-sidecarsets': { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet', resource: 'sidecarsets' },
  '/validate-resourcebindings': { group: 'sidecarset.alibabacloud.com', version: 'v1alpha1', kind: 'SidecarSetResourceBinding', resource: 'sidecarsetresourcebindings' },
};

let uid = 0;
/** A review as the API server writes it: kind and apiVersion first, then request.uid. */
export function reviewText(route: Route, object: unknown, extra: Record<string, unknown> = {}): string {
  const { group, version, kind, resource } = KINDS[route];
  const request = {
    uid: `00000000-0000-4000-8000-${String(++uid).padStart(12, '0')}`,
    kind: { group, version, kind },
    resource: { group, version, resource },
    operation: 'CREATE',
    namespace: 'default',
    userInfo: { username: 'bench' },
    object,
    ...extra,
  };
  return JSON.stringify({ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request });
}

export function normalSidecarSet(name = 'bench-normal'): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: 'bench-normal' } },
      containers: [
        {
          name: 'agent-normal',
          image: 'registry.example/agent:1.0',
          env: [{ name: 'LEVEL', value: 'info' }],
          volumeMounts: [{ name: 'agent-data', mountPath: '/var/agent' }],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
        },
      ],
      volumes: [{ name: 'agent-data', emptyDir: {} }],
    },
  };
}

export const normalPod = (name = 'normal'): Pod => ({ ...benchPod(name), metadata: { ...benchPod(name).metadata, namespace: 'default' } });

/** Normal admissions, the baseline: a pod the cached SidecarSets inject, a SidecarSet defaulted, one validated. */
export function normalCases(): Case[] {
  return [
    { category: 'normal pod', route: '/mutate-pods', body: () => reviewText('/mutate-pods', normalPod()) },
    { category: 'normal SidecarSet (defaulting)', route: '/mutate-sidecarsets', body: () => reviewText('/mutate-sidecarsets', normalSidecarSet()) },
    { category: 'normal SidecarSet (validation)', route: '/validate-sidecarsets', body: () => reviewText('/validate-sidecarsets', normalSidecarSet()) },
  ];
}

const sidecarSetRoute = (random: Random): Route => pick(random, ['/mutate-sidecarsets', '/validate-sidecarsets'] as const);

function withResources(random: Random, quantity: string): SidecarSet {
  const set = normalSidecarSet(`adversarial-${int(random, 0, 1e6)}`);
  const container = set.spec.containers![0]!;
  const where = pick(random, ['limits', 'requests'] as const);
  const resource = pick(random, ['cpu', 'memory', 'ephemeral-storage']);
  if (random() < 0.2) set.spec.volumes = [{ name: 'agent-data', emptyDir: { sizeLimit: quantity } }];
  else container.resources = { ...container.resources, [where]: { ...container.resources?.[where], [resource]: quantity } };
  return set;
}

/** Random JSON of about `budget` values: nested objects, arrays, strings with escapes. */
function randomJson(random: Random, budget: number, depth = 0): unknown {
  const roll = random();
  if (budget <= 1 || depth > 30 || roll < 0.2) return pick(random, [0, 1.5e300, 'x', 'a"b\\c', true, null, '\u2028<&>']);
  const children = Math.max(1, Math.min(budget - 1, int(random, 1, 50)));
  const share = Math.floor((budget - 1) / children);
  if (roll < 0.6) return Array.from({ length: children }, () => randomJson(random, share, depth + 1));
  return Object.fromEntries(Array.from({ length: children }, (_, i) => [`k${i}${random() < 0.1 ? '"\\' : ''}`, randomJson(random, share, depth + 1)]));
}

/** Every path of an object's fields and elements, for replacing one with a value of the wrong type. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const path = [...prefix, key];
    out.push(path);
    paths(child, path, out);
  }
  return out;
}

/** Sets the value at `path`; nothing when an earlier replacement already took its parent away. */
function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): void {
  let node: unknown = value;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (typeof node === 'object' && node !== null) (node as Record<string | number, unknown>)[path.at(-1)!] = replacement;
}

const wrongValue = (random: Random): unknown => pick(random, [5, -1.5, 'x', '', [], [1, 'a'], {}, { a: 1 }, null, true]);

/** The kinds of attack, each a generator of one case from the random source. */
const GENERATORS: Record<string, (random: Random) => Case> = {
  'quantity with a huge exponent': (random) => {
    const quantity = `${pick(random, ['', '-', '+'])}${int(random, 1, 9)}${pick(random, ['e', 'E'])}${pick(random, ['', '+'])}${int(random, 1e5, 2e9)}`;
    const set = withResources(random, quantity);
    const route = sidecarSetRoute(random);
    return { category: 'quantity with a huge exponent', route, body: () => reviewText(route, set) };
  },
  'quantity with many digits': (random) => {
    const digits = size(random, 100, 100_000);
    const suffix = pick(random, ['', 'Gi', 'm', 'e3', 'E']);
    const route = sidecarSetRoute(random);
    return { category: 'quantity with many digits', route, body: () => reviewText(route, withResources(random, `${'9'.repeat(digits)}${random() < 0.3 ? `.${'1'.repeat(digits)}` : ''}${suffix}`)) };
  },
  'huge label key or value': (random) => {
    const length = size(random, 1_000, 3_000_000);
    const char = pick(random, ['a', '/', '-', '.', 'é']);
    if (random() < 0.5) {
      const asKey = random() < 0.5;
      return {
        category: 'huge label key or value',
        route: '/mutate-pods',
        body: () => {
          const pod = normalPod();
          pod.metadata!.labels = { ...pod.metadata!.labels, ...(asKey ? { [char.repeat(length)]: 'v' } : { big: char.repeat(length) }) };
          return reviewText('/mutate-pods', pod);
        },
      };
    }
    const route = sidecarSetRoute(random);
    return {
      category: 'huge label key or value',
      route,
      body: () => {
        const set = normalSidecarSet();
        set.spec.selector = { matchLabels: { app: 'bench', [char.repeat(Math.floor(length / 2))]: char.repeat(Math.floor(length / 2)) } };
        return reviewText(route, set);
      },
    };
  },
  'huge selector': (random) => {
    const requirements = int(random, 1, 100);
    const values = Math.floor(size(random, 100, 45_000) / requirements);
    const route = sidecarSetRoute(random);
    const shared = random() < 0.5; // the same values on every requirement, or all different
    return {
      category: 'huge selector',
      route,
      body: () => {
        const set = normalSidecarSet();
        set.spec.selector = {
          matchExpressions: Array.from({ length: requirements }, (_, r) => ({
            key: pick(random, ['app', `k${r}`]),
            operator: pick(random, ['In', 'NotIn'] as const),
            values: Array.from({ length: values }, (_, v) => (shared ? `v${v}` : `v${r}-${v}`)),
          })),
        };
        set.spec.namespaceSelector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: Array.from({ length: Math.min(values, 1000) }, (_, v) => `ns-${v}`) }] };
        return reviewText(route, set);
      },
    };
  },
  'huge JSON in an annotation': (random) => {
    const values = size(random, 100, 300_000);
    const key = pick(random, ['kruise.io/sidecarset-hash', 'kruise.io/sidecarset-hash-without-image', 'bench/config']);
    const seed = int(random, 0, 2 ** 31);
    return {
      category: 'huge JSON in an annotation',
      route: '/mutate-pods',
      body: () => {
        const pod = normalPod();
        pod.metadata!.annotations = { [key]: JSON.stringify(randomJson(seededRandom(seed), values)) };
        return reviewText('/mutate-pods', pod);
      },
    };
  },
  'escapes in a huge string': (random) => {
    const length = size(random, 10_000, 3_000_000);
    const unit = pick(random, ['\\', '"', '\\"', '\u2028', '<']);
    return {
      category: 'escapes in a huge string',
      route: '/mutate-pods',
      body: () => {
        const pod = normalPod();
        pod.metadata!.annotations = { 'kruise.io/sidecarset-hash': unit.repeat(Math.floor(length / unit.length)) };
        return reviewText('/mutate-pods', pod);
      },
    };
  },
  'many containers': (random) => {
    const containers = size(random, 100, 8_000);
    const env = int(random, 0, Math.max(0, Math.floor(40_000 / containers / 3) - 1));
    const sameName = random() < 0.3;
    if (random() < 0.6) {
      return {
        category: 'many containers',
        route: '/mutate-pods',
        body: () => {
          const pod = normalPod();
          pod.spec!.containers = Array.from({ length: containers }, (_, i) => ({
            name: sameName ? 'app' : `c${i}`,
            image: 'nginx',
            env: Array.from({ length: env }, (_, j) => ({ name: `V${j}`, value: 'x' })),
            volumeMounts: [{ name: 'data', mountPath: '/data', subPathExpr: '$(V0)' }],
          }));
          return reviewText('/mutate-pods', pod);
        },
      };
    }
    const route = sidecarSetRoute(random);
    return {
      category: 'many containers',
      route,
      body: () => {
        const set = normalSidecarSet();
        set.spec.containers = Array.from({ length: containers }, (_, i) => ({
          name: sameName ? 'agent' : `agent-${i}`,
          image: 'registry.example/agent:1.0',
          env: Array.from({ length: env }, (_, j) => ({ name: `V${j}`, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } })),
        }));
        return reviewText(route, set, route === '/validate-sidecarsets' && random() < 0.5 ? { operation: 'UPDATE', oldObject: { ...set, spec: { ...set.spec, containers: set.spec.containers!.map((c) => ({ ...c, name: `old-${c.name}` })) } } } : {});
      },
    };
  },
  'wrongly typed object': (random) => {
    const route = pick(random, ['/mutate-pods', '/mutate-sidecarsets', '/validate-sidecarsets', '/validate-resourcebindings'] as const);
    const seed = int(random, 0, 2 ** 31);
    return {
      category: 'wrongly typed object',
      route,
      body: () => {
        const r = seededRandom(seed);
        const object: unknown =
          route === '/mutate-pods'
            ? normalPod()
            : route === '/validate-resourcebindings'
              ? { apiVersion: 'sidecarset.alibabacloud.com/v1alpha1', kind: 'SidecarSetResourceBinding', metadata: { name: 'b', namespace: 'default' }, spec: { subjects: [{ kind: 'SidecarSet', name: 's' }], resourceRefs: [{ kind: 'ConfigMap', name: 'c' }] } }
              : normalSidecarSet();
        if (r() < 0.1) return reviewText(route, wrongValue(r));
        const all = paths(object);
        for (let i = int(r, 1, 5); i > 0; i--) replaceAt(object, pick(r, all), wrongValue(r));
        return reviewText(route, object);
      },
    };
  },
  'over the JSON budget': (random) => {
    const values = size(random, 60_000, 1_500_000);
    const shape = pick(random, ['labels', 'zeros', 'objects', 'strings']);
    return {
      category: 'over the JSON budget',
      route: '/mutate-pods',
      body: () => {
        const pod = normalPod() as Pod & Record<string, unknown>;
        if (shape === 'labels') pod.metadata!.labels = Object.fromEntries(Array.from({ length: values }, (_, i) => [`k${i}`, 'v']));
        else pod.spec!.containers[0]!.args = Array.from({ length: values }, () => (shape === 'zeros' ? 0 : shape === 'objects' ? {} : '')) as string[];
        return reviewText('/mutate-pods', pod);
      },
    };
  },
  'nested too deep': (random) => {
    const depth = size(random, 65, 2_000_000);
    const route = pick(random, ['/mutate-pods', '/validate-sidecarsets'] as const);
    const object = route === '/mutate-pods' ? normalPod() : normalSidecarSet();
    return {
      category: 'nested too deep',
      route,
      body: () => reviewText(route, object).replace(/"kind":"(Pod|SidecarSet)"/, `"kind":"$1","x":${'['.repeat(depth)}${']'.repeat(depth)}`),
    };
  },
  'over the body limit': (random) => {
    const bytes = int(random, 7 * 1024 * 1024 + 1, 9 * 1024 * 1024);
    return {
      category: 'over the body limit',
      route: '/mutate-pods',
      body: () => {
        const pod = normalPod();
        pod.metadata!.annotations = { big: 'x'.repeat(bytes) };
        return reviewText('/mutate-pods', pod);
      },
    };
  },
  'broken review': (random) => {
    const length = size(random, 100, 5_000_000);
    const variant = int(random, 0, 4);
    const route = pick(random, ['/mutate-pods', '/validate-sidecarsets'] as const);
    return {
      category: 'broken review',
      route,
      body: () =>
        [
          JSON.stringify({ apiVersion: 'x'.repeat(length), kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE' } }),
          JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u'.repeat(length), operation: 'CREATE' } }),
          JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: [normalPod()] }),
          `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE","object":${'{"a":'.repeat(10)}`,
          JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE', namespace: { name: 'default' }, object: normalPod() } }),
        ][variant]!,
    };
  },
};

export const CATEGORIES = Object.keys(GENERATORS);

/** `count` adversarial cases drawn from `seed`, every category equally likely. */
export function adversarialCorpus(seed: number, count: number): Case[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => GENERATORS[pick(random, CATEGORIES)]!(random));
}
