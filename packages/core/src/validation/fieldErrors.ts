// Small constructors for FieldError values, so each rule reads as one line: what, where, why.
import type { FieldError } from '@sidecarset/api';

export const required = (path: string, reason: string): FieldError => ({ path, type: 'Required', reason });
export const invalid = (path: string, value: unknown, reason: string): FieldError => ({ path, type: 'Invalid', reason, value });
export const forbidden = (path: string, reason: string): FieldError => ({ path, type: 'Forbidden', reason });
export const duplicate = (path: string, value: unknown, reason: string): FieldError => ({ path, type: 'Duplicate', reason, value });
export const typeInvalid = (path: string, value: unknown, reason: string): FieldError => ({ path, type: 'TypeInvalid', reason, value });
export const tooLong = (path: string, value: unknown, reason: string): FieldError => ({ path, type: 'TooLong', reason, value });

export function notSupported(path: string, value: unknown, supported: readonly string[]): FieldError {
  return { path, type: 'NotSupported', reason: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, value };
}

/** `base[key]`, the API server's spelling of a map entry in a field path. */
export const keyPath = (base: string, key: string): string => `${base}[${key}]`;

/** Every message of a syntax check, as Invalid errors at one path. */
export const invalidEach = (path: string, value: unknown, messages: readonly string[]): FieldError[] =>
  messages.map((reason) => invalid(path, value, reason));

/** Checks an optional enum field: nothing when absent, NotSupported when not one of the values. */
export function checkEnum(path: string, value: unknown, supported: readonly string[]): FieldError[] {
  if (value === undefined || value === null) return [];
  return typeof value === 'string' && supported.includes(value) ? [] : [notSupported(path, value, supported)];
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The items of an optional list field, or a TypeInvalid error when it is not a list. */
export function listAt(value: unknown, path: string, errors: FieldError[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  errors.push(typeInvalid(path, value, 'must be a list'));
  return [];
}
