// Injection step: the sidecars that ask for it (nativeSidecarRequests.ts) become native sidecars when
// the pod's nodes can run them (nativeSidecarSupport.ts): they move from the SidecarSet's containers to
// its initContainers with restartPolicy Always, keeping where podInjectPolicy puts them (a container's
// default, BeforeAppContainer, is written out: an initContainer's default is After). The kubelet then
// starts them before the app containers (a startupProbe holds the app until it passes) and stops them
// after the app, and they never hold a Job open. Otherwise they stay regular containers and the pod is
// admitted with a warning. Pure: the spec given is not mutated.
import type { SidecarContainer, SidecarSet } from '@sidecarset/api';
import { containerAsksNative, sidecarSetAsksNative } from './nativeSidecarRequests.js';
import { nativeSidecarSupport } from './nativeSidecarSupport.js';
import type { NodeVersions } from './nodeVersions.js';
import type { Pod } from '@sidecarset/api';

export interface NativePlacement {
  spec: SidecarSet['spec'];
  /** Names of the sidecars made native. */
  native: string[];
  /** Admission warnings: sidecars that asked and stay regular containers. */
  warnings: string[];
}

export function placeNativeSidecars(sidecarSet: SidecarSet, spec: SidecarSet['spec'], pod: Pod, versions: NodeVersions | undefined): NativePlacement {
  const all = sidecarSetAsksNative(sidecarSet);
  const asking = (spec.containers ?? []).filter((c) => all || containerAsksNative(c));
  if (asking.length === 0) return { spec, native: [], warnings: [] };
  const name = sidecarSet.metadata?.name ?? '';
  const support = nativeSidecarSupport(pod, versions);
  if (!support.native) {
    const names = asking.map((c) => `"${c.name}"`).join(', ');
    const as = asking.length > 1 ? 'regular containers, not native sidecars' : 'a regular container, not a native sidecar';
    const warning = `SidecarSet "${name}": ${names} injected as ${as}, because ${support.reason}: starting before and exiting after the app containers is not guaranteed there`;
    return { spec, native: [], warnings: [warning] };
  }
  const moved = new Set(asking);
  const natives: SidecarContainer[] = asking.map((c) => ({ ...c, restartPolicy: 'Always', podInjectPolicy: c.podInjectPolicy ?? 'BeforeAppContainer' }));
  return {
    spec: { ...spec, containers: (spec.containers ?? []).filter((c) => !moved.has(c)), initContainers: [...(spec.initContainers ?? []), ...natives] },
    native: natives.map((c) => c.name),
    warnings: [],
  };
}
