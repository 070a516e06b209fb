// The pod annotation kruise.io/sidecarset-inplace-update-state, as OpenKruise writes it before an
// in-place sidecar upgrade: a JSON map from SidecarSet name to pub.InPlaceUpdateState
// `{revision, updateTimestamp, lastContainerStatuses: {<container>: {imageID}}}`, the imageIDs the
// containers ran before their image was changed. When a container's status.imageID differs from the
// one recorded, the kubelet has restarted it on the new image: the update is complete.

export const SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION = 'kruise.io/sidecarset-inplace-update-state';

export interface InPlaceUpdateContainerStatus {
  imageID?: string;
}

export interface InPlaceUpdateState {
  revision?: string;
  updateTimestamp?: string | null;
  lastContainerStatuses?: Record<string, InPlaceUpdateContainerStatus>;
  /** Fields other writers (a newer Kruise) may add are kept as they are. */
  [field: string]: unknown;
}

export type InPlaceUpdateStates = Record<string, InPlaceUpdateState>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the annotation. Absent or empty is `{}`; a value that is not a JSON object is `undefined`
 * (Kruise then treats the pod's sidecars as not yet updated).
 */
export function parseInPlaceUpdateStates(value: string | undefined): InPlaceUpdateStates | undefined {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (!isRecord(parsed)) return undefined;
  const states: InPlaceUpdateStates = {};
  for (const [name, state] of Object.entries(parsed)) {
    if (state === null) continue;
    if (!isRecord(state)) return undefined;
    states[name] = state as InPlaceUpdateState;
  }
  return states;
}

/** The imageID recorded for `container` before the last in-place update by `sidecarSetName`, if any. */
export function recordedImageID(states: InPlaceUpdateStates, sidecarSetName: string, container: string): string | undefined {
  const status = states[sidecarSetName]?.lastContainerStatuses?.[container];
  return isRecord(status) && typeof status.imageID === 'string' && status.imageID !== '' ? status.imageID : undefined;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byteOrder)) if (value[key] !== undefined) out[key] = sortedKeys(value[key]);
  return out;
}

/** Writes the annotation with map keys sorted, as Go's json.Marshal orders a map. */
export function encodeInPlaceUpdateStates(states: InPlaceUpdateStates): string {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(states).sort(byteOrder)) {
    const { revision, updateTimestamp, lastContainerStatuses, ...rest } = states[name]!;
    // Struct fields in Kruise's declaration order, then anything else that was there.
    out[name] = {
      revision: revision ?? '',
      updateTimestamp: updateTimestamp ?? null,
      lastContainerStatuses: sortedKeys(lastContainerStatuses ?? {}),
      ...rest,
    };
  }
  return JSON.stringify(out);
}
