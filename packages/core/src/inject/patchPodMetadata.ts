// spec.patchPodMetadata: annotations a SidecarSet writes on the pods it injects, as OpenKruise's
// PatchPodMetadata applies them:
// - Retain (default): set only keys the pod does not have;
// - Overwrite: set every key;
// - MergePatchJson: the value is an RFC 7386 merge patch applied to the pod's JSON value (written back
//   with sorted keys, as Go re-encodes it); a key the pod lacks (or has empty) gets the value as is.
// Works on a mutable copy of the annotations; returns the errors (unparsable JSON) as values.
import type { FieldError, SidecarSetPatchPodMetadata } from '@sidecarset/api';
import { goJsonStringify } from '../hash/goJson.js';
import { applyMergePatch } from '../patch/mergePatch.js';
import { ANNOTATION_JSON_BUDGET, parseJsonWithinBudget } from '../util/jsonTextBudget.js';

export function patchPodMetadata(
  annotations: Record<string, string>,
  patches: readonly SidecarSetPatchPodMetadata[] | undefined,
  sidecarSetName: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!patches) return errors;
  patches.forEach((patch, index) => {
    for (const [key, value] of Object.entries(patch.annotations ?? {})) {
      if (value === undefined) continue;
      switch (patch.patchPolicy ?? 'Retain') {
        case 'Retain':
          if (!Object.hasOwn(annotations, key)) annotations[key] = value;
          break;
        case 'Overwrite':
          annotations[key] = value;
          break;
        case 'MergePatchJson': {
          const origin = annotations[key];
          if (!origin) {
            annotations[key] = value;
            break;
          }
          // The pod's value is its author's text: parsed only within a bound (see ANNOTATION_JSON_BUDGET).
          const podValue = parseJsonWithinBudget(origin, ANNOTATION_JSON_BUDGET);
          const patchValue = parseJsonWithinBudget(value, ANNOTATION_JSON_BUDGET);
          if (podValue.ok && patchValue.ok) {
            annotations[key] = goJsonStringify(applyMergePatch(podValue.value, patchValue.value));
            break;
          }
          const problem = !podValue.ok ? `the pod's value ${podValue.reason}` : !patchValue.ok ? `the patch ${patchValue.reason}` : '';
          errors.push({
            path: `spec.patchPodMetadata[${index}].annotations[${key}]`,
            type: 'Invalid',
            reason: `SidecarSet "${sidecarSetName}": cannot merge-patch the pod's annotation ${key}: ${problem}`,
            value,
          });
          break;
        }
      }
    }
  });
  return errors;
}
