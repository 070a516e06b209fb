// The ControllerRevisions a SidecarSet's history is made of, as OpenKruise records them: one per
// distinct recorded spec (containers, initContainers, volumes, imagePullSecrets, patchPodMetadata),
// labelled with the SidecarSet's name, numbered in order, and pruned to revisionHistoryLimit without
// ever deleting one that a pod or the injection strategy still names.
import { createHash } from 'node:crypto';
import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { currentSidecarSetHash, currentSidecarSetHashWithoutImage, safeEncodeString } from '../hash/sidecarSetHash.js';
import { DEFAULT_REVISION_HISTORY_LIMIT } from '../defaults/defaultSidecarSet.js';
import { goJsonStringify } from '../hash/goJson.js';
import { readSidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import { RECORDED_SPEC_FIELDS } from './restoreSidecarSetFromRevision.js';
import { SIDECARSET_NAME_LABEL } from './resolveInjectionRevision.js';

/** The strategic-merge patch a revision stores: the recorded fields, replacing the whole spec. */
export function revisionData(sidecarSet: SidecarSet): { spec: Record<string, unknown> } {
  const spec: Record<string, unknown> = { $patch: 'replace' };
  for (const field of RECORDED_SPEC_FIELDS) {
    const value = sidecarSet.spec[field];
    if (value !== undefined) spec[field] = value;
  }
  return { spec };
}

/** Stable name for a recorded spec: `<sidecarset>-<10 safe characters of sha256(data, collisionCount)>`. */
export function revisionName(sidecarSet: SidecarSet, collisionCount = 0): string {
  const digest = createHash('sha256').update(goJsonStringify(revisionData(sidecarSet))).update(String(collisionCount)).digest('hex');
  return `${sidecarSet.metadata?.name}-${safeEncodeString(digest).slice(0, 10)}`;
}

export function newSidecarSetRevision(sidecarSet: SidecarSet, namespace: string, revision: number, collisionCount = 0): ControllerRevision {
  const name = sidecarSet.metadata?.name ?? '';
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(sidecarSet, collisionCount),
      namespace,
      labels: { [SIDECARSET_NAME_LABEL]: name },
      annotations: {
        [SIDECARSET_HASH_ANNOTATION]: currentSidecarSetHash(sidecarSet),
        [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: currentSidecarSetHashWithoutImage(sidecarSet),
      },
      // Garbage-collected with the SidecarSet.
      ...(sidecarSet.metadata?.uid
        ? { ownerReferences: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', name, uid: sidecarSet.metadata.uid, controller: true, blockOwnerDeletion: true }] }
        : {}),
    },
    data: revisionData(sidecarSet) as never,
    revision,
  };
}

/**
 * True when `revision` records the SidecarSet's current spec. Compared as values, not bytes: OpenKruise
 * writes the fields a spec lacks as null (`"initContainers": null`) where we leave them out, and a
 * cluster moved from OpenKruise must reuse its revision (new pods then name the same one).
 */
export const revisionMatches = (revision: ControllerRevision, sidecarSet: SidecarSet): boolean =>
  goJsonStringify(withoutNulls(revision.data)) === goJsonStringify(withoutNulls(revisionData(sidecarSet)));

/** The value with null members of objects left out (null and absent mean the same in Go's JSON). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
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
  const current = own.find((r) => revisionMatches(r, sidecarSet));
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
