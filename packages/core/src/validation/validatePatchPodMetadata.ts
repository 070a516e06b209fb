// spec.patchPodMetadata: pod annotations written at injection.
import type { FieldError } from '@sidecarset/api';
import { ANNOTATION_JSON_BUDGET, parseJsonWithinBudget } from '../util/jsonTextBudget.js';
import { checkEnum, duplicate, invalid, invalidEach, isObject, keyPath, listAt, required, tooLong, typeInvalid } from './fieldErrors.js';
import { qualifiedName } from './k8sNames.js';

export const PATCH_POLICIES = ['Retain', 'Overwrite', 'MergePatchJson'] as const;
/** 256 KiB: the most all annotations of an object may take (apimachinery's TotalAnnotationSizeLimitB). */
const ANNOTATIONS_TOTAL_MAX = 256 * 1024;
const encoder = new TextEncoder();
const utf8Length = (text: string): number => encoder.encode(text).length;

export function validatePatchPodMetadata(patches: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Map<string, string>();
  listAt(patches, path, errors).forEach((patch, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(patch)) return void errors.push(typeInvalid(at, patch, 'must be an object {annotations, patchPolicy}'));
    errors.push(...checkEnum(`${at}.patchPolicy`, patch.patchPolicy, PATCH_POLICIES));
    const annotations = patch.annotations;
    if (!isObject(annotations) || Object.keys(annotations).length === 0) {
      if (annotations !== undefined && annotations !== null && !isObject(annotations)) {
        errors.push(typeInvalid(`${at}.annotations`, annotations, 'must be a map of annotation keys to string values'));
      } else errors.push(required(`${at}.annotations`, 'a patch needs at least one annotation'));
      return;
    }
    // The API server's limit on a pod's annotations (TotalAnnotationSizeLimitB), which OpenKruise
    // checks on each patch's annotations: keys and values together, in UTF-8 bytes.
    const size = Object.entries(annotations).reduce((sum, [key, value]) => sum + utf8Length(key) + (typeof value === 'string' ? utf8Length(value) : 0), 0);
    if (size > ANNOTATIONS_TOTAL_MAX) {
      errors.push(tooLong(`${at}.annotations`, undefined, `may not be more than ${ANNOTATIONS_TOTAL_MAX} bytes (keys and values together): all annotations of a pod together may not be longer`));
    }
    for (const [key, value] of Object.entries(annotations)) {
      const where = keyPath(`${at}.annotations`, key);
      errors.push(...invalidEach(where, key, qualifiedName(key.toLowerCase())));
      if (typeof value !== 'string') {
        errors.push(typeInvalid(where, value, 'an annotation value must be a string; quote it, or for MergePatchJson write the JSON as a string'));
      } else if (value.length > ANNOTATION_JSON_BUDGET.maxLength) {
        errors.push(tooLong(where, value, `must be at most ${ANNOTATION_JSON_BUDGET.maxLength} characters: all annotations of a pod together may not be longer`));
      } else if (patch.patchPolicy === 'MergePatchJson') {
        const parsed = parseJsonWithinBudget(value, ANNOTATION_JSON_BUDGET);
        if (!parsed.ok || !isObject(parsed.value)) {
          const why = parsed.ok ? '' : ` (it ${parsed.reason})`;
          errors.push(invalid(where, value, `with patchPolicy MergePatchJson the value must be a JSON object, e.g. '{"key":"value"}'${why}`));
        }
      }
      const first = keys.get(key);
      if (first) errors.push(duplicate(where, key, `annotation ${key} is already patched by ${first}; patch each key once`));
      else keys.set(key, at);
    }
  });
  return errors;
}
