// The pod annotations injection writes, in OpenKruise's shapes:
// - kruise.io/sidecarset-injected-list: SidecarSet names, sorted, comma-joined;
// - kruise.io/sidecarset-hash and kruise.io/sidecarset-hash-without-image: a JSON map from SidecarSet
//   name to `{updateTimestamp, hash, sidecarSetName, sidecarList, controllerRevision}` (Go's
//   SidecarSetUpgradeSpec: fields in that order, map keys sorted, controllerRevision left out when
//   empty). The older shape, a map from name to the hash string, is still read.

import { goJsonString } from '../hash/goJson.js';
import { ANNOTATION_JSON_BUDGET, parseJsonWithinBudget } from '../util/jsonTextBudget.js';
import { memoizeByString } from '../util/memoizeByString.js';

export interface SidecarSetUpgradeSpec {
  /** RFC 3339 to the second, as metav1.Time writes it; null for the zero time. */
  updateTimestamp: string | null;
  hash: string;
  sidecarSetName: string;
  /** Sidecar container names (containers and native-sidecar initContainers), sorted; null when never recorded. */
  sidecarList: string[] | null;
  controllerRevision?: string;
}

export type SidecarSetHashes = Map<string, SidecarSetUpgradeSpec>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readSpec(value: unknown): SidecarSetUpgradeSpec | undefined {
  if (!isRecord(value)) return undefined;
  const { updateTimestamp, hash, sidecarSetName, sidecarList, controllerRevision } = value;
  if (updateTimestamp !== undefined && updateTimestamp !== null && typeof updateTimestamp !== 'string') return undefined;
  if (hash !== undefined && typeof hash !== 'string') return undefined;
  if (sidecarSetName !== undefined && typeof sidecarSetName !== 'string') return undefined;
  if (controllerRevision !== undefined && typeof controllerRevision !== 'string') return undefined;
  if (sidecarList !== undefined && sidecarList !== null &&
    (!Array.isArray(sidecarList) || !sidecarList.every((name) => typeof name === 'string'))) return undefined;
  const spec: SidecarSetUpgradeSpec = {
    updateTimestamp: (updateTimestamp as string | null | undefined) || null,
    hash: (hash as string | undefined) ?? '',
    sidecarSetName: (sidecarSetName as string | undefined) ?? '',
    sidecarList: (sidecarList as string[] | null | undefined) ?? null,
  };
  if (controllerRevision) spec.controllerRevision = controllerRevision as string;
  return spec;
}

/**
 * Reads a hash annotation. An absent or empty value is an empty map; a value in neither the current
 * nor the older shape is an error (OpenKruise refuses the pod too).
 */
export function parseSidecarSetHashes(value: string | undefined): { ok: true; hashes: SidecarSetHashes } | { ok: false; reason: string } {
  const hashes: SidecarSetHashes = new Map();
  if (!value) return { ok: true, hashes };
  // A pod's author writes this text: it is parsed only within a bound (see ANNOTATION_JSON_BUDGET).
  const read = parseJsonWithinBudget(value, ANNOTATION_JSON_BUDGET);
  if (!read.ok) return read;
  const parsed = read.value;
  if (parsed === null) return { ok: true, hashes };
  if (!isRecord(parsed)) return { ok: false, reason: 'is not a JSON object keyed by SidecarSet name' };
  const entries = Object.entries(parsed);
  if (entries.every(([, v]) => typeof v === 'string')) {
    for (const [name, hash] of entries) {
      hashes.set(name, { updateTimestamp: null, hash: hash as string, sidecarSetName: name, sidecarList: null });
    }
    return { ok: true, hashes };
  }
  for (const [name, raw] of entries) {
    const spec = raw === null ? { updateTimestamp: null, hash: '', sidecarSetName: '', sidecarList: null } : readSpec(raw);
    if (!spec) return { ok: false, reason: `entry "${name.slice(0, 64)}" is not {updateTimestamp, hash, sidecarSetName, sidecarList, controllerRevision}` };
    hashes.set(name, spec);
  }
  return { ok: true, hashes };
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const stringOrNull = (value: string | null): string => (value === null ? 'null' : goJsonString(value));

/** Writes a hash annotation exactly as Go's json.Marshal(map[string]SidecarSetUpgradeSpec) would. */
export function encodeSidecarSetHashes(hashes: SidecarSetHashes): string {
  const parts: string[] = [];
  for (const name of [...hashes.keys()].sort(byteOrder)) {
    const spec = hashes.get(name)!;
    const list = spec.sidecarList === null ? 'null' : `[${spec.sidecarList.map(goJsonString).join(',')}]`;
    let body =
      `"updateTimestamp":${stringOrNull(spec.updateTimestamp)},"hash":${goJsonString(spec.hash)},` +
      `"sidecarSetName":${goJsonString(spec.sidecarSetName)},"sidecarList":${list}`;
    if (spec.controllerRevision) body += `,"controllerRevision":${goJsonString(spec.controllerRevision)}`;
    parts.push(`${goJsonString(name)}:{${body}}`);
  }
  return `{${parts.join(',')}}`;
}

/** metav1.Time's JSON form: UTC, to the second. A value that does not parse as a date is kept as given. */
export function toMetav1Time(iso: string): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return iso;
  return new Date(millis - (((millis % 1000) + 1000) % 1000)).toISOString().replace('.000Z', 'Z');
}

/** Names in kruise.io/sidecarset-injected-list. */
export const parseInjectedList = (value: string | undefined): string[] =>
  value ? value.split(',').filter((name) => name !== '') : [];

/** kruise.io/sidecarset-injected-list for a set of names: sorted, de-duplicated, comma-joined. */
export const formatInjectedList = (names: Iterable<string>): string => [...new Set(names)].sort(byteOrder).join(',');

/** parseSidecarSetHashes for readers that never change the result (the rollout planner), memoized. */
export const readSidecarSetHashes: (value: string | undefined) => ReturnType<typeof parseSidecarSetHashes> = memoizeByString(parseSidecarSetHashes);
