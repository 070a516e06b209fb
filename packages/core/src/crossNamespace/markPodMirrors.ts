// What a pod that mounts mirrors carries: the annotation sidecarset.dev/mirrors (rebuilt from what
// is injected now, so one the pod's author wrote is dropped) and, unless spec.nodeName is set, the
// scheduling gate sidecarset.dev/mirrors that the controller lifts once every mirror is there.
import type { PodSpec } from '@sidecarset/api';
import { formatPodMirrors, MIRRORS_SCHEDULING_GATE, POD_MIRRORS_ANNOTATION } from './mirrorMetadata.js';
import type { CrossNamespaceSource } from './source.js';

/** Writes into `annotations` and returns the spec with the gate (the input spec when unchanged). */
export function markPodMirrors(annotations: Record<string, string>, spec: PodSpec, sources: readonly CrossNamespaceSource[]): PodSpec {
  if (sources.length === 0) {
    delete annotations[POD_MIRRORS_ANNOTATION];
    return spec;
  }
  annotations[POD_MIRRORS_ANNOTATION] = formatPodMirrors(sources);
  if (spec.nodeName) return spec;
  const gates = spec.schedulingGates ?? [];
  if (gates.some((gate) => gate.name === MIRRORS_SCHEDULING_GATE)) return spec;
  return { ...spec, schedulingGates: [...gates, { name: MIRRORS_SCHEDULING_GATE }] };
}
