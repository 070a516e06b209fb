// Thousands of pods carry the same few annotation values (one SidecarSet hash per revision), and a
// planner pass reads every pod's: parsing each distinct value once saves most of that pass's time
// and garbage. The results are shared between callers, so they must be treated as read-only.

/** `fn` remembered for the last `capacity` distinct inputs (oldest forgotten first). */
export function memoizeByString<R>(fn: (value: string | undefined) => R, capacity = 256): (value: string | undefined) => R {
  const remembered = new Map<string | undefined, R>();
  return (value) => {
    if (remembered.has(value)) return remembered.get(value) as R;
    const result = fn(value);
    if (remembered.size >= capacity) remembered.delete(remembered.keys().next().value);
    remembered.set(value, result);
    return result;
  };
}
