// resourcesPolicy sizes a sidecar from the pod's containers at injection (OpenKruise's
// applyResourcesPolicy). Sidecarset does not compute it yet, so a SidecarSet with one is refused when
// it is applied (validateResourcesPolicy); one stored without our webhook (by OpenKruise before a move,
// or while the webhook was away) denies the pods it selects, naming the field, rather than injecting a
// sidecar without the resources its YAML asks for.
import type { FieldError, SidecarSet } from '@sidecarset/api';
import { RESOURCES_POLICY_NOT_SUPPORTED } from '../validation/validateResourcesPolicy.js';

export function unsupportedResourcesPolicies(sidecarSet: SidecarSet): FieldError[] {
  const errors: FieldError[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    (sidecarSet.spec[list] ?? []).forEach((container, index) => {
      if (container.resourcesPolicy !== undefined && container.resourcesPolicy !== null) {
        errors.push({ path: `spec.${list}[${index}].resourcesPolicy`, type: 'Forbidden', reason: RESOURCES_POLICY_NOT_SUPPORTED });
      }
    });
  }
  return errors;
}
