// One way of bringing a pod's sidecar to the SidecarSet in place: an "upgrade kind". The planner, the
// status counter and the patcher ask the kinds of each sidecar, never test for a kind themselves, as
// OpenKruise's SidecarControl makes hot and cold upgrade answers to the same questions. A kind is a
// plain object of pure functions over the pod as read (docs/design/upgrade-kinds.md).
import type { Container, Pod, ResourceRequirements, SidecarContainer } from '@sidecarset/api';
import type { InPlaceUpdateStates } from '../inPlaceUpdateState.js';
import type { RolloutContext, RolloutSidecar } from '../rolloutContext.js';

/** The pod as the kinds read it: the rollout context, the pod, and its parsed in-place-update state. */
export interface PodUpgradeView {
  ctx: RolloutContext;
  pod: Pod;
  /** kruise.io/sidecarset-inplace-update-state; undefined when unreadable (Kruise then waits). */
  states: InPlaceUpdateStates | undefined;
}

/** A pod container that carries a sidecar, and the SidecarSet container it must match (but for the kind's in-place fields). */
export interface CarrierContainer {
  name: string;
  list: 'containers' | 'initContainers';
  /** The SidecarSet container as injection put it there (hot upgrade: renamed NAME-1/NAME-2, version env added). */
  expected: SidecarContainer;
}

/** How far the last in-place change of one sidecar has got. */
export interface SidecarProgress {
  /** Every carrier container runs what its spec names (IsPodStateConsistent). */
  consistent: boolean;
  /** A ready carrier whose last change has not finished: the next change waits for it. */
  inFlight?: string;
  /** Besides Running and Ready, what the kind needs before the pod counts as ready (hot: the idle twin is on the empty image). */
  settled: boolean;
}

/** One field of one pod container set in place: an image by a pod patch, resources through pods/resize. */
export type ContainerChange = ContainerChangeTarget & ({ field: 'image'; value: string } | { field: 'resources'; value: ResourceRequirements });

interface ContainerChangeTarget {
  list: 'containers' | 'initContainers';
  /** Index in the pod's list. */
  index: number;
  name: string;
}

/** What the cluster offers that some kinds need; discovered by the caller (the core does no I/O). */
export interface RolloutCapabilities {
  /** The API server serves the pods/resize subresource (Kubernetes 1.33+). */
  podResize: boolean;
  /**
   * Resizes the API server refused (e.g. 403: beyond the node's allocatable), by resizeRefusalKey
   * (pod uid and SidecarSet hash), with its message: the pod is not upgradable for that spec, and not
   * asked again. Kept by the caller (the controller, in memory: after a restart one more attempt).
   */
  refusedResizes?: ReadonlyMap<string, string>;
}

export const NO_CAPABILITIES: RolloutCapabilities = Object.freeze({ podResize: false });

/** What a kind writes to a pod. The patcher turns it into JSON patch operations. */
export interface KindChange {
  containers: ContainerChange[];
  /** Pod annotations the kind owns (hot upgrade: working container, version annotations). */
  annotations: Record<string, string>;
}

export interface UpgradeKind {
  /** For reasons and plans: "cold image", "hot upgrade", ... */
  readonly name: string;
  /** Whether this kind brings `sidecar` in place. Several kinds may handle one sidecar (e.g. image and resources). */
  handles(sidecar: Omit<RolloutSidecar, 'upgradeKinds'>): boolean;
  /** A capability the cluster must have for this kind to handle any sidecar (resize: pods/resize). */
  readonly requires?: keyof RolloutCapabilities;
  /** Container fields the kind changes in place: left out when a pod's sidecar is compared with the SidecarSet's. */
  readonly inPlaceFields: readonly (keyof Container)[];
  /** The pod containers that carry `sidecar` (none found in the pod: the pod lacks the sidecar). */
  carriers(sidecar: RolloutSidecar, pod: Pod): CarrierContainer[];
  progress(view: PodUpgradeView, sidecar: RolloutSidecar): SidecarProgress;
  /** The change that brings `sidecar` to the SidecarSet's current spec; empty when nothing differs. */
  upgrade(view: PodUpgradeView, sidecar: RolloutSidecar): KindChange;
  /**
   * A change due after an upgrade of this kind completed, which leaves the recorded hash alone (hot
   * upgrade: the old twin back to the empty image). undefined when none is due.
   */
  followUp?(view: PodUpgradeView, sidecar: RolloutSidecar): KindChange | undefined;
  /**
   * Why this kind cannot bring `sidecar` in place on this pod, as the API server or the node would
   * refuse it (resize: a QoS class change, a resource other than cpu and memory, the node's
   * PodResizePending Infeasible). Non-empty: the pod is not upgradable and counts as not updated,
   * so it is never written again for this spec (no retry loop).
   */
  blockers?(view: PodUpgradeView, sidecar: RolloutSidecar): string[];
}

export const noChange = (): KindChange => ({ containers: [], annotations: {} });
