// Injecting a pod twice must change nothing. The hash annotations are rebuilt from the SidecarSets on
// every CREATE, so the only part that would differ is updateTimestamp: an entry the pod already
// carries that is identical but for its timestamp keeps that timestamp. A pod's author gains nothing
// by forging one: only the timestamp is taken, and only where everything else already matches.
import { parseSidecarSetHashes, type SidecarSetHashes, type SidecarSetUpgradeSpec } from './podSidecarSetAnnotations.js';

/** metav1.Time as the API server writes it; anything else a pod brings is not kept. */
const METAV1_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const sameButTimestamp = (a: SidecarSetUpgradeSpec, b: SidecarSetUpgradeSpec): boolean =>
  a.hash === b.hash &&
  a.sidecarSetName === b.sidecarSetName &&
  a.controllerRevision === b.controllerRevision &&
  JSON.stringify(a.sidecarList) === JSON.stringify(b.sidecarList);

export function keepRecordedTimestamps(next: SidecarSetHashes, recordedAnnotation: string | undefined): SidecarSetHashes {
  const recorded = parseSidecarSetHashes(recordedAnnotation);
  if (!recorded.ok || recorded.hashes.size === 0) return next;
  const out: SidecarSetHashes = new Map();
  for (const [name, spec] of next) {
    const before = recorded.hashes.get(name);
    out.set(name, before?.updateTimestamp && METAV1_TIME.test(before.updateTimestamp) && sameButTimestamp(before, spec) ? { ...spec, updateTimestamp: before.updateTimestamp } : spec);
  }
  return out;
}
