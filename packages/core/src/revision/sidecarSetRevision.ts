// The ControllerRevisions a SidecarSet's history is made of, as OpenKruise records them: one per
// distinct recorded spec (containers, initContainers, volumes, imagePullSecrets, patchPodMetadata),
// named, labelled and written as OpenKruise does (revisionPatch.ts), numbered in order, and pruned
// to revisionHistoryLimit without ever deleting one that a pod or the injection strategy names.
import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { currentSidecarSetHash, currentSidecarSetHashWithoutImage } from '../hash/sidecarSetHash.js';
import { DEFAULT_REVISION_HISTORY_LIMIT } from '../defaults/defaultSidecarSet.js';
import { readSidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import { RECORDED_SPEC_FIELDS } from './restoreSidecarSetFromRevision.js';
import { SIDECARSET_NAME_LABEL } from './resolveInjectionRevision.js';
import { controllerRevisionHash, controllerRevisionName, revisionPatch } from './revisionPatch.js';

/** Kubernetes' label for a ControllerRevision's hash (apps/v1 ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** The strategic-merge patch a revision stores: the recorded fields, replacing the whole spec. */
export function revisionData(sidecarSet: Pick<SidecarSet, 'spec'>): { spec: Record<string, unknown> } {
  return JSON.parse(revisionPatch(sidecarSet)) as { spec: Record<string, unknown> };
}

/** `<sidecarset>-<hash>`: the name OpenKruise gives the revision of this spec. */
export function revisionName(sidecarSet: SidecarSet, collisionCount = 0): string {
  return controllerRevisionName(sidecarSet.metadata?.name ?? '', controllerRevisionHash(revisionPatch(sidecarSet), collisionCount));
}

/**
 * The revision OpenKruise would create for this spec: same name, data, labels (the SidecarSet's own,
 * its custom version among them, plus the hash and name labels) and annotations (the SidecarSet's).
 */
export function newSidecarSetRevision(sidecarSet: SidecarSet, namespace: string, revision: number, collisionCount = 0): ControllerRevision {
  const name = sidecarSet.metadata?.name ?? '';
  const patch = revisionPatch(sidecarSet);
  const hash = controllerRevisionHash(patch, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(name, hash),
      namespace,
      labels: { ...sidecarSet.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash, [SIDECARSET_NAME_LABEL]: name },
      annotations: {
        ...sidecarSet.metadata?.annotations,
        [SIDECARSET_HASH_ANNOTATION]: currentSidecarSetHash(sidecarSet),
        [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: currentSidecarSetHashWithoutImage(sidecarSet),
      },
      // Garbage-collected with the SidecarSet.
      ...(sidecarSet.metadata?.uid
        ? { ownerReferences: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', name, uid: sidecarSet.metadata.uid, controller: true, blockOwnerDeletion: true }] }
        : {}),
    },
    data: JSON.parse(patch) as never,
    revision,
  };
}

/**
 * True when `revision` records the SidecarSet's current spec. Both are brought to the bytes OpenKruise
 * writes before comparing, so a revision written with nulls for absent fields (OpenKruise), or without
 * them and without Go's zero values (ours before we wrote OpenKruise's bytes), still matches.
 */
export const revisionMatches = (revision: ControllerRevision, sidecarSet: SidecarSet): boolean => recordedPatch(revision) === revisionPatch(sidecarSet);

/** The revision's recorded fields as OpenKruise would write them; undefined when it records no spec. */
function recordedPatch(revision: ControllerRevision): string | undefined {
  const recorded = (revision.data as { spec?: unknown } | undefined)?.spec;
  if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) return undefined;
  const spec: Record<string, unknown> = {};
  for (const field of RECORDED_SPEC_FIELDS) {
    const value = (recorded as Record<string, unknown>)[field];
    if (value !== null && value !== undefined) spec[field] = value;
  }
  return revisionPatch({ spec });
}

export interface HistoryPlan {
  /** The revision of the current spec, when it exists already. */
  current?: ControllerRevision;
  /** The number a new revision gets. */
  nextRevisionNumber: number;
  /** Revisions to delete, oldest first. */
  prune: ControllerRevision[];
}

/**
 * What to do with a SidecarSet's revisions (those labelled with its name): find the current one and
 * choose the oldest unused ones to delete beyond revisionHistoryLimit, keeping any a pod's hash
 * annotation or injectionStrategy.revision names.
 */
export function planHistory(sidecarSet: SidecarSet, revisions: readonly ControllerRevision[], pods: readonly Pod[]): HistoryPlan {
  const name = sidecarSet.metadata?.name ?? '';
  const own = revisions.filter((r) => r.metadata?.labels?.[SIDECARSET_NAME_LABEL] === name).sort((a, b) => Number(a.revision) - Number(b.revision));
  // The current spec's bytes once per reconcile, not once per revision.
  const currentPatch = revisionPatch(sidecarSet);
  const current = own.find((r) => recordedPatch(r) === currentPatch);
  const nextRevisionNumber = own.length ? Number(own[own.length - 1]!.revision) + 1 : 1;
  const inUse = new Set<string>();
  for (const pod of pods) {
    const recorded = readSidecarSetHashes(pod.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]);
    const entry = recorded.ok ? recorded.hashes.get(name) : undefined;
    if (entry?.controllerRevision) inUse.add(entry.controllerRevision);
  }
  const pinned = sidecarSet.spec.injectionStrategy?.revision;
  if (pinned?.revisionName) inUse.add(pinned.revisionName);
  if (pinned?.customVersion) {
    for (const r of own) if (r.metadata?.labels?.['apps.kruise.io/sidecarset-custom-version'] === pinned.customVersion) inUse.add(r.metadata?.name ?? '');
  }
  const limit = sidecarSet.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  // As OpenKruise: the limit counts old revisions nothing uses; the current one and those in use stay.
  const unused = own.filter((r) => r !== current && !inUse.has(r.metadata?.name ?? ''));
  const prune = unused.slice(0, Math.max(0, unused.length - limit));
  return { ...(current ? { current } : {}), nextRevisionNumber, prune };
}
