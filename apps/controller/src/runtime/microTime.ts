// Kubernetes MicroTime (RFC 3339 with microseconds) and Time (whole seconds) from epoch milliseconds.

/** `2025-01-01T00:00:00.123000Z`, as metav1.MicroTime marshals. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** `2025-01-01T00:00:00Z`, as metav1.Time marshals. */
export function wholeSecondTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
