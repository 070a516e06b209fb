// `kubectl-sidecarset status` as a table: one row per SidecarSet with the counts its controller last
// wrote, and whether that status describes the current spec (OBSERVED: `stale` until the controller
// has seen the latest generation).
import type { SidecarSet } from '@sidecarset/api/offline';
import { renderTable, type Cell } from '../output/renderTable.js';

export const STATUS_COLUMNS = ['NAME', 'MATCHED', 'UPDATED', 'READY', 'UPDATED-READY', 'REVISION', 'PAUSED', 'OBSERVED'] as const;

export function statusRow(sidecarSet: SidecarSet): Cell[] {
  const status = sidecarSet.status;
  const observed = status?.observedGeneration !== undefined && status.observedGeneration === sidecarSet.metadata?.generation;
  return [
    sidecarSet.metadata?.name,
    status?.matchedPods ?? 0,
    status?.updatedPods ?? 0,
    status?.readyPods ?? 0,
    status?.updatedReadyPods ?? 0,
    status?.latestRevision,
    sidecarSet.spec.updateStrategy?.paused ?? false,
    observed ? 'yes' : 'stale',
  ];
}

export const renderStatusTable = (sidecarSets: readonly SidecarSet[]): string => renderTable(STATUS_COLUMNS, sidecarSets.map(statusRow));
