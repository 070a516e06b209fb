// How Go's encoding/json fills a typed struct from parsed JSON, for the few shapes the patchPodMetadata
// whitelist has: field names match case-insensitively (of two members for one field the last wins;
// Go would merge two objects given for one field, which JSON.parse has already reduced to the last
// when the names are identical: no whitelist relies on either), unknown members are ignored, null
// leaves a field at its zero value, and a value of the wrong type fails the whole decode. OpenKruise
// decodes its whitelist this way, so the same text must mean the same here.

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

export const decodeError = (at: string, value: unknown, want: string): { ok: false; reason: string } => ({
  ok: false,
  reason: `${at}: cannot read a JSON ${typeName(value)} as ${want}`,
});

export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The member Go would assign to the field `name`: the last one whose name equals it ignoring case. */
export function goField(object: Record<string, unknown>, name: string): unknown {
  const folded = name.toLowerCase();
  let found: unknown = undefined;
  for (const key of Object.keys(object)) if (key.toLowerCase() === folded) found = object[key];
  return found;
}

/** A string field: absent or null is "". */
export function decodeString(value: unknown, at: string): Decoded<string> {
  if (value === undefined || value === null) return { ok: true, value: '' };
  return typeof value === 'string' ? { ok: true, value } : decodeError(at, value, 'a string');
}

/** A list of strings: absent or null is empty, a null element is "". */
export function decodeStringList(value: unknown, at: string): Decoded<string[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) return decodeError(at, value, 'a list of strings');
  const out: string[] = [];
  for (const [index, item] of value.entries()) {
    const decoded = decodeString(item, `${at}[${index}]`);
    if (!decoded.ok) return decoded;
    out.push(decoded.value);
  }
  return { ok: true, value: out };
}

/** A map of strings: absent or null is empty, a null value is "". */
export function decodeStringMap(value: unknown, at: string): Decoded<Record<string, string>> {
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (!isJsonObject(value)) return decodeError(at, value, 'a map of strings');
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const decoded = decodeString(item, `${at}[${key}]`);
    if (!decoded.ok) return decoded;
    out[key] = decoded.value;
  }
  return { ok: true, value: out };
}

/** A list of objects, each decoded by `item` (a null element is the zero value, given as {}). */
export function decodeObjectList<T>(value: unknown, at: string, item: (object: Record<string, unknown>, at: string) => Decoded<T>): Decoded<T[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) return decodeError(at, value, 'a list of objects');
  const out: T[] = [];
  for (const [index, element] of value.entries()) {
    const where = `${at}[${index}]`;
    if (element !== null && !isJsonObject(element)) return decodeError(where, element, 'an object');
    const decoded = item(element ?? {}, where);
    if (!decoded.ok) return decoded;
    out.push(decoded.value);
  }
  return { ok: true, value: out };
}
