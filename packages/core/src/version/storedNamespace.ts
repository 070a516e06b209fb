// A v1alpha1 `spec.namespace` is stored (v1beta1) as the namespaceSelector naming that namespace, and
// read back through v1alpha1 as that selector alone. `kubectl apply` of the original manifest then
// sends the namespace again next to it: the two say the same, so validation must take them together.
import type { LabelSelector } from '@sidecarset/api';
import { NAMESPACE_NAME_LABEL } from '../validation/sidecarSetScope.js';

/** True when `selector` is exactly what the conversion to v1beta1 makes of `namespace`. */
export function isStoredNamespaceSelector(namespace: unknown, selector: unknown): boolean {
  if (typeof namespace !== 'string' || namespace === '' || typeof selector !== 'object' || selector === null || Array.isArray(selector)) return false;
  const { matchLabels, matchExpressions, ...rest } = selector as LabelSelector & Record<string, unknown>;
  if (Object.keys(rest).length > 0 || (matchExpressions !== undefined && (!Array.isArray(matchExpressions) || matchExpressions.length > 0))) return false;
  return typeof matchLabels === 'object' && matchLabels !== null && Object.keys(matchLabels).length === 1 && matchLabels[NAMESPACE_NAME_LABEL] === namespace;
}
