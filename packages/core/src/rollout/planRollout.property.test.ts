// Properties of planRollout over generated pods and update strategies.
import type { Pod, SidecarSet, SidecarSetUpdateStrategy, UpdatePriorityStrategy, UpdateScatterTerm } from '@sidecarset/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelSelectorMatches } from '../labels/labelSelector.js';
import { planRollout } from './planRollout.js';
import { podSidecarStatus } from './podSidecarStatus.js';
import { podUpgradePatch } from './podUpgradePatch.js';
import { rolloutPodView } from './rolloutPodView.js';
import { sidecarSetStatus } from './sidecarSetStatus.js';
import { partitionCount } from './rolloutCounts.js';
import { makePod, makeSidecarSet, NOW, patched, previousRevision, restarted } from './rolloutFixtures.test-util.js';

const target = makeSidecarSet(); // logtail:2
const revisions = {
  old: previousRevision(target), // logtail:1: image differs only
  oldEnv: previousRevision(makeSidecarSet({ env: [{ name: 'LEVEL', value: 'debug' }] })), // env differs too: not upgradable
  current: target,
};

const podSpec = fc.record({
  revision: fc.constantFrom<keyof typeof revisions | 'inFlight' | 'updating'>('old', 'old', 'old', 'oldEnv', 'current', 'inFlight', 'updating'),
  ready: fc.boolean(),
  phase: fc.constantFrom('Running', 'Running', 'Pending'),
  canary: fc.boolean(),
  zone: fc.constantFrom('a', 'b', 'c'),
  rank: fc.integer({ min: 0, max: 5 }),
  day: fc.integer({ min: 1, max: 28 }),
});

const sometimes = <T>(value: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: value, weight: weight * 2 });

const strategy: fc.Arbitrary<SidecarSetUpdateStrategy> = fc.record({
  type: fc.constantFrom<'RollingUpdate' | 'NotUpdate' | undefined>('RollingUpdate', 'RollingUpdate', undefined, undefined, undefined, 'NotUpdate'),
  paused: sometimes(fc.constant(true), 0.5),
  partition: sometimes(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`)), 2),
  maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 100 }).map((n) => `${n}%`)),
  selector: sometimes(fc.constant({ matchLabels: { canary: 'true' } })),
  priorityStrategy: sometimes(
    fc.oneof<fc.Arbitrary<UpdatePriorityStrategy>[]>(
      fc.constant({ weightPriority: [{ weight: 10, matchSelector: { matchLabels: { zone: 'a' } } }] }),
      fc.constant({ orderPriority: [{ orderedKey: 'rank' }] }),
    ),
    2,
  ),
  scatterStrategy: sometimes(fc.constantFrom<UpdateScatterTerm[]>([{ key: 'zone', value: '*' }], [{ key: 'zone', value: 'b' }]), 2),
});

type PodSpec = typeof podSpec extends fc.Arbitrary<infer T> ? T : never;

function buildPod(spec: PodSpec, index: number): Pod {
  const base = {
    labels: { app: 'web', zone: spec.zone, rank: `r${spec.rank}`, ...(spec.canary && { canary: 'true' }) },
    ready: spec.ready,
    phase: spec.phase,
    created: `2025-01-${String(spec.day).padStart(2, '0')}T00:00:00Z`,
  };
  const name = `pod-${String(index).padStart(2, '0')}`;
  switch (spec.revision) {
    case 'inFlight': // an earlier in-place update still running
      return patched(previousRevision(target, 'logtail:1.5'), makePod(name, { ...base, injectedWith: revisions.old }));
    case 'updating': // updated to the target, the kubelet has not restarted the sidecar yet
      return patched(target, makePod(name, { ...base, injectedWith: revisions.old }));
    default:
      return makePod(name, { ...base, injectedWith: revisions[spec.revision] });
  }
}

const scenario = fc.record({ pods: fc.array(podSpec, { minLength: 1, maxLength: 18 }), strategy });

describe('planRollout properties', () => {
  it('respects the budget, never plans a not-upgradable pod, and converges to the eligible pods less the partition', () => {
    fc.assert(
      fc.property(scenario, ({ pods: specs, strategy: s }) => {
        const set: SidecarSet = makeSidecarSet({ strategy: s });
        let pods = specs.map(buildPod);
        const plan = planRollout(set, pods, NOW);
        const byKey = new Map(pods.map((pod) => [`default/${pod.metadata!.name}`, pod]));
        const statuses = new Map([...byKey].map(([key, pod]) => [key, podSidecarStatus(set, pod)]));
        const notReadyCandidates = [...statuses.values()].filter((st) => !st.updated && st.upgradable && !st.ready).length;

        expect(plan.next.length).toBeLessThanOrEqual(Math.max(0, plan.budget) + notReadyCandidates);
        const readyInNext = plan.next.filter((key) => statuses.get(key)!.ready).length;
        expect(readyInNext).toBeLessThanOrEqual(Math.max(0, plan.budget));
        const notUpgradable = new Set(plan.notUpgradable.map((entry) => entry.pod));
        for (const key of plan.next) {
          expect(notUpgradable.has(key)).toBe(false);
          expect(statuses.get(key)!.upgradable).toBe(true);
        }
        expect(plan.next.length + plan.waiting.length).toBe(plan.matched - plan.updated);

        // Apply the plan round after round; between rounds the kubelet finishes every update.
        const initialUpdated = plan.updated;
        const eligible = [...byKey].filter(([key, pod]) => {
          const st = statuses.get(key)!;
          return !st.updated && st.upgradable && (!s.selector || labelSelectorMatches(s.selector, pod.metadata?.labels));
        }).length;
        const blocked = s.type === 'NotUpdate' || s.paused;
        // As in OpenKruise, the partition keeps that many of the eligible pods (not of all pods) old.
        const expected = blocked ? initialUpdated : initialUpdated + Math.max(0, eligible - partitionCount(s.partition, plan.matched));

        pods = pods.map(restarted);
        for (let round = 0; round < specs.length + 2; round++) {
          const step = planRollout(set, pods, NOW);
          if (step.next.length === 0) break;
          const chosen = new Set(step.next);
          pods = pods.map((pod) => (chosen.has(`default/${pod.metadata!.name}`) ? restarted(patched(set, pod)) : pod));
        }
        const final = planRollout(set, pods, NOW);
        expect(final.next).toEqual([]);
        expect(final.updated).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same pods in any order give the same plan', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), ({ pods: specs, strategy: s }, seed) => {
        const set = makeSidecarSet({ strategy: s });
        const pods = specs.map(buildPod);
        const shuffled = [...pods].sort((a, b) => ((hash(a.metadata!.name!) ^ seed) >>> 0) - ((hash(b.metadata!.name!) ^ seed) >>> 0));
        const sorted = (plan: ReturnType<typeof planRollout>) => ({ ...plan, waiting: [...plan.waiting].sort((x, y) => x.pod.localeCompare(y.pod)), notUpgradable: [...plan.notUpgradable].sort((x, y) => x.pod.localeCompare(y.pod)) });
        expect(sorted(planRollout(set, shuffled, NOW))).toEqual(sorted(planRollout(set, pods, NOW)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('rolloutPodView', () => {
  /** What a pod from the API server carries beyond the fixtures: never read by the rollout. */
  const withServerFields = (pod: Pod): Pod => ({
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: { ...pod.metadata?.annotations, 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Pod"}' },
      managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {} }],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u' }],
    },
    spec: { ...pod.spec!, volumes: [{ name: 'token', projected: { sources: [] } }], tolerations: [{ key: 'k', operator: 'Exists' }] },
    status: {
      ...pod.status,
      podIP: '10.0.0.1',
      containerStatuses: pod.status?.containerStatuses?.map((s) => ({ ...s, containerID: 'containerd://1', state: { running: { startedAt: '2025-01-01T00:00:00Z' } } })),
    },
  });

  it('gives the same plan, status and upgrade patches as the whole pod', () => {
    fc.assert(
      fc.property(scenario, ({ pods: specs, strategy: s }) => {
        const set = makeSidecarSet({ strategy: s });
        const pods = specs.map(buildPod).map(withServerFields);
        const views = pods.map(rolloutPodView);
        expect(views.every((v) => v.metadata?.managedFields === undefined && v.spec?.volumes === undefined)).toBe(true);
        expect(planRollout(set, views, NOW)).toEqual(planRollout(set, pods, NOW));
        expect(sidecarSetStatus(set, views, 'rev')).toEqual(sidecarSetStatus(set, pods, 'rev'));
        pods.forEach((pod, i) => expect(podUpgradePatch(set, views[i]!, NOW)).toEqual(podUpgradePatch(set, pod, NOW)));
      }),
      { numRuns: 60 },
    );
  });
});

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
}
