// What a request supplied, fit for a log line or an error message: never more than a short prefix.
// Anyone who can reach the webhook's port writes these values; a log line or a 400 answer must not
// grow with them (a full-length apiVersion once made lines of up to the body limit).

/** Characters of a request-supplied string kept in logs and messages. */
export const LOGGED_TEXT_MAX = 64;
/** Items of a request-derived list kept in a log line. */
export const LOGGED_ITEMS_MAX = 20;

/** A string cut to `max` characters with "…", or a short description of a value that is not a string. */
export function shortText(value: unknown, max = LOGGED_TEXT_MAX): string {
  if (typeof value === 'string') return value.length <= max ? value : `${value.slice(0, max)}…`;
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/** JSON.stringify of a short prefix of the value, for messages that quote it ("got \"v1beta1\""). */
export const quoted = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(shortText(value)) : shortText(value));

/** Log fields with every string cut short and every list cut to its first items (numbers and booleans kept). */
export function safeLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      out[key] = value.slice(0, LOGGED_ITEMS_MAX).map((item) => (typeof item === 'number' || typeof item === 'boolean' ? item : shortText(item)));
      if (value.length > LOGGED_ITEMS_MAX) out[`${key}Count`] = value.length;
    } else {
      out[key] = typeof value === 'number' || typeof value === 'boolean' ? value : shortText(value);
    }
  }
  return out;
}

/** An error for the server's log: its type, a short message and the stack frames (no message text in them). */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error, errorMessage: shortText(String(error), 200) };
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 15);
  return { errorType: error.name, errorMessage: shortText(error.message, 200), stack: frames.map((f) => f.trim()).join('\n') };
}
