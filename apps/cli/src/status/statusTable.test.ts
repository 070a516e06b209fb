import type { SidecarSet } from '@sidecarset/api/offline';
import { describe, expect, it } from 'vitest';
import { renderStatusTable, statusRow } from './statusTable.js';

const sidecarSet = (name: string, fields: { generation?: number; paused?: boolean; status?: SidecarSet['status'] }): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name, ...(fields.generation !== undefined && { generation: fields.generation }) },
  spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...(fields.paused !== undefined && { updateStrategy: { paused: fields.paused } }) },
  ...(fields.status && { status: fields.status }),
});

const counts = { matchedPods: 3, updatedPods: 1, readyPods: 3, updatedReadyPods: 1, latestRevision: 'log-agent-1' };

describe('status table', () => {
  it.each<[string, SidecarSet, unknown[]]>([
    [
      'a status written for the current generation is observed',
      sidecarSet('log-agent', { generation: 2, status: { ...counts, observedGeneration: 2 } }),
      ['log-agent', 3, 1, 3, 1, 'log-agent-1', false, 'yes'],
    ],
    [
      'a status written for an older generation is stale',
      sidecarSet('log-agent', { generation: 3, paused: true, status: { ...counts, observedGeneration: 2 } }),
      ['log-agent', 3, 1, 3, 1, 'log-agent-1', true, 'stale'],
    ],
    [
      'a SidecarSet the controller has not seen yet: zero counts, no revision, stale',
      sidecarSet('new', { generation: 1 }),
      ['new', 0, 0, 0, 0, undefined, false, 'stale'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(statusRow(input)).toEqual(expected);
  });

  it('prints the kubectl-style header and one aligned row per SidecarSet', () => {
    const table = renderStatusTable([
      sidecarSet('log-agent', { generation: 2, status: { ...counts, observedGeneration: 2 } }),
      sidecarSet('new', { generation: 1 }),
    ]);
    expect(table).toBe(
      [
        'NAME        MATCHED   UPDATED   READY   UPDATED-READY   REVISION      PAUSED   OBSERVED',
        'log-agent   3         1         3       1               log-agent-1   false    yes',
        'new         0         0         0       0               <none>        false    stale',
        '',
      ].join('\n'),
    );
  });
});
