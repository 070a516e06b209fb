// Which bindings authorise a SidecarSet to read a source: those in the source's own namespace that
// list the SidecarSet in spec.subjects and the source (kind and name) in spec.resourceRefs. A binding
// in namespace A never authorises an object of namespace B.
import type { SidecarSetResourceBinding } from '@sidecarset/api';
import type { CrossNamespaceSource } from './source.js';

export function bindingAuthorises(binding: SidecarSetResourceBinding, sidecarSetName: string, source: CrossNamespaceSource): boolean {
  if (binding.metadata?.namespace !== source.namespace) return false;
  const subjects: unknown = binding.spec?.subjects;
  const refs: unknown = binding.spec?.resourceRefs;
  if (!Array.isArray(subjects) || !Array.isArray(refs)) return false;
  return (
    subjects.some((s: { kind?: unknown; name?: unknown } | null) => s?.kind === 'SidecarSet' && s.name === sidecarSetName) &&
    refs.some((r: { kind?: unknown; name?: unknown } | null) => r?.kind === source.kind && r.name === source.name)
  );
}

/** The authorising bindings, sorted by name. */
export function authorisingBindings(bindings: readonly SidecarSetResourceBinding[], sidecarSetName: string, source: CrossNamespaceSource): SidecarSetResourceBinding[] {
  return bindings
    .filter((binding) => bindingAuthorises(binding, sidecarSetName, source))
    .sort((a, b) => compare(a.metadata?.name ?? '', b.metadata?.name ?? ''));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What a denial or warning says is missing. */
export function missingBindingMessage(sidecarSetName: string, source: CrossNamespaceSource): string {
  return `no SidecarSetResourceBinding in namespace ${source.namespace} lists SidecarSet "${sidecarSetName}" and ${source.kind} "${source.name}"`;
}
