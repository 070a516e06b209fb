// planRollout: one table per rule of the rollout (DESIGN.md "Rollout rules").
import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { planRollout, type RolloutPlan } from './planRollout.js';
import { makePod, makePods, makeSidecarSet, NOW, patched, previousRevision, restarted } from './rolloutFixtures.test-util.js';

const names = (keys: string[]): string[] => keys.map((key) => key.replace(/^default\//, ''));
const reasons = (plan: RolloutPlan): string[] => [...new Set(plan.waiting.map((w) => w.reason))];

/** Pods already updated to `set` and running it (consistent and ready). */
const updatedPods = (set: SidecarSet, pods: Pod[]): Pod[] => pods.map((pod) => restarted(patched(set, pod)));

interface Case {
  name: string;
  set: SidecarSet;
  pods: Pod[];
  next: string[] | number;
  expect?: Partial<Omit<RolloutPlan, 'next' | 'waiting' | 'notUpgradable'>>;
  reasons?: string[];
}

const rolling = makeSidecarSet();
const old = previousRevision(rolling);
const olds = (n: number, prefix = 'pod', extra: Partial<Parameters<typeof makePod>[1]> = {}) => makePods(n, prefix, { injectedWith: old, ...extra });
const setWith = (strategy: NonNullable<SidecarSet['spec']['updateStrategy']>) => makeSidecarSet({ strategy });

const withDebug = makeSidecarSet({ env: [{ name: 'LEVEL', value: 'debug' }], strategy: { maxUnavailable: 10, partition: 2 } });

const cases: Case[] = [
  {
    name: 'maxUnavailable defaults to 1: one ready pod per round',
    set: makeSidecarSet({ strategy: {} }),
    pods: olds(5),
    next: 1,
    expect: { matched: 5, updated: 0, ready: 5, budget: 1 },
    reasons: ['maxUnavailable 1 reached (1 updating in this round)'],
  },
  {
    name: 'partition 50% of 20 pods stops at 10 updated',
    set: setWith({ partition: '50%', maxUnavailable: '100%' }),
    pods: [...updatedPods(setWith({ partition: '50%' }), olds(10, 'new')), ...olds(10, 'old')],
    next: 0,
    expect: { matched: 20, updated: 10, updatedReady: 10, unavailable: 0, budget: 20 },
    reasons: ['partition keeps 10 pods of those this rollout may update on the old revision'],
  },
  {
    name: 'partition 50% of 20 fresh pods updates 10 when the budget allows',
    set: setWith({ partition: '50%', maxUnavailable: '100%' }),
    pods: olds(20),
    next: 10,
  },
  {
    name: 'partition "90%" of 3 pods rounds up to 3 and is capped at 2, so one pod is updated',
    set: setWith({ partition: '90%', maxUnavailable: 3 }),
    pods: olds(3),
    next: 1,
    reasons: ['partition keeps 2 pods of those this rollout may update on the old revision'],
  },
  {
    name: 'partition "100%" keeps every pod',
    set: setWith({ partition: '100%', maxUnavailable: 3 }),
    pods: olds(3),
    next: 0,
    reasons: ['partition keeps 3 pods of those this rollout may update on the old revision'],
  },
  {
    name: 'an integer partition above the number of pods keeps them all',
    set: setWith({ partition: 9, maxUnavailable: 3 }),
    pods: olds(3),
    next: 0,
  },
  {
    name: 'maxUnavailable 3 with 3 updating pods yields no next',
    set: setWith({ maxUnavailable: 3 }),
    pods: [...olds(3, 'busy').map((pod) => patched(setWith({ maxUnavailable: 3 }), pod)), ...olds(5)],
    next: 0,
    expect: { matched: 8, updated: 3, updatedReady: 0, unavailable: 3, budget: 0 },
    reasons: ['maxUnavailable 3 reached (3 updated pods not yet ready)'],
  },
  {
    name: 'maxUnavailable 3 with 1 updating pod takes 2 more',
    set: setWith({ maxUnavailable: 3 }),
    pods: [patched(setWith({ maxUnavailable: 3 }), makePod('busy', { injectedWith: old })), ...olds(5)],
    next: 2,
    expect: { unavailable: 1, budget: 2 },
    reasons: ['maxUnavailable 3 reached (1 updated pod not yet ready, 2 more updating in this round)'],
  },
  {
    name: 'maxUnavailable "25%" of 10 pods rounds up to 3',
    set: setWith({ maxUnavailable: '25%' }),
    pods: olds(10),
    next: 3,
    expect: { budget: 3 },
  },
  {
    name: 'maxUnavailable 0 updates only pods that are not ready anyway',
    set: setWith({ maxUnavailable: 0 }),
    pods: [...olds(3), makePod('sick', { injectedWith: old, ready: false })],
    next: ['sick'],
    reasons: ['maxUnavailable 0 lets no ready pod be updated'],
  },
  {
    name: 'not-ready pods go first and use no budget',
    set: setWith({ maxUnavailable: 1 }),
    pods: [...olds(3, 'ok'), ...olds(2, 'sick', { ready: false })],
    next: ['sick-00', 'sick-01', 'ok-00'],
    expect: { ready: 3, budget: 1 },
  },
  {
    name: 'unscheduled, then pending, then running pods',
    set: setWith({ maxUnavailable: 5 }),
    pods: [
      makePod('running', { injectedWith: old }),
      makePod('pending', { injectedWith: old, phase: 'Pending', ready: false }),
      makePod('unscheduled', { injectedWith: old, phase: 'Pending', ready: false, nodeName: null }),
    ],
    next: ['unscheduled', 'pending', 'running'],
  },
  {
    name: 'newer pods before older ones; more restarts first',
    set: setWith({ maxUnavailable: 5 }),
    pods: [
      makePod('oldest', { injectedWith: old, created: '2024-01-01T00:00:00Z' }),
      makePod('newest', { injectedWith: old, created: '2024-03-01T00:00:00Z' }),
      makePod('middle', { injectedWith: old, created: '2024-02-01T00:00:00Z' }),
      makePod('crashy', { injectedWith: old, created: '2023-01-01T00:00:00Z', restarts: 4 }),
    ],
    next: ['crashy', 'newest', 'middle', 'oldest'],
  },
  {
    name: 'canary selector limits candidates',
    set: setWith({ maxUnavailable: 10, selector: { matchLabels: { canary: 'true' } } }),
    pods: [...olds(2, 'canary', { labels: { app: 'web', canary: 'true' } }), ...olds(3, 'stable')],
    next: ['canary-00', 'canary-01'],
    reasons: ['not selected by updateStrategy.selector (canary)'],
  },
  {
    name: 'partition counts the candidates: with a canary selector (which both webhooks refuse next to a partition) it keeps that many of the selected pods old',
    set: setWith({ maxUnavailable: 10, partition: 1, selector: { matchLabels: { canary: 'true' } } }),
    pods: [...olds(3, 'canary', { labels: { app: 'web', canary: 'true' } }), ...olds(3, 'stable')],
    next: ['canary-00', 'canary-01'],
    reasons: ['not selected by updateStrategy.selector (canary)', 'partition keeps 1 pod of those this rollout may update on the old revision'],
  },
  {
    name: 'partition counts the candidates: not-upgradable pods stay old on top of it',
    set: withDebug,
    pods: [...makePods(4, 'pod', { injectedWith: previousRevision(withDebug) }), ...makePods(2, 'grown', { injectedWith: old })],
    next: ['pod-00', 'pod-01'],
    reasons: ['not upgradable: container logtail: env LEVEL differs; only image changes in place, so the pod keeps its sidecar until it is recreated', 'partition keeps 2 pods of those this rollout may update on the old revision'],
  },
  {
    name: 'the first ready pod over budget ends the round: a not-ready pod behind it waits',
    set: setWith({ maxUnavailable: 1, priorityStrategy: { weightPriority: [{ weight: 10, matchSelector: { matchLabels: { tier: 'gold' } } }] } }),
    pods: [...olds(2, 'gold', { labels: { app: 'web', tier: 'gold' } }), makePod('sick', { injectedWith: old, ready: false })],
    next: ['gold-00'],
    reasons: ['maxUnavailable 1 reached (1 updating in this round)', 'waits behind default/gold-01 in the update order (maxUnavailable 1 reached (1 updating in this round))'],
  },
  {
    name: 'paused rollout updates nothing',
    set: setWith({ paused: true }),
    pods: olds(3),
    next: 0,
    reasons: ['rollout paused (updateStrategy.paused)'],
  },
  {
    name: 'NotUpdate updates nothing',
    set: setWith({ type: 'NotUpdate' }),
    pods: olds(3),
    next: 0,
    reasons: ['updateStrategy.type is NotUpdate'],
  },
  {
    name: 'weightPriority: heavier pods first',
    set: setWith({
      maxUnavailable: 3,
      priorityStrategy: {
        weightPriority: [
          { weight: 50, matchSelector: { matchLabels: { tier: 'gold' } } },
          { weight: 10, matchSelector: { matchLabels: { zone: 'a' } } },
        ],
      },
    }),
    pods: [
      makePod('plain', { injectedWith: old }),
      makePod('zone-a', { injectedWith: old, labels: { app: 'web', zone: 'a' } }),
      makePod('gold', { injectedWith: old, labels: { app: 'web', tier: 'gold' } }),
      makePod('gold-zone-a', { injectedWith: old, labels: { app: 'web', tier: 'gold', zone: 'a' } }),
    ],
    next: ['gold-zone-a', 'gold', 'zone-a'],
  },
  {
    name: 'orderPriority: larger integer values first, earlier keys first',
    set: setWith({ maxUnavailable: 4, priorityStrategy: { orderPriority: [{ orderedKey: 'rank' }, { orderedKey: 'sub' }] } }),
    pods: [
      makePod('rank-2', { injectedWith: old, labels: { app: 'web', rank: '2' } }),
      makePod('sub-9', { injectedWith: old, labels: { app: 'web', sub: 'v9' } }),
      makePod('rank-10', { injectedWith: old, labels: { app: 'web', rank: '10' } }),
      makePod('unranked', { injectedWith: old }),
    ],
    next: ['unranked', 'rank-10', 'rank-2', 'sub-9'],
  },
  {
    name: 'a pod whose previous in-place update has not finished waits for it',
    set: setWith({ maxUnavailable: 5 }),
    pods: [patched(previousRevision(rolling, 'logtail:1.5'), makePod('half', { injectedWith: old })), ...olds(1)],
    next: ['pod-00'],
    reasons: ['the previous in-place update of container logtail has not finished (its imageID has not changed)'],
  },
];

describe('planRollout', () => {
  it.each(cases)('$name', (c) => {
    const plan = planRollout(c.set, c.pods, NOW);
    if (typeof c.next === 'number') expect(plan.next).toHaveLength(c.next);
    else expect(names(plan.next)).toEqual(c.next);
    if (c.expect) expect(plan).toMatchObject(c.expect);
    if (c.reasons) expect(reasons(plan)).toEqual(c.reasons);
    // every matched pod not updated is either next or waiting, once
    const accounted = [...plan.next, ...plan.waiting.map((w) => w.pod)];
    expect(new Set(accounted).size).toBe(accounted.length);
    expect(plan.next.length + plan.waiting.length).toBeGreaterThanOrEqual(plan.matched - plan.updated);
  });

  it('updated pods are neither next nor waiting', () => {
    const pods = [...updatedPods(rolling, olds(2, 'done')), ...olds(2)];
    const plan = planRollout(setWith({ maxUnavailable: 5 }), pods, NOW);
    expect(plan.updated).toBe(2);
    expect(names(plan.next)).toEqual(['pod-00', 'pod-01']);
    expect(plan.waiting).toEqual([]);
  });

  it('scatter spreads app=a and app=b evenly', () => {
    const set = setWith({ maxUnavailable: '100%', scatterStrategy: [{ key: 'app', value: 'a' }, { key: 'app', value: 'b' }] });
    // the default order alone would put every a before every b (the a pods are newer)
    const pods = [
      ...olds(4, 'a', { labels: { app: 'a' }, created: '2025-02-01T00:00:00Z' }),
      ...olds(4, 'b', { labels: { app: 'b' }, created: '2025-01-01T00:00:00Z' }),
    ];
    const order = names(planRollout(set, pods, NOW).next).map((name) => name[0]);
    expect(order).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) expect(order.slice(i, i + 2).sort()).toEqual(['a', 'b']);
  });

  it('scatter value "*" spreads every value of the key present', () => {
    const set = setWith({ maxUnavailable: '100%', scatterStrategy: [{ key: 'zone', value: '*' }] });
    const pods = [
      ...olds(3, 'x', { labels: { app: 'web', zone: 'x' }, created: '2025-03-01T00:00:00Z' }),
      ...olds(3, 'y', { labels: { app: 'web', zone: 'y' }, created: '2025-02-01T00:00:00Z' }),
      ...olds(3, 'z', { labels: { app: 'web', zone: 'z' }, created: '2025-01-01T00:00:00Z' }),
    ];
    const order = names(planRollout(set, pods, NOW).next).map((name) => name[0]);
    expect(order).toHaveLength(9);
    for (let i = 0; i < 9; i += 3) expect(new Set(order.slice(i, i + 3)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(order.slice(0, 3))).toEqual(new Set(['x', 'y', 'z']));
  });

  it('env-only change makes every pod not upgradable', () => {
    const withEnv = makeSidecarSet({ env: [{ name: 'LEVEL', value: 'debug' }], strategy: { maxUnavailable: 5 } });
    const pods = olds(3); // injected without the variable
    const plan = planRollout(withEnv, pods, NOW);
    expect(plan.next).toEqual([]);
    expect(plan.notUpgradable).toHaveLength(3);
    expect(plan.notUpgradable[0]).toEqual({ pod: 'default/pod-00', reason: 'container logtail: env LEVEL differs; only image changes in place, so the pod keeps its sidecar until it is recreated' });
    expect(reasons(plan)).toEqual(['not upgradable: container logtail: env LEVEL differs; only image changes in place, so the pod keeps its sidecar until it is recreated']);
  });

  it('not-upgradable pods are reported only among those the rollout would take now, as OpenKruise reports them', () => {
    const env = [{ name: 'LEVEL', value: 'debug' }];
    const canary = makeSidecarSet({ env, strategy: { selector: { matchLabels: { canary: 'true' } } } });
    const pods = [...olds(2), makePod('picked', { injectedWith: old, labels: { app: 'web', canary: 'true' } })];
    const plan = planRollout(canary, pods, NOW);
    expect(plan.notUpgradable.map((entry) => entry.pod)).toEqual(['default/picked']);
    expect(reasons(plan)).toEqual(['not selected by updateStrategy.selector (canary)', 'not upgradable: container logtail: env LEVEL differs; only image changes in place, so the pod keeps its sidecar until it is recreated']);
    expect(planRollout(makeSidecarSet({ env, strategy: { paused: true } }), pods, NOW).notUpgradable).toEqual([]);
    expect(planRollout(makeSidecarSet({ env, strategy: { type: 'NotUpdate' } }), pods, NOW).notUpgradable).toEqual([]);
  });

  it('a pod without a sidecar added to the SidecarSet later is left out of the rollout and its counts, as OpenKruise leaves it out', () => {
    const grown = makeSidecarSet({ containers: [{ name: 'logtail', image: 'logtail:2' }, { name: 'proxy', image: 'proxy:1' }] });
    const plan = planRollout(grown, olds(1), NOW);
    expect(plan).toMatchObject({ matched: 0, updated: 0, next: [], notUpgradable: [] });
    expect(plan.waiting).toEqual([
      { pod: 'default/pod-00', reason: 'lacks sidecar proxy, added to the SidecarSet after the pod was created (sidecars are injected only when a pod is created): not counted, as OpenKruise does not count it' },
    ]);
  });

  it('pods not injected, or no longer active, are reported but not counted', () => {
    const notInjected: Pod = { metadata: { name: 'bare', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app' }] } };
    const done = { ...makePod('done', { injectedWith: old }), status: { phase: 'Succeeded' } };
    const elsewhere: Pod = { metadata: { name: 'other', namespace: 'default', labels: { team: 'x' } }, spec: { containers: [{ name: 'app' }] } };
    const plan = planRollout(rolling, [notInjected, done, elsewhere, ...olds(1)], NOW);
    expect(plan.matched).toBe(1);
    expect(plan.waiting).toEqual([
      { pod: 'default/bare', reason: 'not injected with this SidecarSet (sidecars are injected only when a pod is created)' },
      { pod: 'default/done', reason: 'pod not active: pod has finished (phase Succeeded)' },
    ]);
  });

  it('spec.namespace scopes the pods', () => {
    const scoped = withNamespace(rolling, 'prod');
    const plan = planRollout(scoped, [...olds(1), makePod('p', { injectedWith: withNamespace(old, 'prod'), namespace: 'prod' })], NOW);
    expect(plan.matched).toBe(1);
    expect(plan.next).toEqual(['prod/p']);
  });
});

function withNamespace(set: SidecarSet, namespace: string): SidecarSet {
  return { ...set, spec: { ...set.spec, namespace } };
}
