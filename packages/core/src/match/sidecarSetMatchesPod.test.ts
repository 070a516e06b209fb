import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { isPodActive } from './podActivity.js';
import { pickSidecarSetsForPod } from './pickSidecarSetsForPod.js';
import { sidecarSetMatchesPod } from './sidecarSetMatchesPod.js';

const set = (name: string, spec: Partial<SidecarSet['spec']> = {}): SidecarSet => ({
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'c', image: 'i' }], ...spec },
});
const pod = (namespace: string | undefined, labels: Record<string, string> = { app: 'web' }): Pod => ({
  metadata: { name: 'p', ...(namespace ? { namespace } : {}), labels },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

describe('sidecarSetMatchesPod', () => {
  const cases: { name: string; sidecarSet: SidecarSet; pod: Pod; ns?: string; nsLabels?: Record<string, string>; matches: boolean }[] = [
    { name: 'selector matching the pod labels selects it', sidecarSet: set('a'), pod: pod('default'), matches: true },
    { name: 'selector not matching the pod labels does not', sidecarSet: set('a'), pod: pod('default', { app: 'db' }), matches: false },
    { name: 'an empty selector selects nothing', sidecarSet: set('a', { selector: {} }), pod: pod('default'), matches: false },
    { name: 'a missing selector selects nothing', sidecarSet: set('a', { selector: undefined }), pod: pod('default'), matches: false },
    { name: 'spec.namespace equal to the pod namespace selects it', sidecarSet: set('a', { namespace: 'ns-1' }), pod: pod('ns-1'), matches: true },
    { name: 'spec.namespace different from the pod namespace does not', sidecarSet: set('a', { namespace: 'ns-1' }), pod: pod('ns-2'), matches: false },
    { name: 'a pod without namespace takes the request namespace', sidecarSet: set('a', { namespace: 'ns-1' }), pod: pod(undefined), ns: 'ns-1', matches: true },
    { name: 'a pod and request without namespace are in "default"', sidecarSet: set('a', { namespace: 'default' }), pod: pod(undefined), ns: '', matches: true },
    {
      name: 'namespaceSelector matching the namespace labels selects it',
      sidecarSet: set('a', { namespaceSelector: { matchLabels: { env: 'prod' } } }),
      pod: pod('ns-1'),
      nsLabels: { env: 'prod' },
      matches: true,
    },
    {
      name: 'namespaceSelector not matching the namespace labels does not',
      sidecarSet: set('a', { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } }),
      pod: pod('ns-1'),
      nsLabels: { env: 'dev' },
      matches: false,
    },
  ];
  it.each(cases)('$name', ({ sidecarSet, pod: p, ns, nsLabels, matches }) => {
    expect(sidecarSetMatchesPod(sidecarSet, p, ns ?? 'default', nsLabels ?? {})).toBe(matches);
  });
});

describe('pickSidecarSetsForPod', () => {
  it('returns the matching SidecarSets sorted by name', () => {
    const picked = pickSidecarSetsForPod(pod('default'), [set('zeta'), set('alpha'), set('other', { selector: { matchLabels: { app: 'x' } } }), set('mid')], 'default', {});
    expect(picked.map((s) => s.metadata?.name)).toEqual(['alpha', 'mid', 'zeta']);
  });
});

describe('isPodActive', () => {
  it.each([
    { name: 'a pending pod is active', status: { phase: 'Pending' }, deleting: false, active: true },
    { name: 'a succeeded pod is not active', status: { phase: 'Succeeded' }, deleting: false, active: false },
    { name: 'a failed pod is not active', status: { phase: 'Failed' }, deleting: false, active: false },
    { name: 'a pod being deleted is not active', status: { phase: 'Running' }, deleting: true, active: false },
  ])('$name', ({ status, deleting, active }) => {
    const p: Pod = { metadata: { name: 'p', ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) }, status };
    expect(isPodActive(p)).toBe(active);
  });
});
