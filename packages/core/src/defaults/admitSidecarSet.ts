// What the mutating admission of a SidecarSet stores: its defaults plus its own hash annotations.
// The webhook applies it to every SidecarSet written; the offline CLI applies it to the files it
// reads, so both inject from the same object.
import type { SidecarSet } from '@sidecarset/api';
import { sidecarSetHashAnnotations } from '../hash/sidecarSetHash.js';
import { defaultSidecarSet } from './defaultSidecarSet.js';

export function admitSidecarSet(sidecarSet: SidecarSet): SidecarSet {
  const defaulted = defaultSidecarSet(sidecarSet);
  return {
    ...defaulted,
    metadata: {
      ...defaulted.metadata,
      annotations: { ...defaulted.metadata?.annotations, ...sidecarSetHashAnnotations(defaulted) },
    },
  };
}
