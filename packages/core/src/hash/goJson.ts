// JSON text the way Go's encoding/json writes it for maps and plain values: map keys sorted by
// byte order, no whitespace, and `<`, `>`, `&`, U+2028, U+2029 escaped as \u003c etc. Used where
// we write a value OpenKruise also writes (pod annotations), so both produce the same bytes.

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const NEEDS_GO_ESCAPE = /[<>&\u2028\u2029]/g;

/** A JSON string literal as Go writes it. */
export function goJsonString(value: string): string {
  const json = JSON.stringify(value);
  return NEEDS_GO_ESCAPE.test(json) ? json.replace(NEEDS_GO_ESCAPE, (ch) => GO_ESCAPES[ch]!) : json;
}

/**
 * A JSON value with every object's keys sorted, as Go writes a `map[string]interface{}`.
 * `undefined` members are left out; `undefined` at the top level is written as `null`.
 * Linear and allocation-light: strings are written with JSON.stringify and the Go escapes applied
 * once to the whole text (the characters escaped only ever occur inside strings).
 */
export function goJsonStringify(value: unknown): string {
  // A copy with sorted keys, written by JSON.stringify, is twice as fast as writing it here; but
  // JavaScript puts integer-like keys first, so an object that has one is written here instead.
  const sorted = sortedCopy(value);
  const json = sorted === UNSORTABLE ? canonicalJson(value) : value === undefined ? 'null' : JSON.stringify(sorted);
  return NEEDS_GO_ESCAPE.test(json) ? json.replace(NEEDS_GO_ESCAPE, (ch) => GO_ESCAPES[ch]!) : json;
}

const UNSORTABLE = Symbol('unsortable');
const isArrayIndex = (key: string): boolean => {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
};

/** The value with every object's keys in sorted order (JSON data only), or UNSORTABLE. */
function sortedCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i]);
      if (item === UNSORTABLE) return UNSORTABLE;
      out[i] = item;
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (isArrayIndex(key)) return UNSORTABLE;
    const member = sortedCopy(record[key]);
    if (member === UNSORTABLE) return UNSORTABLE;
    if (key === '__proto__') Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
    else out[key] = member;
  }
  return out;
}

function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units, as `<` does.
      const keys = Object.keys(record).sort();
      let out = '{';
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
      }
      return `${out}}`;
    }
    default:
      return 'null';
  }
}
