// A SidecarSet may be applied before the binding that lets it mount another namespace's object (or
// after one is revoked): admitted, with a warning per source no binding authorises yet, since every
// pod it would inject that source into is denied until one does.
import type { SidecarSet, SidecarSetResourceBinding } from '@sidecarset/api';
import { authorisingBindings, missingBindingMessage } from './authorisingBindings.js';
import { crossNamespaceSources } from './crossNamespaceSources.js';
import { validateSourceRef } from './validateSourceRef.js';

/** At most this many warnings; the rest are counted in the last one. */
export const MAX_SOURCE_WARNINGS = 10;

export function unauthorisedSourceWarnings(sidecarSet: SidecarSet, bindings: readonly SidecarSetResourceBinding[]): string[] {
  const name = sidecarSet.metadata?.name ?? '';
  const warnings: string[] = [];
  for (const { source, path } of crossNamespaceSources(sidecarSet)) {
    if (validateSourceRef(`${source.namespace}/${source.name}`, path).length > 0) continue;
    if (authorisingBindings(bindings, name, source).length > 0) continue;
    warnings.push(`${path}: ${source.kind} ${source.namespace}/${source.name}: ${missingBindingMessage(name, source)} yet; pods this SidecarSet injects with it are denied until one does`);
  }
  if (warnings.length <= MAX_SOURCE_WARNINGS) return warnings;
  return [...warnings.slice(0, MAX_SOURCE_WARNINGS - 1), `and ${warnings.length - MAX_SOURCE_WARNINGS + 1} more sources no SidecarSetResourceBinding authorises yet`];
}
