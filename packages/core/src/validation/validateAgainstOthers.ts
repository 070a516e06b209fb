// Conflicts with the other SidecarSets of the cluster that can inject into the same pod: a pod can hold
// one container of a name, one volume of a name, and one Overwrite of an annotation. SidecarSets that
// can never select the same pod (exclusive selectors, different namespaces) never conflict.
import type { FieldError, SidecarSet, Volume } from '@sidecarset/api';
import { defaultedVolume } from '../defaults/defaultSidecarSet.js';
import { duplicate, invalid, isObject, keyPath } from './fieldErrors.js';
import { sidecarSetsCanSelectSamePod } from './sidecarSetScope.js';

const WHY = 'both can select the same pods (their namespaces and selectors overlap)';
const HOW = 'rename one of them, or make the selectors exclusive, e.g. with a label value only one of them accepts';

export function validateAgainstOthers(next: SidecarSet, others: readonly SidecarSet[]): FieldError[] {
  const name = next.metadata?.name;
  const overlapping = others.filter((other) => other.metadata?.name !== name && sidecarSetsCanSelectSamePod(next, other));
  const errors: FieldError[] = [];
  for (const other of overlapping) {
    const otherName = other.metadata?.name ?? '<unnamed>';
    errors.push(...containerConflicts(next, other, otherName), ...volumeConflicts(next, other, otherName), ...annotationConflicts(next, other, otherName));
  }
  return errors;
}

function containersOf(sidecarSet: SidecarSet): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list: unknown = sidecarSet.spec?.[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container: unknown, index) => {
      if (isObject(container) && typeof container.name === 'string') out.push({ path: `spec.${field}[${index}]`, name: container.name });
    });
  }
  return out;
}

function containerConflicts(next: SidecarSet, other: SidecarSet, otherName: string): FieldError[] {
  const theirs = new Map(containersOf(other).map((c) => [c.name, c.path]));
  return containersOf(next)
    .filter((mine) => theirs.has(mine.name))
    .map((mine) =>
      duplicate(
        `${mine.path}.name`,
        mine.name,
        `container "${mine.name}" is also defined by SidecarSet "${otherName}" (${theirs.get(mine.name)}), and ${WHY}; a pod can hold only one container of that name: ${HOW}`,
      ),
    );
}

function volumeConflicts(next: SidecarSet, other: SidecarSet, otherName: string): FieldError[] {
  const theirs = new Map<string, Volume>();
  for (const volume of asList(other.spec?.volumes)) if (isObject(volume) && typeof volume.name === 'string') theirs.set(volume.name, volume as Volume);
  const errors: FieldError[] = [];
  asList(next.spec?.volumes).forEach((volume, index) => {
    if (!isObject(volume) || typeof volume.name !== 'string') return;
    const their = theirs.get(volume.name);
    if (their && !sameJson(defaultedVolume(volume as Volume), defaultedVolume(their))) {
      errors.push(
        invalid(
          `spec.volumes[${index}]`,
          volume.name,
          `volume "${volume.name}" is defined differently by SidecarSet "${otherName}", and ${WHY}; a pod gets only one volume of that name: define it identically in both, or rename one`,
        ),
      );
    }
  });
  return errors;
}

function annotationConflicts(next: SidecarSet, other: SidecarSet, otherName: string): FieldError[] {
  const theirs = new Map<string, string>();
  for (const patch of asList(other.spec?.patchPodMetadata)) {
    if (!isObject(patch) || !isObject(patch.annotations)) continue;
    const policy = typeof patch.patchPolicy === 'string' && patch.patchPolicy !== '' ? patch.patchPolicy : 'Retain';
    if (policy === 'Retain') continue;
    for (const key of Object.keys(patch.annotations)) theirs.set(key, policy);
  }
  const errors: FieldError[] = [];
  asList(next.spec?.patchPodMetadata).forEach((patch, index) => {
    if (!isObject(patch) || !isObject(patch.annotations)) return;
    const policy = typeof patch.patchPolicy === 'string' && patch.patchPolicy !== '' ? patch.patchPolicy : 'Retain';
    if (policy === 'Retain') return;
    for (const key of Object.keys(patch.annotations)) {
      const theirPolicy = theirs.get(key);
      if (theirPolicy === undefined || (policy !== 'Overwrite' && theirPolicy !== 'Overwrite')) continue;
      errors.push(
        invalid(
          keyPath(`spec.patchPodMetadata[${index}].annotations`, key),
          key,
          `annotation ${key} is also written by SidecarSet "${otherName}" (patchPolicy ${theirPolicy}), and ${WHY}; with Overwrite the result would depend on injection order: patch it from one SidecarSet only, or use Retain`,
        ),
      );
    }
  });
  return errors;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Deep equality of JSON values, ignoring the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => sameJson(a[k], b[k]));
}
