// An IntOrString field counting pods: a non-negative integer or a percentage "N%" from 0 to 100
// (appsvalidation.ValidatePositiveIntOrPercent plus the 100% ceiling).
import type { FieldError } from '@sidecarset/api';
import { invalid, typeInvalid } from './fieldErrors.js';

const PERCENT = /^(\d+)%$/;

export function validateIntOrPercent(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return [invalid(path, value, 'must be a whole number of pods or a percentage such as "10%"')];
    return value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
  }
  if (typeof value === 'string') {
    const match = PERCENT.exec(value);
    if (!match) return [invalid(path, value, 'must be an integer or a percentage such as "10%" (a number in quotes is neither: write 5 or "5%")')];
    return Number(match[1]) > 100 ? [invalid(path, value, 'must not be more than 100%')] : [];
  }
  return [typeInvalid(path, value, 'must be an integer or a percentage string such as "10%"')];
}
