// explainPod on plain objects: which SidecarSets select a pod or nearly do, what each does for a pod
// created now, what the pod has against what it would get, and whether its sidecars are current.
import type { Pod, SidecarSet } from '@sidecarset/api/offline';
import { admitSidecarSet, injectPod } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import { explainPod } from './explainPod.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const sidecarSet = (name: string, spec: Partial<SidecarSet['spec']>, image = 'agent:1'): SidecarSet => {
  const raw = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: `${name}-agent`, image }], ...spec } } as SidecarSet;
  return admitSidecarSet(raw); // defaulted and hashed, as the webhook stores it
};
const pod = (labels: Record<string, string>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop', labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } });
const ctx = { namespaceLabels: { 'kubernetes.io/metadata.name': 'shop', team: 'shop' }, revisions: [], now: NOW };
const injected = (p: Pod, sets: SidecarSet[]): Pod => injectPod(p, sets, { namespace: 'shop', namespaceLabels: ctx.namespaceLabels, revisions: [], now: NOW.toISOString() }).pod;

describe('explainPod', () => {
  it('lists selecting and nearly selecting SidecarSets with the requirement that fails, and counts the rest', () => {
    const sets = [
      sidecarSet('logs', {}),
      sidecarSet('metrics', { selector: { matchLabels: { app: 'web', tier: 'front' } } }),
      sidecarSet('other-ns', { namespace: 'billing' }),
      sidecarSet('far', { selector: { matchLabels: { app: 'db', tier: 'back' } } }),
      sidecarSet('paused', { injectionStrategy: { paused: true } }),
    ];
    const explanation = explainPod(pod({ app: 'web' }), sets, ctx);
    expect(explanation.othersNotClose).toBe(1);
    const byName = Object.fromEntries(explanation.sidecarSets.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(['logs', 'metrics', 'other-ns', 'paused']);
    expect(byName.logs).toMatchObject({ selects: true, injection: { verdict: 'injects' }, injectedNow: false });
    expect(byName.metrics).toMatchObject({ selects: false, near: true, injection: { verdict: 'not selected' } });
    expect(byName.metrics!.checks).toEqual([
      { field: 'spec.selector', requirement: 'app=web', holds: true },
      { field: 'spec.selector', requirement: 'tier=front', holds: false },
    ]);
    expect(byName['other-ns']!.checks.find((c) => !c.holds)).toEqual({ field: 'spec.namespace', requirement: 'billing', holds: false });
    expect(byName.paused).toMatchObject({ selects: true, injection: { verdict: 'skips', reason: expect.stringContaining('paused') } });
    expect(explanation.wouldInject).toEqual({ sidecarSets: ['logs'], containers: ['logs-agent=agent:1'], errors: [] });
    expect(explanation.injectedNow).toEqual({ sidecarSets: [], containers: [] });
  });

  it('explains a namespaceSelector requirement against the namespace labels', () => {
    const explanation = explainPod(pod({ app: 'web' }), [sidecarSet('team-b', { namespaceSelector: { matchLabels: { team: 'b' } } })], ctx);
    expect(explanation.sidecarSets[0]!.checks).toContainEqual({ field: 'spec.namespaceSelector', requirement: 'team=b', holds: false });
  });

  it('an injected pod is up to date while its hash is the SidecarSet’s; after an image change, says why it waits', () => {
    const v1 = sidecarSet('logs', {});
    const p = injected(pod({ app: 'web' }), [v1]);
    const current = explainPod(p, [v1], ctx);
    expect(current.injectedNow).toEqual({ sidecarSets: ['logs'], containers: ['logs-agent=agent:1'] });
    expect(current.sidecarSets[0]!.upToDate).toMatchObject({ ok: true });

    const paused = sidecarSet('logs', { updateStrategy: { paused: true } }, 'agent:2');
    const behind = explainPod(p, [paused], ctx);
    expect(behind.sidecarSets[0]!.upToDate).toEqual({ ok: false, reason: expect.stringMatching(/^hash \S+ is not the SidecarSet's \S+: rollout paused \(updateStrategy\.paused\)$/) });
    expect(behind.wouldInject.containers).toEqual(['logs-agent=agent:2']);
  });

  it('a pod injected by a SidecarSet that no longer selects it is listed, and said to be left alone', () => {
    const p = injected(pod({ app: 'web' }), [sidecarSet('logs', {})]);
    const moved = sidecarSet('logs', { selector: { matchLabels: { app: 'api' } } });
    const explanation = explainPod({ ...p, metadata: { ...p.metadata } }, [moved], ctx);
    expect(explanation.sidecarSets[0]).toMatchObject({ name: 'logs', selects: false, injectedNow: true, upToDate: { ok: false, reason: expect.stringContaining('no longer selected') } });
    expect(explanation.wouldInject.sidecarSets).toEqual([]);
  });
});
