// Container names must be unique across a pod's containers and initContainers, or the API server
// refuses the pod ("Duplicate value") with a message that names neither the SidecarSet nor the clash.
// A sidecar replaces a same-name pod container in its own list (OpenKruise's rule); any other clash is
// found here, before a patch is built, and reported with both sides named.
import type { PodSpec } from '@sidecarset/api';
import type { InjectionError } from './injectPod.js';

export type ContainerList = 'containers' | 'initContainers';

export interface InjectedContainer {
  sidecarSet: string;
  list: ContainerList;
  /** Index in the SidecarSet's own list. */
  index: number;
  name: string;
}

const OTHER_LIST: Record<ContainerList, ContainerList> = { containers: 'initContainers', initContainers: 'containers' };
const aContainerOf = (list: ContainerList): string => (list === 'containers' ? 'a container' : 'an initContainer');

export function findContainerNameClashes(podSpec: Pick<PodSpec, 'containers' | 'initContainers'>, injected: readonly InjectedContainer[]): InjectionError[] {
  const errors: InjectionError[] = [];
  const podIndex: Record<ContainerList, Map<string, number>> = { containers: new Map(), initContainers: new Map() };
  for (const list of ['containers', 'initContainers'] as const) {
    (podSpec[list] ?? []).forEach((container, index) => {
      if (!podIndex[list].has(container.name)) podIndex[list].set(container.name, index);
    });
  }
  const firstInjector = new Map<string, InjectedContainer>();
  for (const sidecar of injected) {
    const earlier = firstInjector.get(sidecar.name);
    if (earlier) {
      const who = earlier.sidecarSet === sidecar.sidecarSet ? `SidecarSet "${sidecar.sidecarSet}" also injects` : `SidecarSet "${earlier.sidecarSet}" already injects`;
      errors.push({
        sidecarSet: sidecar.sidecarSet,
        path: `spec.${sidecar.list}[${sidecar.index}].name`,
        type: 'Duplicate',
        value: sidecar.name,
        reason: `${who} ${aContainerOf(earlier.list)} named "${sidecar.name}" into this pod; SidecarSet "${sidecar.sidecarSet}" cannot inject ${aContainerOf(sidecar.list)} of that name too`,
      });
      continue;
    }
    firstInjector.set(sidecar.name, sidecar);
    const other = OTHER_LIST[sidecar.list];
    const clash = podIndex[other].get(sidecar.name);
    if (clash === undefined) continue;
    errors.push({
      path: `spec.${other}[${clash}].name`,
      type: 'Duplicate',
      value: sidecar.name,
      reason:
        `SidecarSet "${sidecar.sidecarSet}" injects ${aContainerOf(sidecar.list)} named "${sidecar.name}" (its spec.${sidecar.list}[${sidecar.index}]), ` +
        `and this pod has ${aContainerOf(other)} of that name; names must be unique across containers and initContainers: rename the pod's ${other === 'containers' ? 'container' : 'initContainer'}`,
    });
  }
  return errors;
}
