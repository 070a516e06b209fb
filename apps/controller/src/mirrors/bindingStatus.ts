// A binding's status from what the mirrors step saw and did: the mirrors it backs (with the UIDs
// that make them trusted), and conditions Ready, SourceMissing and Conflict, each with a reason and a
// message people can act on. Pure: the time of a transition is passed in.
import type { Condition, SidecarSetResourceBinding, SidecarSetResourceBindingMirror, SidecarSetResourceBindingStatus } from '@sidecarset/api';
import { mirrorKey, type MirrorRef } from './wantedMirrors.js';

export interface BindingObservation {
  /** The mirrors recorded for this binding: ours, existing (or being deleted). */
  mirrors: SidecarSetResourceBindingMirror[];
  /** Wanted mirrors this binding authorises that do not exist yet (or whose source is not read yet). */
  pending: MirrorRef[];
  /** Objects with a wanted mirror's name that the controller did not create. */
  squatted: MirrorRef[];
  /** resourceRefs whose object does not exist in the binding's namespace, as `Kind name`. */
  missingSources: string[];
}

/** At most this many names in a condition message; the rest are counted. */
const LISTED = 5;
const listed = (items: string[]): string => (items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`);
const refText = (ref: MirrorRef) => `${ref.kind} ${ref.namespace}/${ref.name}`;

export function bindingStatus(binding: SidecarSetResourceBinding, seen: BindingObservation, now: Date): SidecarSetResourceBindingStatus {
  const generation = binding.metadata?.generation;
  const mirrors = [...seen.mirrors].sort((a, b) => (mirrorKey(a) < mirrorKey(b) ? -1 : mirrorKey(a) > mirrorKey(b) ? 1 : 0));
  const conflict: Omit<Condition, 'lastTransitionTime'> = seen.squatted.length
    ? {
        type: 'Conflict',
        status: 'True',
        reason: 'MirrorNameTaken',
        message: `${listed(seen.squatted.map(refText))} exist${seen.squatted.length === 1 ? 's' : ''} and ${seen.squatted.length === 1 ? 'was' : 'were'} not created by sidecarset: never adopted, overwritten or mounted; the pods that need ${seen.squatted.length === 1 ? 'it' : 'them'} stay gated until ${seen.squatted.length === 1 ? 'it is' : 'they are'} removed`,
      }
    : { type: 'Conflict', status: 'False', reason: 'NoConflict', message: 'no object takes the name of a mirror' };
  const missing: Omit<Condition, 'lastTransitionTime'> = seen.missingSources.length
    ? { type: 'SourceMissing', status: 'True', reason: 'SourceNotFound', message: `not found in namespace ${binding.metadata?.namespace}: ${listed(seen.missingSources)}` }
    : { type: 'SourceMissing', status: 'False', reason: 'SourcesFound', message: 'every resourceRef exists' };
  const ready: Omit<Condition, 'lastTransitionTime'> = seen.squatted.length
    ? { type: 'Ready', status: 'False', reason: 'Conflict', message: `${seen.squatted.length} mirror name(s) taken by objects sidecarset did not create` }
    : seen.pending.length
      ? { type: 'Ready', status: 'False', reason: 'MirrorsPending', message: `waiting for ${listed(seen.pending.map(refText))}` }
      : { type: 'Ready', status: 'True', reason: 'MirrorsReady', message: `${mirrors.length} mirror(s) up to date` };
  const previous = binding.status?.conditions ?? [];
  const stamp = (c: Omit<Condition, 'lastTransitionTime'>): Condition => {
    const before = previous.find((p) => p.type === c.type);
    const lastTransitionTime = before && before.status === c.status ? before.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, 'Z');
    return { ...c, lastTransitionTime, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
  };
  return {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    mirrors,
    mirrorCount: mirrors.length,
    conditions: [stamp(ready), stamp(missing), stamp(conflict)],
  };
}

/** Whether writing `next` would change anything (transition times of unchanged conditions are kept by bindingStatus). */
export function sameBindingStatus(current: SidecarSetResourceBindingStatus | undefined, next: SidecarSetResourceBindingStatus): boolean {
  return canonical(current ?? {}) === canonical(next);
}

/** JSON with object keys sorted: the API server returns a custom resource's keys in its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
