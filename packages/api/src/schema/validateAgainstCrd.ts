// Validates an object against its CRD's openAPIV3Schema the way the API server does with strict
// field validation (kubectl's default): wrong types, enums, patterns, missing required fields and
// unknown fields, each reported at its field path. Semantic rules live in @sidecarset/core.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schemas from '../generated/openApiSchemas.json' with { type: 'json' };
import { fieldPath, type FieldError } from '../fieldError.js';
import { strictSchema } from './strictSchema.js';

export type ValidatedKind = keyof typeof schemas;

const compiled = new Map<ValidatedKind, ValidateFunction>();

function validatorFor(kind: ValidatedKind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    // x-kubernetes-* keywords and Kubernetes formats (int32, byte, ...) mean nothing to Ajv.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validate = ajv.compile(strictSchema(schemas[kind]));
    compiled.set(kind, validate);
  }
  return validate;
}

export const isValidatedKind = (kind: unknown): kind is ValidatedKind =>
  typeof kind === 'string' && Object.hasOwn(schemas, kind);

export function validateAgainstCrd(kind: ValidatedKind, object: unknown): FieldError[] {
  const validate = validatorFor(kind);
  if (validate(withoutNulls(object))) return [];
  return toFieldErrors(validate.errors ?? []);
}

function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  // For an int-or-string field Ajv reports both failed branches and the anyOf; keep only the anyOf.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && anyOfPaths.has(error.instancePath) && error.schemaPath.includes('/anyOf/')) continue;
    const fieldError = toFieldError(error);
    const key = `${fieldError.path}\u0000${fieldError.reason}`;
    if (!seen.has(key)) out.push(fieldError);
    seen.add(key);
  }
  return out;
}

function toFieldError(error: ErrorObject): FieldError {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: fieldPath([...segments, String(params.missingProperty)]), type: 'Required', reason: 'Required value' };
    case 'additionalProperties':
      return { path: fieldPath([...segments, String(params.additionalProperty)]), type: 'UnknownField', reason: 'unknown field' };
    case 'type':
      return { path: fieldPath(segments), type: 'TypeInvalid', reason: `must be ${article(String(params.type))}` };
    case 'anyOf':
      return { path: fieldPath(segments), type: 'TypeInvalid', reason: 'must be an integer or a string' };
    case 'enum':
      return {
        path: fieldPath(segments),
        type: 'NotSupported',
        reason: `supported values: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'pattern':
      return { path: fieldPath(segments), type: 'Invalid', reason: `must match ${String(params.pattern)}` };
    default:
      return { path: fieldPath(segments), type: 'Invalid', reason: error.message ?? 'invalid value' };
  }
}

const article = (type: string): string =>
  ({ object: 'an object (a map of fields)', array: 'a list', integer: 'an integer', string: 'a string', boolean: 'true or false' })[type] ??
  type;

// The API server prunes null values of fields that are not nullable before validating; none of ours are.
// Copies only what holds a null member, so a large object without one costs one walk, no allocation.
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const kept = withoutNulls(item);
      if (kept !== item) (copy ??= value.slice())[index] = kept;
    });
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const member = record[key];
    if (member === null) {
      copy ??= { ...record };
      delete copy[key];
    } else {
      const kept = withoutNulls(member);
      // defineProperty: a "__proto__" key stays a plain member.
      if (kept !== member) Object.defineProperty((copy ??= { ...record }), key, { value: kept, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy ?? record;
}
