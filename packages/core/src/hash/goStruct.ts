// A JSON value read into Go structs and written back, as encoding/json does it: fields in declaration
// order, `omitempty` leaving out "", 0, false, nil and empty slices and maps but never a struct (so
// `"resources":{}` is always written), fields without `omitempty` always written (a zero value when
// absent: `"divisor":"0"`, `"service":null`), map keys sorted, quantities in canonical form, values
// of a type with its own MarshalJSON (type `json`: metav1.Time) as they are, and members the Go type
// does not have dropped. OpenKruise's SidecarSet hash is sha256 over this text for
// its SidecarContainer (goSidecarContainer.ts has the layout), and its webhook stores what it writes.
import { canonicalQuantity } from '../validation/quantity.js';
import { goJsonString, goJsonStringify } from './goJson.js';

/** [JSON name ('' for an embedded struct), type, omitempty] */
export type GoField = readonly [name: string, type: string, omitempty: boolean];
export type GoStructs = Readonly<Record<string, readonly GoField[]>>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNil = (value: unknown): value is null | undefined => value === null || value === undefined;

/** encoding/json's omitempty test; structs (and quantity, intOrString, which are structs in Go) are never empty. */
function isEmpty(value: unknown, type: string): boolean {
  if (isNil(value)) return type === 'string' || type === 'int' || type === 'bool' || type.startsWith('*') || type.startsWith('[]') || type.startsWith('map[]');
  if (type === 'string') return value === '';
  if (type === 'int') return value === 0;
  if (type === 'bool') return value === false;
  if (type.startsWith('[]')) return Array.isArray(value) && value.length === 0;
  if (type.startsWith('map[]')) return isRecord(value) && Object.keys(value).length === 0;
  return false;
}

const quantityText = (value: unknown): string => (isNil(value) ? '0' : (canonicalQuantity(value) ?? String(value)));

/** The text encoding/json writes for `value` read into the Go type `type`. */
export function goStructJson(value: unknown, type: string, structs: GoStructs): string {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? goJsonString(value) : isNil(value) ? '""' : goJsonStringify(value);
    case 'int':
      return isNil(value) ? '0' : goJsonStringify(value);
    case 'bool':
      return isNil(value) ? 'false' : goJsonStringify(value);
    case 'quantity':
      return goJsonString(quantityText(value));
    case 'intOrString':
      return isNil(value) ? '0' : goJsonStringify(value);
    case 'json':
      return isNil(value) ? 'null' : goJsonStringify(value);
  }
  if (type.startsWith('*')) return isNil(value) ? 'null' : goStructJson(value, type.slice(1), structs);
  if (type.startsWith('[]')) {
    if (!Array.isArray(value)) return 'null';
    const element = type.slice(2);
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + goStructJson(value[i], element, structs);
    return `${out}]`;
  }
  if (type.startsWith('map[]')) {
    if (!isRecord(value)) return 'null';
    const element = type.slice(5);
    let out = '{';
    for (const key of Object.keys(value).sort()) out += `${out.length === 1 ? '' : ','}${goJsonString(key)}:${goStructJson(value[key], element, structs)}`;
    return `${out}}`;
  }
  const members: string[] = [];
  forEachField(value, type, structs, (name, fieldType, fieldValue) => members.push(`${goJsonString(name)}:${goStructJson(fieldValue, fieldType, structs)}`));
  return `{${members.join(',')}}`;
}

/**
 * The JSON value of goStructJson's text, except that members the Go type does not know are kept
 * (after the known ones), and members Go writes as null are left out: what OpenKruise's webhook
 * stores, without forgetting fields of Kubernetes releases newer than the one it is built with, and
 * without the nulls a CRD schema refuses in a webhook's patch (`grpc.service`). A value of the wrong
 * JSON type (which Go would refuse to read) is left as it is, for validation to report.
 */
export function goStructValue(value: unknown, type: string, structs: GoStructs): unknown {
  switch (type) {
    case 'string':
      return isNil(value) ? '' : value;
    case 'int':
      return isNil(value) ? 0 : value;
    case 'bool':
      return isNil(value) ? false : value;
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number' || isNil(value) ? quantityText(value) : value;
    case 'intOrString':
      return isNil(value) ? 0 : value;
    case 'json':
      return isNil(value) ? null : value;
  }
  if (type.startsWith('*')) return isNil(value) ? null : goStructValue(value, type.slice(1), structs);
  if (type.startsWith('[]')) return Array.isArray(value) ? value.map((element) => goStructValue(element, type.slice(2), structs)) : isNil(value) ? null : value;
  if (type.startsWith('map[]')) {
    if (!isRecord(value)) return isNil(value) ? null : value;
    const element = type.slice(5);
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, goStructValue(value[key], element, structs)]));
  }
  if (!isNil(value) && !isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const known = new Set<string>();
  forEachField(value, type, structs, (name, fieldType, fieldValue) => {
    const member = goStructValue(fieldValue, fieldType, structs);
    if (member !== null) out[name] = member;
  }, known);
  if (isRecord(value)) for (const [key, member] of Object.entries(value)) if (!known.has(key) && member !== undefined) out[key] = member;
  return out;
}

/** Calls `write` for each field encoding/json writes, in its order, embedded structs' fields in their place. */
function forEachField(value: unknown, type: string, structs: GoStructs, write: (name: string, type: string, value: unknown) => void, known?: Set<string>): void {
  const fields = structs[type];
  if (!fields) throw new Error(`no Go layout for ${type}`);
  const record = isRecord(value) ? value : {};
  for (const [name, fieldType, omitempty] of fields) {
    if (name === '') {
      forEachField(record, fieldType, structs, write, known);
      continue;
    }
    known?.add(name);
    const member = record[name];
    if (omitempty && isEmpty(member, fieldType)) continue;
    write(name, fieldType, member);
  }
}
