// The list merges OpenKruise's injection uses (util.MergeEnvVar, MergeVolumeMounts, MergeVolumes):
// everything in `original` is kept as it is; an `additional` item is appended unless an item with the
// same key is already there. So the pod's (or the sidecar's own) entries always win.

export function mergeByKey<T>(original: readonly T[], additional: readonly T[], key: (item: T) => string): T[] {
  if (additional.length === 0) return original as T[];
  const seen = new Set<string>();
  for (const item of original) seen.add(key(item));
  const out = original.slice();
  for (const item of additional) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}

/** Keeps the first item of each key, `first` before `then` (Kruise's mergeSidecarSecrets). */
export function uniqueByKey<T>(first: readonly T[], then: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const list of [first, then]) {
    for (const item of list) {
      const k = key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}
