// Where injected containers go, as OpenKruise's mergeSidecarContainers places them: a pod container
// with a sidecar's name is replaced where it stands; the others go ahead of the pod's containers
// (BeforeAppContainer) or behind them (AfterAppContainer), each group in injection order. The default
// is Before for containers and After for initContainers (the SidecarSet defaults).
import type { Container } from '@sidecarset/api';

export type InjectPolicy = 'BeforeAppContainer' | 'AfterAppContainer';

export interface PlacedContainer {
  container: Container;
  policy: InjectPolicy;
}

export function placeSidecarContainers(podContainers: readonly Container[], injected: readonly PlacedContainer[]): Container[] {
  if (injected.length === 0) return podContainers as Container[];
  const indexByName = new Map<string, number>();
  podContainers.forEach((container, index) => indexByName.set(container.name, index));
  const middle = podContainers.slice();
  const before: Container[] = [];
  const after: Container[] = [];
  for (const { container, policy } of injected) {
    const index = indexByName.get(container.name);
    if (index !== undefined) middle[index] = container;
    else if (policy === 'AfterAppContainer') after.push(container);
    else before.push(container);
  }
  return before.length === 0 && after.length === 0 ? middle : [...before, ...middle, ...after];
}
