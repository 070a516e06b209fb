// metav1validation.ValidateLabelSelector: label keys and values of matchLabels, and for each
// matchExpressions requirement a known operator, a valid key, and values only where the operator
// takes them. Errors carry exact paths: `spec.selector.matchExpressions[0].values[1]`.
import type { FieldError, LabelSelector } from '@sidecarset/api';
import { labelValue, qualifiedName } from '../validation/k8sNames.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** A key quoted in a message: its first 64 characters (the key itself is the error's value). */
const quotedPrefix = (key: string): string => JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);

export function validateLabelSelector(selector: LabelSelector | undefined, path: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  const errors: FieldError[] = [];
  if (typeof selector !== 'object' || Array.isArray(selector)) {
    return [{ path, type: 'TypeInvalid', reason: 'must be an object with matchLabels and/or matchExpressions', value: selector }];
  }
  for (const key of Object.keys(selector)) {
    if (key === 'matchLabels' || key === 'matchExpressions') continue;
    errors.push({
      path: `${path}.${key}`,
      type: 'UnknownField',
      reason: `unknown field: a selector has only matchLabels and matchExpressions; if "${key}" is a label, indent it under matchLabels`,
      value: (selector as Record<string, unknown>)[key],
    });
  }
  const matchLabels: unknown = selector.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) {
      errors.push({ path: `${path}.matchLabels`, type: 'TypeInvalid', reason: 'must be a map of label keys to values, e.g. {app: nginx}', value: matchLabels });
    } else {
      for (const [key, value] of Object.entries(matchLabels as Record<string, unknown>)) {
        const at = `${path}.matchLabels[${key}]`;
        for (const reason of qualifiedName(key)) errors.push({ path: at, type: 'Invalid', reason: `label key ${quotedPrefix(key)}: ${reason}`, value: key });
        if (typeof value !== 'string') {
          errors.push({ path: at, type: 'TypeInvalid', reason: 'a label value must be a string; quote it, e.g. "true"', value });
        } else {
          for (const reason of labelValue(value)) errors.push({ path: at, type: 'Invalid', reason, value });
        }
      }
    }
  }
  const expressions: unknown = selector.matchExpressions;
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) {
      errors.push({ path: `${path}.matchExpressions`, type: 'TypeInvalid', reason: 'must be a list of {key, operator, values}', value: expressions });
    } else {
      expressions.forEach((requirement: unknown, index) => errors.push(...validateRequirement(requirement, `${path}.matchExpressions[${index}]`)));
    }
  }
  return errors;
}

function validateRequirement(requirement: unknown, path: string): FieldError[] {
  if (typeof requirement !== 'object' || requirement === null || Array.isArray(requirement)) {
    return [{ path, type: 'TypeInvalid', reason: 'must be an object {key, operator, values}', value: requirement }];
  }
  const { key, operator, values } = requirement as { key?: unknown; operator?: unknown; values?: unknown };
  const errors: FieldError[] = [];
  if (typeof key !== 'string' || key === '') {
    errors.push({ path: `${path}.key`, type: 'Required', reason: 'the label key this requirement tests is required' });
  } else {
    for (const reason of qualifiedName(key)) errors.push({ path: `${path}.key`, type: 'Invalid', reason, value: key });
  }
  const list = Array.isArray(values) ? (values as unknown[]) : [];
  if (values !== undefined && values !== null && !Array.isArray(values)) {
    errors.push({ path: `${path}.values`, type: 'TypeInvalid', reason: 'must be a list of strings', value: values });
  }
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (list.length === 0) {
        errors.push({ path: `${path}.values`, type: 'Required', reason: `must be specified when \`operator\` is 'In' or 'NotIn'` });
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (list.length > 0) {
        errors.push({ path: `${path}.values`, type: 'Forbidden', reason: `may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'` });
      }
      break;
    case undefined:
    case '':
      errors.push({ path: `${path}.operator`, type: 'Required', reason: `one of ${OPERATORS.join(', ')} is required` });
      break;
    default:
      errors.push({ path: `${path}.operator`, type: 'NotSupported', reason: `supported values: ${OPERATORS.map((o) => `"${o}"`).join(', ')}`, value: operator });
  }
  list.forEach((value, index) => {
    const at = `${path}.values[${index}]`;
    if (typeof value !== 'string') errors.push({ path: at, type: 'TypeInvalid', reason: 'a label value must be a string; quote it, e.g. "true"', value });
    else for (const reason of labelValue(value)) errors.push({ path: at, type: 'Invalid', reason, value });
  });
  return errors;
}
