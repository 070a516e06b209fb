// The table form of a PodExplanation: one row per SidecarSet, then what is injected now against what
// would be, then whether the pod's sidecars are up to date.
import { renderTable } from '../output/renderTable.js';
import type { PodExplanation, SidecarSetExplanation } from './explainPod.js';

const why = (s: SidecarSetExplanation): string => {
  const failing = s.checks.filter((c) => !c.holds).map((c) => `${c.field} ${c.requirement} does not hold`);
  if (!s.selects) return failing.join('; ') || 'does not select the pod';
  const parts = [s.injection.reason ?? 'selector, namespace and namespaceSelector hold'];
  if (s.injection.revision) parts.push(`injects revision ${s.injection.revision} (injectionStrategy.revision)`);
  return parts.join('; ');
};

const list = (items: string[]): string => (items.length ? items.join(', ') : '<none>');

export function renderExplanation(explanation: PodExplanation): string {
  const lines = [`Pod ${explanation.pod}`, ''];
  if (explanation.sidecarSets.length) {
    lines.push(
      renderTable(
        ['SIDECARSET', 'SELECTS', 'INJECTION', 'INJECTED', 'WHY'],
        explanation.sidecarSets.map((s) => [s.name, s.selects ? 'yes' : 'nearly', s.injection.verdict, s.injectedNow ? 'yes' : 'no', why(s)]),
      ).trimEnd(),
    );
  } else lines.push('No SidecarSet selects this pod or nearly does.');
  if (explanation.othersNotClose) lines.push(`(${explanation.othersNotClose} other SidecarSet${explanation.othersNotClose === 1 ? '' : 's'} fail more than one requirement)`);
  lines.push('', `Injected now:       ${list(explanation.injectedNow.sidecarSets)}  containers: ${list(explanation.injectedNow.containers)}`);
  lines.push(`Would inject now:   ${list(explanation.wouldInject.sidecarSets)}  containers: ${list(explanation.wouldInject.containers)}`);
  for (const error of explanation.wouldInject.errors) lines.push(`  denied: ${error}`);
  const injected = explanation.sidecarSets.filter((s) => s.upToDate);
  if (injected.length) {
    lines.push('', 'Up to date:');
    for (const s of injected) lines.push(`  ${s.name}: ${s.upToDate!.ok ? 'yes' : 'no'}, ${s.upToDate!.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
