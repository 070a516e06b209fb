// One world: the SidecarSets the API server stored (with the hash annotations its webhook wrote), and
// what pods generated against them may collide with.
import type { SidecarSet } from '@sidecarset/api';
import { PATCH_ANNOTATION_PREFIX } from './namePools.js';
import { sidecarNamesOf } from './sidecarSets.js';

export interface World {
  index: number;
  /** As stored by the API server, sorted by name. */
  sidecarSets: SidecarSet[];
  /** Every container name any of them injects. */
  sidecarNames: string[];
  /** Pod annotation keys their patchPodMetadata writes. */
  patchKeys: string[];
  /** The SidecarSets as generated, before the webhook's defaults: what reports show. */
  generated: SidecarSet[];
}

export function worldOf(index: number, stored: readonly SidecarSet[], generated: readonly SidecarSet[] = stored): World {
  const sidecarSets = [...stored].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  return {
    index,
    sidecarSets,
    sidecarNames: sidecarSets.flatMap(sidecarNamesOf),
    generated: [...generated],
    patchKeys: sidecarSets.flatMap((s) => (s.spec.patchPodMetadata ?? []).flatMap((p) => Object.keys(p.annotations ?? {}))).filter((k) => k.startsWith(PATCH_ANNOTATION_PREFIX)),
  };
}
