import type { ControllerRevision, SidecarSet } from '@sidecarset/api/offline';
import { newSidecarSetRevision } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import { historyOf, undoPatch, undoTarget } from './revisionHistory.js';

const version = (image: string, extra: Partial<SidecarSet['spec']> = {}): SidecarSet =>
  ({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: 'log', resourceVersion: '42' },
    spec: { selector: { matchLabels: { app: 'web' } }, updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2 }, containers: [{ name: 'agent', image }], ...extra },
  }) as SidecarSet;

const v1 = version('agent:1', { volumes: [{ name: 'logs', emptyDir: {} }] });
const v2 = version('agent:2');
const v3 = version('agent:3');
const revisions: ControllerRevision[] = [newSidecarSetRevision(v3, 'sidecarset-system', 3), newSidecarSetRevision(v1, 'sidecarset-system', 1), newSidecarSetRevision(v2, 'sidecarset-system', 2)];

describe('historyOf', () => {
  it('lists revisions oldest first, with their images, marking the current spec', () => {
    expect(historyOf(v3, revisions).map((e) => [e.revision, e.images, e.current])).toEqual([
      [1, ['agent=agent:1'], false],
      [2, ['agent=agent:2'], false],
      [3, ['agent=agent:3'], true],
    ]);
  });
});

describe('undoTarget', () => {
  it('defaults to the revision before the current one; --to-revision picks one; a missing one is refused', () => {
    expect(undoTarget(v3, revisions)).toMatchObject({ ok: true, number: 2 });
    expect(undoTarget(v2, revisions)).toMatchObject({ ok: true, number: 1 });
    expect(undoTarget(v3, revisions, 1)).toMatchObject({ ok: true, number: 1 });
    expect(undoTarget(v3, revisions, 9)).toEqual({ ok: false, reason: 'unable to find the specified revision 9 of sidecarset "log" (revisions: 1, 2, 3)' });
    expect(undoTarget(v1, revisions.filter((r) => r.revision === 1))).toEqual({ ok: false, reason: 'no rollout history found for sidecarset "log" to go back to' });
  });
});

describe('undoPatch', () => {
  it("sets the revision's recorded fields, removes those it lacks, keeps the rest of the spec, and guards the resourceVersion", () => {
    expect(undoPatch(v3, revisions[1]!)).toEqual({
      metadata: { resourceVersion: '42' },
      // As the revision records them: through OpenKruise's Go types, zero values included.
      spec: { containers: [{ name: 'agent', image: 'agent:1', resources: {}, shareVolumePolicy: {}, upgradeStrategy: {} }], volumes: [{ name: 'logs', emptyDir: {} }], initContainers: null, imagePullSecrets: null, patchPodMetadata: null },
    });
  });
});
