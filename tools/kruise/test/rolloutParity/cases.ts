// Generated rollouts for the rollout parity suite: a SidecarSet's updateStrategy (maxUnavailable,
// partition as an integer or a percentage, a canary selector, scatter, weight or order priority,
// starting paused) and the pods it rolls out over (zone, tier, rank and canary labels; a few pods whose
// app never becomes ready, which the rollout takes first and which then hold a unit of maxUnavailable).
// Also what "the same pods go first" can mean for a strategy: the class of each pod that OpenKruise's
// order decides deterministically (see orderClasses).
import type { SidecarSet, UpdatePriorityStrategy, UpdateScatterTerm } from '@sidecarset/api';
import fc from 'fast-check';

export const SIDECAR_IMAGE_V1 = 'registry.example/parity-sidecar:1.0';
export const SIDECAR_IMAGE_V2 = 'registry.example/parity-sidecar:2.0';
const APP_IMAGE = 'registry.example/parity-app:1.0';
/** kwok's marker (tools/envtest/kwok/stages.yaml): the container runs but never becomes ready. */
const APP_IMAGE_NEVER_READY = 'registry.example/parity-app:1.0-never-ready';

export type UpdateStrategy = NonNullable<SidecarSet['spec']['updateStrategy']>;

export interface ParityPod {
  name: string;
  labels: Record<string, string>;
  neverReady: boolean;
}

export interface ParityCase {
  id: string;
  strategy: UpdateStrategy;
  pods: ParityPod[];
}

const WEIGHT_PRIORITY: UpdatePriorityStrategy = { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'gold' } } }, { weight: 10, matchSelector: { matchLabels: { zone: 'a' } } }] };
const ORDER_PRIORITY: UpdatePriorityStrategy = { orderPriority: [{ orderedKey: 'rank' }] };

const podArb = fc.record({
  zone: fc.constantFrom('a', 'b', 'c'),
  gold: fc.boolean(),
  rank: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  canary: fc.boolean(),
});

const SCATTERS: (UpdateScatterTerm[] | undefined)[] = [undefined, [{ key: 'zone', value: 'a' }], [{ key: 'zone', value: '*' }]];
const PRIORITIES = [undefined, 'weight', 'order'] as const;

/**
 * The `index`-th case's strategy: priority and scatter go through every combination as the index
 * grows (none, weight, order) x (none, zone=a, zone=*), so that 8 cases cover each of them; the
 * rest is drawn.
 */
const strategyArb = (index: number): fc.Arbitrary<UpdateStrategy> => fc
  .record({
    maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }).map((n) => `${n * 10}%`)),
    partition: fc.option(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 6 }).map((n) => `${n * 10}%`)), { nil: undefined }),
    canary: fc.boolean(),
    paused: fc.boolean(),
  })
  .map(({ maxUnavailable, partition, canary, paused }) => ({ maxUnavailable, partition, canary, paused, priority: PRIORITIES[index % 3], scatter: SCATTERS[Math.floor(index / 3) % 3] }))
  .map(({ maxUnavailable, partition, canary, scatter, priority, paused }) => ({
    type: 'RollingUpdate',
    maxUnavailable,
    // Both webhooks refuse a partition next to a canary selector (OpenKruise: "Partition and Selector cannot be used together").
    ...(partition !== undefined && !canary && { partition }),
    ...(canary && { selector: { matchLabels: { canary: 'true' } } }),
    ...(scatter && { scatterStrategy: scatter }),
    ...(priority === 'weight' && { priorityStrategy: WEIGHT_PRIORITY }),
    ...(priority === 'order' && { priorityStrategy: ORDER_PRIORITY }),
    ...(paused && { paused: true }),
  }));

export function parityCaseArb(id: string, index: number, pods: { min: number; max: number }): fc.Arbitrary<ParityCase> {
  return fc
    .record({
      strategy: strategyArb(index),
      pods: fc.array(podArb, { minLength: pods.min, maxLength: pods.max }),
      neverReady: fc.integer({ min: 0, max: 2 }),
    })
    .map(({ strategy, pods: specs, neverReady }) => ({
      id,
      strategy,
      pods: specs.map((spec, i) => ({
        name: `p-${String(i).padStart(2, '0')}`,
        labels: {
          zone: spec.zone,
          ...(spec.gold && { tier: 'gold' }),
          ...(spec.rank !== undefined && { rank: `r${spec.rank}` }),
          ...(spec.canary && { canary: 'true' }),
        },
        // spread over the list, so that they are not always the first pods created
        neverReady: neverReady > 0 && i % Math.ceil(specs.length / neverReady) === 1,
      })),
    }));
}

export const RUN_LABEL = 'parity-run';

export function paritySidecarSet(c: ParityCase): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: `parity-${c.id}` },
    spec: {
      selector: { matchLabels: { [RUN_LABEL]: c.id } },
      // Paused until the test releases each round (rolloutRounds.ts).
      updateStrategy: { ...c.strategy, paused: true },
      containers: [{ name: 'sidecar', image: SIDECAR_IMAGE_V1 }],
    },
  } as SidecarSet;
}

export function parityPodManifest(c: ParityCase, pod: ParityPod, index: number, restartDelay: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: `parity-${c.id}`,
      labels: { [RUN_LABEL]: c.id, ...pod.labels },
      annotations: { 'sidecarset.dev/kwok-restart-delay': restartDelay },
    },
    spec: {
      nodeName: `kwok-node-${index % 2}`,
      containers: [{ name: 'app', image: pod.neverReady ? APP_IMAGE_NEVER_READY : APP_IMAGE }],
    },
  };
}

export interface OrderClasses {
  /** The class of a pod that OpenKruise's order decides. */
  classOf(pod: ParityPod): string;
  /** Whether the next round's classes are decided, given the pods updated before it. */
  decided(updated: ReadonlySet<string>): boolean;
}

/**
 * What OpenKruise's update order decides for this strategy, or undefined when it decides nothing
 * beyond counts. Its order is: not ready first (then by Ready time, restarts and creation time, which
 * differ between two planes, and an unstable sort), then a stable sort by priority, then the scatter
 * terms. So the sequence of (ready, priority) classes is fixed. A single scatter term places its
 * carriers by counts alone, so (ready, carrier) is fixed too, but only in a round whose candidates
 * hold at least two carriers and two others: otherwise Kruise leaves the default order as it is, and
 * which class goes first is down to Ready times; that round and those after it compare counts only.
 * With a priority and a scatter term, or several scatter terms, the classes a term reorders are finer
 * than those the order before it fixed.
 */
export function orderClasses(c: ParityCase): OrderClasses | undefined {
  const scatter = c.strategy.scatterStrategy ?? [];
  const terms = scatter.flatMap((term) => (term.value === '*' ? [...new Set(c.pods.flatMap((p) => (p.labels[term.key] !== undefined ? [`${term.key}=${p.labels[term.key]}`] : [])))] : [`${term.key}=${term.value}`]));
  const priority = c.strategy.priorityStrategy;
  if (terms.length > 1 || (terms.length === 1 && priority)) return undefined;
  const [key, value] = terms.length === 1 ? (terms[0]!.split('=') as [string, string]) : [undefined, undefined];
  const carries = (pod: ParityPod) => key !== undefined && pod.labels[key] === value;
  const selected = (pod: ParityPod) => !c.strategy.selector || pod.labels.canary === 'true';
  return {
    classOf(pod) {
      const parts = [pod.neverReady ? 'not-ready' : 'ready'];
      if (priority?.weightPriority) parts.push(`weight=${(pod.labels.tier === 'gold' ? 50 : 0) + (pod.labels.zone === 'a' ? 10 : 0)}`);
      if (priority?.orderPriority) parts.push(`rank=${pod.labels.rank ?? 'none'}`);
      if (key !== undefined) parts.push(carries(pod) ? `scatter:${key}=${value}` : 'scatter:other');
      return parts.join(' ');
    },
    decided(updated) {
      if (key === undefined) return true;
      const candidates = c.pods.filter((pod) => selected(pod) && !updated.has(pod.name));
      const carriers = candidates.filter(carries).length;
      return carriers >= 2 && candidates.length - carriers >= 2;
    },
  };
}
