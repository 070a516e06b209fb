// Which version of a SidecarSet a new pod gets, following injectionStrategy.revision as OpenKruise's
// pod webhook does:
// - no revision (or neither revisionName nor customVersion): the current spec;
// - revisionName: the ControllerRevision of that name, which must be one of this SidecarSet's (labelled
//   with its name: a pin must not pull in another SidecarSet's containers); customVersion: the newest (highest
//   `revision`) ControllerRevision of this SidecarSet labelled apps.kruise.io/sidecarset-custom-version;
//   a missing one is an error that denies the pod, never a silent fallback;
// - updateStrategy.paused, or policy Always (default): the pinned revision;
// - policy Partial: the pinned revision for pods outside updateStrategy.selector; otherwise, with a
//   percentage partition "P%", the pinned revision when a draw from the caller's random source (in
//   [0, 1), Kruise's rand.Float64()) is <= P/100, as Kruise's selectRevisionRandomly compares: "0%"
//   pins only a draw of exactly 0, "100%" (or more) pins every pod; the source is called once, and only
//   here. Without a source such pods get the current spec. An int partition, or none: the current spec.
import type { ControllerRevision, FieldError, Pod, SidecarSet } from '@sidecarset/api';
import { CUSTOM_VERSION_LABEL } from '../annotations.js';
import { labelSelectorMatches } from '../labels/labelSelector.js';
import { restoreSidecarSetFromRevision } from './restoreSidecarSetFromRevision.js';

/** Label OpenKruise puts on every ControllerRevision of a SidecarSet: the SidecarSet's name. */
export const SIDECARSET_NAME_LABEL = 'kruise.io/sidecarset-name';

export type RevisionResolution = { ok: true; sidecarSet: SidecarSet; revision?: string } | { ok: false; error: FieldError };

/** The ControllerRevisions of `sidecarSetName` labelled with `customVersion`, newest last. */
export function customVersionRevisions(
  sidecarSetName: string,
  customVersion: string,
  revisions: readonly ControllerRevision[],
): ControllerRevision[] {
  return revisions
    .filter((revision) => {
      const labels = revision.metadata?.labels;
      return labels?.[SIDECARSET_NAME_LABEL] === sidecarSetName && labels[CUSTOM_VERSION_LABEL] === customVersion;
    })
    .sort((a, b) => a.revision - b.revision || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
}

function percentage(partition: number | string | undefined): number | undefined {
  if (typeof partition !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)%$/.exec(partition.trim());
  return match ? Number(match[1]) / 100 : undefined;
}

export function resolveInjectionRevision(
  sidecarSet: SidecarSet,
  pod: Pod,
  revisions: readonly ControllerRevision[],
  draw?: () => number,
): RevisionResolution {
  const pin = sidecarSet.spec.injectionStrategy?.revision;
  if (!pin || (!pin.revisionName && !pin.customVersion)) return { ok: true, sidecarSet };
  const name = sidecarSet.metadata?.name ?? '';

  let found: ControllerRevision | undefined;
  let path: string;
  let missing: string;
  if (pin.revisionName) {
    path = 'spec.injectionStrategy.revision.revisionName';
    const named = revisions.find((revision) => revision.metadata?.name === pin.revisionName);
    found = named?.metadata?.labels?.[SIDECARSET_NAME_LABEL] === name ? named : undefined;
    missing = named
      ? `SidecarSet "${name}" pins injection to ControllerRevision "${pin.revisionName}", which is a revision of SidecarSet "${named.metadata?.labels?.[SIDECARSET_NAME_LABEL] ?? ''}", not of this one`
      : `SidecarSet "${name}" pins injection to ControllerRevision "${pin.revisionName}", which does not exist`;
  } else {
    path = 'spec.injectionStrategy.revision.customVersion';
    found = customVersionRevisions(name, pin.customVersion!, revisions).at(-1);
    missing = `SidecarSet "${name}" pins injection to customVersion "${pin.customVersion}", but no ControllerRevision of this SidecarSet is labelled ${CUSTOM_VERSION_LABEL}=${pin.customVersion}`;
  }
  const value = pin.revisionName ?? pin.customVersion;
  if (!found) return { ok: false, error: { path, type: 'Invalid', reason: missing, value } };
  const restored = restoreSidecarSetFromRevision(sidecarSet, found);
  if (!restored.ok) return { ok: false, error: { path, type: 'Invalid', reason: `SidecarSet "${name}": ${restored.reason}`, value } };
  const pinned: RevisionResolution = { ok: true, sidecarSet: restored.sidecarSet, revision: found.metadata?.name };

  const updateStrategy = sidecarSet.spec.updateStrategy;
  if (updateStrategy?.paused || pin.policy !== 'Partial') return pinned;
  if (updateStrategy?.selector && !labelSelectorMatches(updateStrategy.selector, pod.metadata?.labels)) return pinned;
  const probability = percentage(updateStrategy?.partition);
  if (probability !== undefined && draw !== undefined && draw() <= probability) return pinned;
  return { ok: true, sidecarSet };
}
