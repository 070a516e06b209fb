// What `kubectl-sidecarset plan` prints of a RolloutPlan. JSON: exactly the documented keys in the
// documented order (scripts read it; the planner's other fields are not part of the contract).
// Table: a summary line, then one row per pod: `update` for the next round, `wait` with why, and
// for each pod the rollout would change, how: an image swap, a resize, or both (UPGRADE).
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
  /** For each pod the rollout would change in place, how: "image swap", "resize", "hot upgrade". */
  upgrades: Record<string, string[]>;
}

/** The upgrade kinds' names (rollout/upgradeKinds/) as people call them. */
const KIND_LABELS: Record<string, string> = { 'cold image': 'image swap' };
export const upgradeLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

export type PlanFormat = 'table' | 'json';

/** `upgrades`: the kinds that change each pod (podUpgradeKinds), for the pods that will get them. */
export const planReport = (plan: RolloutPlan, upgrades: Record<string, string[]> = {}): PlanReport => ({
  matched: plan.matched,
  updated: plan.updated,
  updatedReady: plan.updatedReady,
  unavailable: plan.unavailable,
  budget: plan.budget,
  next: [...plan.next],
  waiting: plan.waiting.map(({ pod, reason }) => ({ pod, reason })),
  upgrades: Object.fromEntries(Object.entries(upgrades).map(([pod, kinds]) => [pod, kinds.map(upgradeLabel)])),
});

export function renderPlan(sidecarSetName: string, report: PlanReport, format: PlanFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const summary =
    `SidecarSet ${sidecarSetName}: ${report.matched} matched, ${report.updated} updated (${report.updatedReady} ready), ` +
    `${report.unavailable} unavailable, budget ${report.budget}; next round: ${report.next.length} to update, ${report.waiting.length} waiting\n`;
  const how = (pod: string) => (report.upgrades[pod] ?? []).join(' + ');
  const rows = [...report.next.map((pod) => [pod, 'update', how(pod), '']), ...report.waiting.map(({ pod, reason }) => [pod, 'wait', how(pod), reason])];
  return rows.length === 0 ? summary : `${summary}\n${renderTable(['POD', 'ACTION', 'UPGRADE', 'REASON'], rows)}`;
}
