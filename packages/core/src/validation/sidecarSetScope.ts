// Can two SidecarSets inject into the same pod? Both must be able to select one pod in one namespace.
// A namespace carries the label kubernetes.io/metadata.name=<its name> (set by the API server, immutable),
// so spec.namespace is the namespace selector {kubernetes.io/metadata.name: <namespace>}, and the
// question becomes two satisfiability checks: one over namespace labels, one over pod labels. No
// lookups: it holds for every cluster, now and later.
//
// Each SidecarSet's selectors are compiled once (remembered per object, so the cached SidecarSets
// the webhook compares every new one against are compiled once per version, not once per request).
import type { LabelSelector, SidecarSet } from '@sidecarset/api';
import { compileSelectors, compiledCanAllMatch, type CompiledSelectors } from '../labels/selectorOverlap.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function namespaceSelectors(sidecarSet: SidecarSet): LabelSelector[] {
  const out: LabelSelector[] = [];
  const namespace = sidecarSet.spec?.namespace;
  if (typeof namespace === 'string' && namespace !== '') out.push({ matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } });
  const selector = sidecarSet.spec?.namespaceSelector;
  if (isSelector(selector)) out.push(selector);
  return out;
}

const isSelector = (value: unknown): value is LabelSelector => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a SidecarSet can inject: its pod selector and its namespace selectors, compiled; undefined when it selects nothing. */
interface Scope {
  pods: CompiledSelectors;
  namespaces: CompiledSelectors;
}

const scopes = new WeakMap<SidecarSet, Scope | undefined>();

function scopeOf(sidecarSet: SidecarSet): Scope | undefined {
  if (scopes.has(sidecarSet)) return scopes.get(sidecarSet);
  const pods = sidecarSet.spec?.selector;
  // A SidecarSet without a selector selects nothing.
  const scope = isSelector(pods) ? { pods: compileSelectors([pods]), namespaces: compileSelectors(namespaceSelectors(sidecarSet)) } : undefined;
  scopes.set(sidecarSet, scope);
  return scope;
}

/** True when some pod, in some namespace, can be selected by both SidecarSets. */
export function sidecarSetsCanSelectSamePod(a: SidecarSet, b: SidecarSet): boolean {
  const scopeA = scopeOf(a);
  const scopeB = scopeOf(b);
  if (!scopeA || !scopeB) return false;
  return compiledCanAllMatch(scopeA.pods, scopeB.pods) && compiledCanAllMatch(scopeA.namespaces, scopeB.namespaces);
}
