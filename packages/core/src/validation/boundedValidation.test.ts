// Validation and defaulting of a SidecarSet cost bounded work whatever its text says: each adversarial
// value is refused with a field error at its own path, at once (the code this replaced took from
// seconds to minutes on the same input, blocking the webhook's event loop).
import type { SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { admitSidecarSet } from '../defaults/admitSidecarSet.js';
import { validateSidecarSet } from './validateSidecarSet.js';

/** CPU time of this process in ms: a stall guard that the machine's other load does not move (speed is bench/'s job). */
const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

const base = (): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'logtail' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    containers: [{ name: 'logtail', image: 'logtail:1.0.0', volumeMounts: [{ name: 'log', mountPath: '/var/log' }] }],
    volumes: [{ name: 'log', emptyDir: {} }],
  },
});

const changed = (change: (s: SidecarSet) => void): SidecarSet => {
  const s = base();
  change(s);
  return s;
};

/** Runs `fn` and fails when it takes longer than a generous second (the old code: seconds or more). */
function quickly<T>(fn: () => T): T {
  const started = cpuMs();
  const result = fn();
  expect(cpuMs() - started).toBeLessThan(1000);
  return result;
}

const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('validateSidecarSet refuses adversarial values at their path, at once', () => {
  const cases: { name: string; sidecarSet: SidecarSet; path: string; reason: RegExp }[] = [
    {
      name: 'a CPU limit of 1e2000000000 (it matches the CRD pattern)',
      sidecarSet: changed((s) => (s.spec.containers![0]!.resources = { limits: { cpu: '1e2000000000' } })),
      path: 'spec.containers[0].resources.limits[cpu]',
      reason: /must be at most 8Ei/,
    },
    {
      name: 'a memory request of 40,000 digits',
      sidecarSet: changed((s) => (s.spec.containers![0]!.resources = { requests: { memory: '9'.repeat(40_000) } })),
      path: 'spec.containers[0].resources.requests[memory]',
      reason: /at most 64 characters/,
    },
    {
      name: 'a request of 1e-2000000000 next to a limit of 1e2000000000',
      sidecarSet: changed((s) => (s.spec.containers![0]!.resources = { requests: { cpu: '1e-2000000000' }, limits: { cpu: '1e2000000000' } })),
      path: 'spec.containers[0].resources.limits[cpu]',
      reason: /must be at most 8Ei/,
    },
    {
      name: 'an emptyDir sizeLimit of 1e999999999',
      sidecarSet: changed((s) => (s.spec.volumes = [{ name: 'log', emptyDir: { sizeLimit: '1e999999999' } }])),
      path: 'spec.volumes[0].emptyDir.sizeLimit',
      reason: /must be at most 8Ei/,
    },
    {
      name: 'a selector key of a million slashes',
      sidecarSet: changed((s) => (s.spec.selector = { matchLabels: { ['/'.repeat(1_000_000)]: 'x' } })),
      path: `spec.selector.matchLabels[${'/'.repeat(1_000_000)}]`,
      reason: /must be no more than 317 characters/,
    },
    {
      name: 'a resourcesPolicy regular expression of 2,000 characters',
      sidecarSet: changed((s) => (s.spec.containers![0]!.resourcesPolicy = { targetContainersMode: 'sum', targetContainersNameRegex: '(a+)+'.repeat(400), resourcesExpr: { limits: { cpu: 'cpu' } } })),
      path: 'spec.containers[0].resourcesPolicy.targetContainersNameRegex',
      reason: /at most 1024 characters/,
    },
    {
      name: 'a MergePatchJson annotation longer than a pod may carry',
      sidecarSet: changed((s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'MergePatchJson', annotations: { k: `[${'{},'.repeat(100_000)}{}]` } }])),
      path: 'spec.patchPodMetadata[0].annotations[k]',
      reason: /at most 262144 characters/,
    },
    {
      name: 'a MergePatchJson annotation of 100,000 JSON values',
      sidecarSet: changed((s) => (s.spec.patchPodMetadata = [{ patchPolicy: 'MergePatchJson', annotations: { k: `[${'0,'.repeat(100_000)}0]` } }])),
      path: 'spec.patchPodMetadata[0].annotations[k]',
      reason: /more than 20000 values/,
    },
  ];
  it.each(cases)('$name', ({ sidecarSet, path, reason }) => {
    const errors = quickly(() => validateSidecarSet(sidecarSet, undefined, []));
    expect(errors.find((e) => e.path === path)?.reason).toMatch(reason);
  });
});

describe('work that grows with two inputs stays linear in each', () => {
  it('20,000 containers added on UPDATE are each refused, naming a few of the old ones', () => {
    const previous = changed((s) => (s.spec.containers = values('old', 20_000).map((name) => ({ name, image: 'i' }))));
    const next = changed((s) => (s.spec.containers = values('new', 20_000).map((name) => ({ name, image: 'i' }))));
    const errors = quickly(() => validateSidecarSet(next, previous, [])).filter((e) => e.path.endsWith('.name') && e.type === 'Forbidden');
    expect(errors).toHaveLength(20_000);
    expect(errors[0]!.reason).toContain('(it has "old0", "old1"');
    expect(errors[0]!.reason).toContain('and 19990 more)');
  });

  it('a selector of 20,000 values against another SidecarSet of 20,000 other values', () => {
    const next = changed((s) => (s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: values('a', 20_000) }] }));
    const other = changed((s) => {
      s.metadata!.name = 'other';
      s.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: values('b', 20_000) }] };
    });
    expect(quickly(() => validateSidecarSet(next, undefined, [other]))).toEqual([]); // disjoint: they never select the same pod
  });

  it('a SidecarSet of 5,000 containers against 5,000 others that all select the same pods', () => {
    const others = Array.from({ length: 5_000 }, (_, i) =>
      changed((s) => {
        s.metadata!.name = `other-${i}`;
        s.spec.containers = [{ name: `c-${i}`, image: 'i', volumeMounts: [{ name: 'log', mountPath: '/var/log' }] }];
      }),
    );
    const next = changed((s) => (s.spec.containers = [...values('c-', 5_000).map((name) => ({ name, image: 'i' }))]));
    const errors = quickly(() => validateSidecarSet(next, undefined, others)).filter((e) => e.type === 'Duplicate');
    expect(errors).toHaveLength(5_000); // each of its containers is also another SidecarSet's
  });

  it('defaulting leaves an oversized quantity as written, for validation to refuse', () => {
    const admitted = quickly(() => admitSidecarSet(changed((s) => (s.spec.containers![0]!.resources = { limits: { cpu: '1e2000000000', memory: '1.5Gi' } }))));
    expect(admitted.spec.containers![0]!.resources!.limits).toEqual({ cpu: '1e2000000000', memory: '1536Mi' });
  });
});
