import type { SidecarSet } from '@sidecarset/api/offline';
import type { RolloutPlan } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import { rolloutProgress } from './rolloutProgress.js';

const sidecarSet = (generation = 2, observedGeneration = 2): SidecarSet =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 'log', generation }, spec: { selector: {}, containers: [] }, status: { observedGeneration, matchedPods: 0, updatedPods: 0, readyPods: 0 } }) as SidecarSet;

const plan = (p: Partial<RolloutPlan>): RolloutPlan => ({ matched: 3, updated: 0, updatedReady: 0, ready: 3, unavailable: 0, budget: 1, next: [], waiting: [], notUpgradable: [], followUps: [], ...p });

describe('rolloutProgress', () => {
  it('waits for the controller to observe a new generation', () => {
    expect(rolloutProgress(sidecarSet(3, 2), plan({ updated: 3, updatedReady: 3 }))).toMatchObject({ state: 'progressing', message: expect.stringContaining('spec update to be observed (generation 3, observed 2)') });
  });

  it('is complete when every pod is updated and ready', () => {
    expect(rolloutProgress(sidecarSet(), plan({ updated: 3, updatedReady: 3 }))).toMatchObject({ state: 'complete', message: 'sidecarset "log" successfully rolled out: 3 of 3 pods updated and ready' });
  });

  it('progresses while a round has pods to update or updated pods are not ready yet', () => {
    expect(rolloutProgress(sidecarSet(), plan({ updated: 1, next: ['default/b'], waiting: [{ pod: 'default/c', reason: 'budget' }] })).state).toBe('progressing');
    expect(rolloutProgress(sidecarSet(), plan({ updated: 3, updatedReady: 2, unavailable: 1 })).state).toBe('progressing');
    expect(rolloutProgress(sidecarSet(), plan({ updated: 2, updatedReady: 2, waiting: [{ pod: 'default/c', reason: 'the previous in-place update of container sidecar1 has not finished (its imageID has not changed)' }] })).state).toBe('progressing');
  });

  it('is a complete partitioned rollout when partition alone keeps the rest', () => {
    const reason = 'partition keeps 1 pod of those this rollout may update on the old revision';
    expect(rolloutProgress(sidecarSet(), plan({ updated: 2, updatedReady: 2, waiting: [{ pod: 'default/c', reason }] }))).toMatchObject({
      state: 'complete',
      message: 'sidecarset "log" partitioned rollout complete: 2 of 3 pods updated, 1 kept on the old revision by partition',
    });
  });

  it('is blocked when no pod moves, with the reasons counted; pods outside the rollout do not count', () => {
    const paused = 'rollout paused (updateStrategy.paused)';
    const progress = rolloutProgress(
      sidecarSet(),
      plan({ updated: 1, updatedReady: 1, waiting: [{ pod: 'default/b', reason: paused }, { pod: 'default/c', reason: paused }, { pod: 'other/x', reason: 'not injected with this SidecarSet' }] }),
    );
    expect(progress).toMatchObject({ state: 'blocked', message: `sidecarset "log" rollout blocked: 1 of 3 pods updated, 2 waiting (2: ${paused})`, reasons: [{ reason: paused, pods: 2 }] });
  });
});
