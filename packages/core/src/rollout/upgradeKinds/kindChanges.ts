// The changes of every upgrade kind of every sidecar of a pod, merged into one: what the patcher writes.
import type { RolloutSidecar } from '../rolloutContext.js';
import type { ContainerChange, KindChange, PodUpgradeView, UpgradeKind } from './upgradeKind.js';

type KindStep = (kind: UpgradeKind, view: PodUpgradeView, sidecar: RolloutSidecar) => KindChange | undefined;

export function kindChanges(view: PodUpgradeView, step: KindStep): KindChange {
  const containers: ContainerChange[] = [];
  const annotations: Record<string, string> = {};
  for (const sidecar of view.ctx.sidecars) {
    for (const kind of sidecar.upgradeKinds) {
      const change = step(kind, view, sidecar);
      if (!change) continue;
      containers.push(...change.containers);
      Object.assign(annotations, change.annotations);
    }
  }
  // In the pod's order, containers before initContainers: the patch reads as the pod does.
  containers.sort((a, b) => (a.list === b.list ? a.index - b.index : a.list === 'containers' ? -1 : 1));
  return { containers, annotations };
}

/** The follow-up changes the pod's kinds have due, merged, and the kinds they come from; undefined when none is due. */
export function podFollowUp(view: PodUpgradeView): (KindChange & { kinds: string[] }) | undefined {
  const kinds = new Set<string>();
  const change = kindChanges(view, (kind, v, sidecar) => {
    const followUp = kind.followUp?.(v, sidecar);
    if (followUp) kinds.add(kind.name);
    return followUp;
  });
  return kinds.size > 0 ? { ...change, kinds: [...kinds] } : undefined;
}
