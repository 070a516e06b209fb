// Conflicts with the other SidecarSets of the cluster that can inject into the same pod: a pod can hold
// one container of a name, one volume of a name, and one Overwrite of an annotation. SidecarSets that
// can never select the same pod (exclusive selectors, different namespaces) never conflict.
//
// Bounded work: what `next` declares is indexed once; each other SidecarSet is then walked once and
// looked up in that index, so the cost is the size of `next` plus the size of the others, never their
// product (the webhook compares every SidecarSet written against all it has cached).
import type { FieldError, SidecarSet, Volume } from '@sidecarset/api';
import { defaultedVolume } from '../defaults/defaultSidecarSet.js';
import { goJsonStringify } from '../hash/goJson.js';
import { duplicate, invalid, isObject, keyPath } from './fieldErrors.js';
import { sidecarSetsCanSelectSamePod } from './sidecarSetScope.js';

const WHY = 'both can select the same pods (their namespaces and selectors overlap)';
const HOW = 'rename one of them, or make the selectors exclusive, e.g. with a label value only one of them accepts';

interface Declared {
  /** Position in `next`, so errors come out in its order. */
  order: number;
  path: string;
}

/** What `next` declares, indexed by name (containers, volumes) and by annotation key (Overwrite/MergePatchJson patches). */
interface Index {
  containers: Map<string, (Declared & { name: string })[]>;
  volumes: Map<string, (Declared & { name: string; canonical: string })[]>;
  annotations: Map<string, (Declared & { key: string; policy: string })[]>;
}

const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function containersOf(sidecarSet: SidecarSet): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    asList(sidecarSet.spec?.[field]).forEach((container: unknown, index) => {
      if (isObject(container) && typeof container.name === 'string') out.push({ path: `spec.${field}[${index}]`, name: container.name });
    });
  }
  return out;
}

/** Volumes compare as OpenKruise's defaults leave them, key order aside. */
const canonicalVolumes = new WeakMap<object, string>();
function canonicalVolume(volume: Record<string, unknown>): string {
  let canonical = canonicalVolumes.get(volume);
  if (canonical === undefined) canonicalVolumes.set(volume, (canonical = goJsonStringify(defaultedVolume(volume as Volume))));
  return canonical;
}

const policyOf = (patch: Record<string, unknown>): string => (typeof patch.patchPolicy === 'string' && patch.patchPolicy !== '' ? patch.patchPolicy : 'Retain');

function indexOf(next: SidecarSet): Index {
  const index: Index = { containers: new Map(), volumes: new Map(), annotations: new Map() };
  let order = 0;
  for (const container of containersOf(next)) push(index.containers, container.name, { ...container, order: order++ });
  asList(next.spec?.volumes).forEach((volume, i) => {
    if (isObject(volume) && typeof volume.name === 'string') {
      push(index.volumes, volume.name, { order: order++, path: `spec.volumes[${i}]`, name: volume.name, canonical: canonicalVolume(volume) });
    }
  });
  asList(next.spec?.patchPodMetadata).forEach((patch, i) => {
    if (!isObject(patch) || !isObject(patch.annotations)) return;
    const policy = policyOf(patch);
    if (policy === 'Retain') return;
    for (const key of Object.keys(patch.annotations)) {
      push(index.annotations, key, { order: order++, path: keyPath(`spec.patchPodMetadata[${i}].annotations`, key), key, policy });
    }
  });
  return index;
}

export function validateAgainstOthers(next: SidecarSet, others: readonly SidecarSet[]): FieldError[] {
  const name = next.metadata?.name;
  const overlapping = others.filter((other) => other.metadata?.name !== name && sidecarSetsCanSelectSamePod(next, other));
  if (overlapping.length === 0) return [];
  const index = indexOf(next);
  const errors: FieldError[] = [];
  for (const other of overlapping) {
    const otherName = other.metadata?.name ?? '<unnamed>';
    const found: { order: number; error: FieldError }[] = [];
    const theirContainers = new Map(containersOf(other).map((c) => [c.name, c.path]));
    for (const [theirName, theirPath] of theirContainers) {
      for (const mine of index.containers.get(theirName) ?? []) {
        found.push({
          order: mine.order,
          error: duplicate(
            `${mine.path}.name`,
            mine.name,
            `container "${mine.name}" is also defined by SidecarSet "${otherName}" (${theirPath}), and ${WHY}; a pod can hold only one container of that name: ${HOW}`,
          ),
        });
      }
    }
    const theirVolumes = new Map<string, Record<string, unknown>>();
    for (const volume of asList(other.spec?.volumes)) if (isObject(volume) && typeof volume.name === 'string') theirVolumes.set(volume.name, volume);
    for (const [volumeName, volume] of theirVolumes) {
      const mine = index.volumes.get(volumeName);
      if (!mine) continue;
      const theirs = canonicalVolume(volume);
      for (const declared of mine) {
        if (declared.canonical === theirs) continue;
        found.push({
          order: declared.order,
          error: invalid(
            declared.path,
            declared.name,
            `volume "${declared.name}" is defined differently by SidecarSet "${otherName}", and ${WHY}; a pod gets only one volume of that name: define it identically in both, or rename one`,
          ),
        });
      }
    }
    const theirPolicies = new Map<string, string>();
    for (const patch of asList(other.spec?.patchPodMetadata)) {
      if (!isObject(patch) || !isObject(patch.annotations)) continue;
      const policy = policyOf(patch);
      if (policy === 'Retain') continue;
      for (const key of Object.keys(patch.annotations)) theirPolicies.set(key, policy);
    }
    for (const [key, theirPolicy] of theirPolicies) {
      for (const mine of index.annotations.get(key) ?? []) {
        if (mine.policy !== 'Overwrite' && theirPolicy !== 'Overwrite') continue;
        found.push({
          order: mine.order,
          error: invalid(
            mine.path,
            key,
            `annotation ${key} is also written by SidecarSet "${otherName}" (patchPolicy ${theirPolicy}), and ${WHY}; with Overwrite the result would depend on injection order: patch it from one SidecarSet only, or use Retain`,
          ),
        });
      }
    }
    found.sort((a, b) => a.order - b.order);
    errors.push(...found.map((f) => f.error));
  }
  return errors;
}
