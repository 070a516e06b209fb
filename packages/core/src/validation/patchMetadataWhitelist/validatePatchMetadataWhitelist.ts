// A SidecarSet may patch a pod annotation only when the whitelist allows that key for it, as
// OpenKruise 1.9 decides when a SidecarSet is created or updated (on every update, changed
// patchPodMetadata or not): without patchPodMetadata there is nothing to check; without a whitelist,
// or without a rule whose selector selects the SidecarSet's labels (a rule without selector selects
// every SidecarSet), patchPodMetadata is refused; otherwise every annotation key must be matched,
// anywhere in the key, by an allowedAnnotationKeyExprs of a selecting rule. An expression that does
// not compile in a selecting rule, or a selector with an unknown operator in any rule, refuses too.
// With OpenKruise's gate SidecarSetPatchPodMetadataDefaultsAllowed (whitelist.defaultsAllowed), no
// whitelist, or no rule for the SidecarSet, allows every key instead.
// Pods are not checked: a SidecarSet stored before the whitelist changed keeps patching, as there.
import type { FieldError, SidecarSet } from '@sidecarset/api';
import { labelSelectorMatches } from '../../labels/labelSelector.js';
import { forbidden, invalid, isObject, keyPath } from '../fieldErrors.js';
import type { AllowedKeyExpression, PatchMetadataWhitelist } from './patchMetadataWhitelist.js';
import { PATCH_METADATA_WHITELIST_KEY } from './patchMetadataWhitelist.js';

const PATH = 'spec.patchPodMetadata';

/** An annotation key is at most 253 + 1 + 63 characters (a qualified name); a longer one is invalid anyway and never matched. */
export const ANNOTATION_KEY_MAX = 317;

/**
 * Instruction steps one admission may spend matching keys, counted before matching starts as
 * (key length + 1) x (program size) summed over every key and allowed expression: a few tens of
 * milliseconds at most. Usual whitelists use a small fraction of it.
 */
export const WHITELIST_MATCH_BUDGET = 1 << 22;

export function validatePatchMetadataWhitelist(sidecarSet: SidecarSet, whitelist: PatchMetadataWhitelist): FieldError[] {
  const patches: unknown = sidecarSet.spec?.patchPodMetadata;
  if (!Array.isArray(patches) || patches.length === 0) return [];
  const where = `${whitelist.source}, key ${PATCH_METADATA_WHITELIST_KEY}`;
  switch (whitelist.kind) {
    case 'missing':
      if (whitelist.defaultsAllowed) return [];
      return [
        forbidden(
          PATH,
          `no whitelist allows this SidecarSet to patch pod annotations: ${whitelist.source} does not exist or has no key ${PATCH_METADATA_WHITELIST_KEY} (OpenKruise's format: {"rules":[{"selector":{"matchLabels":{...}},"allowedAnnotationKeyExprs":["^example\\.com/.*"]}]})`,
        ),
      ];
    case 'unknown':
      return [forbidden(PATH, `the whitelist of pod annotations (${where}) is not known: ${whitelist.reason}; retry`)];
    case 'invalid':
      return [forbidden(PATH, `the whitelist of pod annotations (${where}) cannot be read: ${whitelist.reason}`)];
    case 'rules':
      break;
  }

  const labels = sidecarSet.metadata?.labels ?? {};
  const allowed: Extract<AllowedKeyExpression, { matches: unknown }>[] = [];
  for (const [index, rule] of whitelist.rules.entries()) {
    if (rule.selectorError) return [forbidden(PATH, `the whitelist (${where}) cannot be applied: ${rule.selectorError}`)];
    if (rule.selector && !labelSelectorMatches(rule.selector, labels)) continue;
    for (const expression of rule.expressions) {
      if ('error' in expression) {
        return [invalid(PATH, expression.source, `the whitelist (${where}) cannot be applied: rules[${index}].allowedAnnotationKeyExprs ${JSON.stringify(expression.source)} ${expression.error}`)];
      }
      allowed.push(expression);
    }
  }
  if (allowed.length === 0) {
    if (whitelist.defaultsAllowed) return [];
    return [forbidden(PATH, `no rule of the whitelist (${where}) with allowedAnnotationKeyExprs selects this SidecarSet by its labels: it may not patch pod annotations`)];
  }

  const keys = patchedKeys(patches);
  const programs = allowed.reduce((sum, expression) => sum + expression.programSize, 0);
  const cost = keys.reduce((sum, { key }) => sum + (Math.min(key.length, ANNOTATION_KEY_MAX) + 1) * programs, 0);
  if (cost > WHITELIST_MATCH_BUDGET) {
    return [forbidden(PATH, `checking ${keys.length} annotation keys against ${allowed.length} whitelist expressions (${programs} instructions) is more work than one admission may do; patch fewer keys, or simplify the expressions`)];
  }
  const errors: FieldError[] = [];
  for (const { key, path } of keys) {
    if (key.length <= ANNOTATION_KEY_MAX && allowed.some((expression) => expression.matches(key))) continue;
    errors.push(forbidden(path, `annotation ${key.length > 64 ? `${key.slice(0, 64)}…` : key} is not allowed: no allowedAnnotationKeyExprs of a whitelist rule selecting this SidecarSet (${where}) matches it`));
  }
  return errors;
}

function patchedKeys(patches: unknown[]): { key: string; path: string }[] {
  const keys: { key: string; path: string }[] = [];
  patches.forEach((patch, index) => {
    if (!isObject(patch) || !isObject(patch.annotations)) return;
    for (const key of Object.keys(patch.annotations)) keys.push({ key, path: keyPath(`${PATH}[${index}].annotations`, key) });
  });
  return keys;
}
