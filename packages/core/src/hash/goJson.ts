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

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A JSON value with every object's keys sorted, as Go writes a `map[string]interface{}`.
 * `undefined` members are left out; `undefined` at the top level is written as `null`.
 */
export function goJsonStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return goJsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(goJsonStringify).join(',')}]`;
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort(byteOrder)) {
        if (record[key] === undefined) continue;
        parts.push(`${goJsonString(key)}:${goJsonStringify(record[key])}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return 'null';
  }
}
