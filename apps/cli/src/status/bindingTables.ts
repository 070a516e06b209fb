// The SidecarSetResourceBindings part of `kubectl-sidecarset status`: one row per binding with the
// conditions its controller last wrote (READY, CONFLICT, SOURCE-MISSING) and the number of mirrors it
// backs, then one row per mirror (the copy of an authorised ConfigMap or Secret in a pod's namespace).
import type { SidecarSetResourceBinding } from '@sidecarset/api/offline';
import { renderTable, type Cell } from '../output/renderTable.js';

export const BINDING_COLUMNS = ['BINDING', 'SIDECARSETS', 'READY', 'MIRRORS', 'CONFLICT', 'SOURCE-MISSING', 'OBSERVED'] as const;
export const MIRROR_COLUMNS = ['BINDING', 'KIND', 'NAMESPACE', 'MIRROR'] as const;

const bindingName = (b: SidecarSetResourceBinding) => `${b.metadata?.namespace}/${b.metadata?.name}`;
const conditionStatus = (b: SidecarSetResourceBinding, type: string): Cell => b.status?.conditions?.find((c) => c.type === type)?.status;

export function bindingRow(binding: SidecarSetResourceBinding): Cell[] {
  const observed = binding.status?.observedGeneration !== undefined && binding.status.observedGeneration === binding.metadata?.generation;
  return [
    bindingName(binding),
    (binding.spec?.subjects ?? []).map((s) => s.name).join(','),
    conditionStatus(binding, 'Ready'),
    binding.status?.mirrorCount ?? 0,
    conditionStatus(binding, 'Conflict'),
    conditionStatus(binding, 'SourceMissing'),
    observed ? 'yes' : 'stale',
  ];
}

/** Bindings naming `sidecarSet` among their subjects (all when undefined). */
export const bindingsOf = (bindings: readonly SidecarSetResourceBinding[], sidecarSet?: string): SidecarSetResourceBinding[] =>
  sidecarSet === undefined ? [...bindings] : bindings.filter((b) => (b.spec?.subjects ?? []).some((s) => s.kind === 'SidecarSet' && s.name === sidecarSet));

/** The two tables, a blank line before each; empty when there is no binding. */
export function renderBindingTables(bindings: readonly SidecarSetResourceBinding[]): string {
  if (bindings.length === 0) return '';
  const mirrors = bindings.flatMap((b) => (b.status?.mirrors ?? []).map((m) => [bindingName(b), m.kind, m.namespace, m.name]));
  return `\n${renderTable(BINDING_COLUMNS, bindings.map(bindingRow))}${mirrors.length ? `\n${renderTable(MIRROR_COLUMNS, mirrors)}` : ''}`;
}
