// spec.patchPodMetadata: pod annotations written at injection.
import type { FieldError } from '@sidecarset/api';
import { checkEnum, duplicate, invalid, invalidEach, isObject, keyPath, listAt, required, typeInvalid } from './fieldErrors.js';
import { qualifiedName } from './k8sNames.js';

export const PATCH_POLICIES = ['Retain', 'Overwrite', 'MergePatchJson'] as const;

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
    for (const [key, value] of Object.entries(annotations)) {
      const where = keyPath(`${at}.annotations`, key);
      errors.push(...invalidEach(where, key, qualifiedName(key.toLowerCase())));
      if (typeof value !== 'string') {
        errors.push(typeInvalid(where, value, 'an annotation value must be a string; quote it, or for MergePatchJson write the JSON as a string'));
      } else if (patch.patchPolicy === 'MergePatchJson' && !isJsonObject(value)) {
        errors.push(invalid(where, value, 'with patchPolicy MergePatchJson the value must be a JSON object, e.g. \'{"key":"value"}\''));
      }
      const first = keys.get(key);
      if (first) errors.push(duplicate(where, key, `annotation ${key} is already patched by ${first}; patch each key once`));
      else keys.set(key, at);
    }
  });
  return errors;
}

function isJsonObject(text: string): boolean {
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}
