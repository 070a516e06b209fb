// What `kubectl-sidecarset plan` prints of a RolloutPlan. JSON: exactly the documented keys in the
// documented order (scripts read it; the planner's other fields are not part of the contract).
// Table: a summary line, then one row per pod: `update` for the next round, `wait` with why.
import type { RolloutPlan } from '@sidecarset/core';
import { renderTable } from '../output/renderTable.js';

export interface PlanReport {
  matched: number;
  updated: number;
  updatedReady: number;
  unavailable: number;
  budget: number;
  /** "namespace/name" of the pods the next round updates, in order. */
  next: string[];
  waiting: { pod: string; reason: string }[];
}

export type PlanFormat = 'table' | 'json';

export const planReport = (plan: RolloutPlan): PlanReport => ({
  matched: plan.matched,
  updated: plan.updated,
  updatedReady: plan.updatedReady,
  unavailable: plan.unavailable,
  budget: plan.budget,
  next: [...plan.next],
  waiting: plan.waiting.map(({ pod, reason }) => ({ pod, reason })),
});

export function renderPlan(sidecarSetName: string, report: PlanReport, format: PlanFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const summary =
    `SidecarSet ${sidecarSetName}: ${report.matched} matched, ${report.updated} updated (${report.updatedReady} ready), ` +
    `${report.unavailable} unavailable, budget ${report.budget}; next round: ${report.next.length} to update, ${report.waiting.length} waiting\n`;
  const rows = [...report.next.map((pod) => [pod, 'update', '']), ...report.waiting.map(({ pod, reason }) => [pod, 'wait', reason])];
  return rows.length === 0 ? summary : `${summary}\n${renderTable(['POD', 'ACTION', 'REASON'], rows)}`;
}
