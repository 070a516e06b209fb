// Rebuilds the SidecarSet a ControllerRevision recorded, as OpenKruise's history control does. The
// revision's `data` is `{"spec": {"$patch": "replace", "containers", "initContainers", "volumes",
// "imagePullSecrets", "patchPodMetadata"}}`, a strategic merge patch that replaces the whole spec; the
// hash annotations come from the revision's own annotations (computed when it has none) and
// status.latestRevision becomes the revision's name.
import type { ControllerRevision, SidecarSet, SidecarSetSpec, SidecarSetStatus } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { sidecarSetHash, sidecarSetHashWithoutImage } from '../hash/sidecarSetHash.js';

/** The spec fields a SidecarSet ControllerRevision records. */
export const RECORDED_SPEC_FIELDS = ['volumes', 'containers', 'initContainers', 'imagePullSecrets', 'patchPodMetadata'] as const;

export type RestoreResult = { ok: true; sidecarSet: SidecarSet } | { ok: false; reason: string };

function recordedSpec(data: unknown): Record<string, unknown> | undefined {
  let parsed = data;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const spec = (parsed as { spec?: unknown }).spec;
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>) : undefined;
}

export function restoreSidecarSetFromRevision(live: SidecarSet, revision: ControllerRevision): RestoreResult {
  const recorded = recordedSpec(revision.data as unknown);
  const revisionName = revision.metadata?.name ?? '';
  if (!recorded) return { ok: false, reason: `ControllerRevision "${revisionName}" has no recorded spec in data.spec` };
  const spec: Record<string, unknown> = {};
  for (const field of RECORDED_SPEC_FIELDS) {
    const value = recorded[field];
    if (value !== null && value !== undefined) spec[field] = value;
  }
  const restored: SidecarSet = { ...live, spec: spec as SidecarSetSpec };
  const annotations = revision.metadata?.annotations ?? {};
  restored.metadata = {
    ...live.metadata,
    annotations: {
      ...live.metadata?.annotations,
      [SIDECARSET_HASH_ANNOTATION]: annotations[SIDECARSET_HASH_ANNOTATION] || sidecarSetHash(restored),
      [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]:
        annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] || sidecarSetHashWithoutImage(restored),
    },
  };
  restored.status = { matchedPods: 0, updatedPods: 0, readyPods: 0, ...live.status, latestRevision: revisionName } as SidecarSetStatus;
  return { ok: true, sidecarSet: restored };
}
