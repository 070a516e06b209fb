// A `NAMESPACE/NAME` in a SidecarSet volume: the namespace a DNS-1123 label, the name a DNS-1123
// subdomain, one '/'. A plain name (no '/') is not checked here: it keeps its usual meaning.
import type { FieldError } from '@sidecarset/api';
import { invalid } from '../validation/fieldErrors.js';
import { dns1123Label, dns1123Subdomain } from '../validation/k8sNames.js';
import { splitSourceRef } from './source.js';

export function validateSourceRef(value: unknown, path: string): FieldError[] {
  if (typeof value !== 'string') return [];
  const split = splitSourceRef(value);
  if (!split) return [];
  const shown = value.length > 300 ? `${value.slice(0, 300)}...` : value;
  const errors: FieldError[] = [];
  const namespaceProblems = split.namespace === '' ? ['must not be empty'] : dns1123Label(split.namespace);
  if (namespaceProblems.length > 0) errors.push(invalid(path, shown, `NAMESPACE/NAME: the namespace "${clip(split.namespace)}" ${namespaceProblems.join('; ')}`));
  if (split.name.includes('/')) {
    errors.push(invalid(path, shown, 'NAMESPACE/NAME takes exactly one "/"'));
  } else {
    const nameProblems = split.name === '' ? ['must not be empty'] : dns1123Subdomain(split.name);
    if (nameProblems.length > 0) errors.push(invalid(path, shown, `NAMESPACE/NAME: the name "${clip(split.name)}" ${nameProblems.join('; ')}`));
  }
  return errors;
}

const clip = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}...` : text);
