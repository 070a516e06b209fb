// Hot upgrade, as OpenKruise does it (sidecarcontrol.UpgradeSidecarContainer with a HotUpgrade
// sidecar, and the controller's flipHotUpgradingContainers). A sidecar NAME runs as twins NAME-1 and
// NAME-2; one works, the other idles on hotUpgradeEmptyImage.
//  - upgrade: the twin to upgrade is the one on the empty image; else the one not ready (ready: status
//    ready and its last change completed) while the other is; else the idle one. It gets the new image,
//    and in the same write the working annotation names it, its version annotation becomes the
//    SidecarSet's resourceVersion, its alt the sibling's version, and the sibling's alt the new version.
//    Nothing changes while the working twin already runs the SidecarSet's image.
//  - follow-up ("flip"), once every sidecar container but the idle twins has completed its change and
//    the pod is Running and Ready (or all its containers but the idle twins are ready): each idle twin
//    not yet on the empty image is set to it, its version becomes "0" and the working twin's alt "0".
//    The hashes are not touched.
//  - progress: both twins must have completed their last change (imageID, as the cold swap reads it);
//    the pod counts as ready only once every idle twin is back on the empty image (IsPodReady).
// The working twin keeps running throughout: only the idle one is ever restarted.
import type { Container, Pod } from '@sidecarset/api';
import {
  encodeWorkingContainers,
  hotUpgradeEmptyImage,
  isHotUpgrade,
  parseWorkingContainers,
  twinContainer,
  twinNames,
  versionAltAnnotation,
  versionAnnotation,
  WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION,
  workingAndIdle,
} from '../../hotUpgrade/index.js';
import { isPodRunningAndReady } from '../podReadiness.js';
import type { RolloutSidecar } from '../rolloutContext.js';
import { carrierProgress, containerStatus, imageChanges } from './coldImage.js';
import type { KindChange, PodUpgradeView, UpgradeKind } from './upgradeKind.js';

export const hotUpgrade: UpgradeKind = {
  name: 'hot upgrade',
  handles: (sidecar) => sidecar.kind === 'containers' && isHotUpgrade(sidecar.spec),
  inPlaceFields: ['image'],
  // Both twins and the sidecar's entry in the working annotation, or the pod lacks the sidecar (IsPodConsistentWithSidecarSet).
  carriers: (sidecar, pod) => {
    const present = new Set((pod.spec?.containers ?? []).map((c) => c.name));
    const twins = twinNames(sidecar.name);
    if (!twins.every((twin) => present.has(twin)) || !workingOf(pod).has(sidecar.name)) return [];
    return twins.map((twin) => ({ name: twin, list: 'containers' as const, expected: twinContainer(sidecar.spec, twin, undefined) }));
  },
  progress: (view, sidecar) => {
    const progress = carrierProgress(view, 'containers', twinNames(sidecar.name));
    return { ...progress, settled: idleIsEmpty(view.pod, sidecar) };
  },
  upgrade: (view, sidecar): KindChange => {
    const target = twinToUpgrade(view, sidecar);
    if (!target) return { containers: [], annotations: {} };
    const { pod, ctx } = view;
    const annotations = pod.metadata?.annotations ?? {};
    const version = ctx.sidecarSet.metadata?.resourceVersion ?? '';
    return {
      containers: imageChanges(pod, 'containers', target.upgrade, sidecar.spec.image),
      annotations: {
        // Every hot sidecar's target at once: the kinds' annotations are merged, and this one is shared.
        [WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]: encodeWorkingContainers(workingAfterUpgrade(view)),
        [versionAnnotation(target.upgrade)]: version,
        [versionAltAnnotation(target.upgrade)]: annotations[versionAnnotation(target.other)] ?? '',
        [versionAltAnnotation(target.other)]: version,
      },
    };
  },
  followUp: (view, sidecar) => {
    const { pod } = view;
    if (idleIsEmpty(pod, sidecar) || !readyToFlip(view)) return undefined;
    const { working, idle } = workingAndIdle(sidecar.name, parseWorkingContainers(pod.metadata?.annotations?.[WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]));
    const change: KindChange = {
      containers: imageChanges(pod, 'containers', idle, hotUpgradeEmptyImage(sidecar.spec)),
      annotations: { [versionAnnotation(idle)]: '0', [versionAltAnnotation(working)]: '0' },
    };
    return change;
  },
};

const containerOf = (pod: Pod, name: string): Container | undefined => (pod.spec?.containers ?? []).find((c) => c.name === name);

const workingOf = (pod: Pod): Map<string, string> => parseWorkingContainers(pod.metadata?.annotations?.[WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]);

/** The idle twin runs the empty image (a missing twin counts as not: Kruise compares with ""). */
function idleIsEmpty(pod: Pod, sidecar: RolloutSidecar): boolean {
  const { idle } = workingAndIdle(sidecar.name, workingOf(pod));
  return (containerOf(pod, idle)?.image ?? '') === hotUpgradeEmptyImage(sidecar.spec);
}

/** findContainerToHotUpgrade; undefined when the twin that would keep working already runs the SidecarSet's image. */
function twinToUpgrade(view: PodUpgradeView, sidecar: RolloutSidecar): { upgrade: string; other: string } | undefined {
  const { pod } = view;
  const [name1, name2] = twinNames(sidecar.name);
  const empty = hotUpgradeEmptyImage(sidecar.spec);
  let target: { upgrade: string; other: string };
  if ((containerOf(pod, name1)?.image ?? '') === empty) target = { upgrade: name1, other: name2 };
  else if ((containerOf(pod, name2)?.image ?? '') === empty) target = { upgrade: name2, other: name1 };
  else {
    const ready1 = twinReady(view, name1);
    const ready2 = twinReady(view, name2);
    if (ready1 && !ready2) target = { upgrade: name2, other: name1 };
    else if (!ready1 && ready2) target = { upgrade: name1, other: name2 };
    else {
      const { working, idle } = workingAndIdle(sidecar.name, workingOf(pod));
      target = { upgrade: idle, other: working };
    }
  }
  if (!containerOf(pod, target.upgrade) || (containerOf(pod, target.other)?.image ?? '') === sidecar.spec.image) return undefined;
  return target;
}

const twinReady = (view: PodUpgradeView, twin: string): boolean =>
  containerStatus(view.pod, 'containers', twin)?.ready === true && carrierProgress(view, 'containers', [twin]).consistent;

/** The working-container map after this pod's upgrade: each hot sidecar that changes names its upgraded twin. */
function workingAfterUpgrade(view: PodUpgradeView): Map<string, string> {
  const working = workingOf(view.pod);
  for (const sidecar of view.ctx.sidecars) {
    if (!sidecar.upgradeKinds.includes(hotUpgrade)) continue;
    const target = twinToUpgrade(view, sidecar);
    if (target) working.set(sidecar.name, target.upgrade);
  }
  return working;
}

/**
 * The flip's pod-wide condition: every sidecar container of the pod's spec.containers but the idle
 * twins has completed its change, and the pod is Running and Ready or all its containers but the idle
 * twins are ready (isHotUpgradingReady).
 */
function readyToFlip(view: PodUpgradeView): boolean {
  const { pod, ctx } = view;
  const working = workingOf(pod);
  const idle = new Set<string>();
  const checked: string[] = [];
  for (const sidecar of ctx.sidecars) {
    if (sidecar.kind !== 'containers') continue;
    if (sidecar.upgradeKinds.includes(hotUpgrade)) {
      const twins = workingAndIdle(sidecar.name, working);
      idle.add(twins.idle);
      checked.push(twins.working);
    } else checked.push(sidecar.name);
  }
  // IsPodStateConsistent: a container without a status is not consistent.
  if ((pod.spec?.containers ?? []).length !== (pod.status?.containerStatuses ?? []).length) return false;
  if (!carrierProgress(view, 'containers', checked).consistent) return false;
  if (isPodRunningAndReady(pod)) return true;
  return (pod.status?.containerStatuses ?? []).every((status) => idle.has(status.name) || status.ready);
}
