// Where one pod stands in a SidecarSet's rollout, as OpenKruise's sidecarcontrol reads it:
// - updated: the hash recorded for this SidecarSet in the pod's kruise.io/sidecarset-hash equals the
//   SidecarSet's current hash (IsPodSidecarUpdated);
// - consistent: every sidecar's last in-place change has completed, as the sidecar's upgrade kinds
//   read it (upgradeKinds/; the cold image swap reads container statuses' imageIDs) (IsPodStateConsistent);
// - ready: phase Running and Ready=True, and every upgrade kind settled (IsPodReady);
// - upgradable: only fields the upgrade kinds change in place differ between the pod's sidecars and
//   the SidecarSet (see notUpgradableReason).
import type { Pod, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION } from '../annotations.js';
import { readSidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import { parseInPlaceUpdateStates, SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION } from './inPlaceUpdateState.js';
import { notUpgradableReasonWith } from './notUpgradableReason.js';
import { isPodRunningAndReady } from './podReadiness.js';
import { rolloutContext, type RolloutContext } from './rolloutContext.js';
import type { PodUpgradeView, RolloutCapabilities } from './upgradeKinds/index.js';

interface PodSidecarFacts {
  updated: boolean;
  consistent: boolean;
  ready: boolean;
}

export type PodSidecarStatus =
  | (PodSidecarFacts & { upgradable: true })
  | (PodSidecarFacts & { upgradable: false; reason: string });

/** podSidecarStatus plus what the planner also needs. */
export type PodRolloutState = PodSidecarStatus & {
  /** A ready sidecar whose last in-place update has not finished: Kruise waits for it before the next one. */
  inFlight?: string;
};

export function podSidecarStatus(sidecarSet: SidecarSet, pod: Pod, capabilities?: RolloutCapabilities): PodSidecarStatus {
  const { inFlight: _inFlight, ...status } = podRolloutState(rolloutContext(sidecarSet, capabilities), pod);
  return status;
}

export const podUpgradeView = (ctx: RolloutContext, pod: Pod): PodUpgradeView => ({
  ctx,
  pod,
  states: parseInPlaceUpdateStates(pod.metadata?.annotations?.[SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]),
});

export function podRolloutState(ctx: RolloutContext, pod: Pod): PodRolloutState {
  const recorded = readSidecarSetHashes(pod.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]);
  const view = podUpgradeView(ctx, pod);
  let consistent = true;
  let settled = true;
  let inFlight: string | undefined;
  const blockers: string[] = [];
  for (const sidecar of ctx.sidecars) {
    for (const kind of sidecar.upgradeKinds) {
      const progress = kind.progress(view, sidecar);
      consistent &&= progress.consistent;
      settled &&= progress.settled;
      inFlight ??= progress.inFlight;
      blockers.push(...(kind.blockers?.(view, sidecar) ?? []));
    }
  }
  // A kind that cannot bring the pod in place (resize: refused by the node) leaves it not updated,
  // whatever hash it records: it is reported, and never written again for this spec.
  const updated = recorded.ok && recorded.hashes.get(ctx.name)?.hash === ctx.hash && blockers.length === 0;
  const ready = isPodRunningAndReady(pod) && settled;
  const differences = updated ? undefined : notUpgradableReasonWith(ctx, pod);
  const reason = blockers.length > 0 ? [differences, ...blockers].filter(Boolean).join('; ') : differences;
  const facts = reason === undefined ? { updated, consistent, ready, upgradable: true as const } : { updated, consistent, ready, upgradable: false as const, reason };
  return inFlight === undefined ? facts : { ...facts, inFlight };
}
