// `rollout history` and `rollout undo`: a SidecarSet's ControllerRevisions, numbered as the controller
// numbered them, and the patch that puts a revision's sidecars back. Pure: the command reads and writes.
import type { ControllerRevision, SidecarSet } from '@sidecarset/api/offline';
import { RECORDED_SPEC_FIELDS, revisionMatches } from '@sidecarset/core';

export interface HistoryEntry {
  revision: number;
  name: string;
  /** The revision of the SidecarSet's current spec. */
  current: boolean;
  /** "container=image" of its containers and initContainers. */
  images: string[];
  created: string;
}

interface RecordedContainer {
  name?: string;
  image?: string;
}

function recordedSpec(revision: ControllerRevision): Record<string, unknown> {
  const data = revision.data as unknown;
  const parsed = typeof data === 'string' ? (JSON.parse(data) as unknown) : data;
  const spec = (parsed as { spec?: unknown } | null)?.spec;
  return typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
}

const imagesOf = (spec: Record<string, unknown>): string[] =>
  (['initContainers', 'containers'] as const).flatMap((field) => (Array.isArray(spec[field]) ? (spec[field] as RecordedContainer[]) : []).map((c) => `${c.name ?? '?'}=${c.image ?? '?'}`));

/** Oldest first, as kubectl rollout history lists them. */
export function historyOf(sidecarSet: SidecarSet, revisions: readonly ControllerRevision[]): HistoryEntry[] {
  return [...revisions]
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))
    .map((revision) => {
      let images: string[];
      try {
        images = imagesOf(recordedSpec(revision));
      } catch {
        images = ['<data is not JSON>'];
      }
      return {
        revision: revision.revision ?? 0,
        name: revision.metadata?.name ?? '',
        current: revisionMatches(revision, sidecarSet),
        images,
        created: revision.metadata?.creationTimestamp ?? '',
      };
    });
}

export type UndoTarget = { ok: true; revision: ControllerRevision; number: number } | { ok: false; reason: string };

/** `--to-revision N`, or (0, absent) the newest revision older than the current one, as kubectl undo picks. */
export function undoTarget(sidecarSet: SidecarSet, revisions: readonly ControllerRevision[], toRevision?: number): UndoTarget {
  const name = sidecarSet.metadata?.name ?? '';
  const sorted = [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  if (toRevision) {
    const found = sorted.find((r) => r.revision === toRevision);
    return found ? { ok: true, revision: found, number: toRevision } : { ok: false, reason: `unable to find the specified revision ${toRevision} of sidecarset "${name}" (revisions: ${sorted.map((r) => r.revision).join(', ') || 'none'})` };
  }
  const current = sorted.find((r) => revisionMatches(r, sidecarSet));
  const older = sorted.filter((r) => (r.revision ?? 0) < (current?.revision ?? Number.MAX_SAFE_INTEGER) && r !== current);
  const previous = older.at(-1);
  return previous ? { ok: true, revision: previous, number: previous.revision ?? 0 } : { ok: false, reason: `no rollout history found for sidecarset "${name}" to go back to` };
}

/**
 * A JSON merge patch that gives the SidecarSet the revision's recorded fields (containers,
 * initContainers, volumes, imagePullSecrets, patchPodMetadata; a field the revision does not record
 * is removed) and nothing else, guarded by the resourceVersion read (a concurrent edit: 409).
 */
export function undoPatch(sidecarSet: SidecarSet, revision: ControllerRevision): { metadata: { resourceVersion?: string }; spec: Record<string, unknown> } {
  const recorded = recordedSpec(revision);
  const spec: Record<string, unknown> = {};
  for (const field of RECORDED_SPEC_FIELDS) spec[field] = recorded[field] ?? null;
  return { metadata: { ...(sidecarSet.metadata?.resourceVersion ? { resourceVersion: sidecarSet.metadata.resourceVersion } : {}) }, spec };
}
