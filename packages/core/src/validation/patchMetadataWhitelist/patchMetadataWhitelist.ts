// The patchPodMetadata whitelist of OpenKruise 1.9, read from its ConfigMap: key
// SidecarSet_PatchPodMetadata_WhiteList holds {"rules": [{"selector": <LabelSelector over SidecarSet
// labels>, "allowedAnnotationKeyExprs": ["<RE2 expression>", ...]}]}. Read once per ConfigMap
// version, not per admission: the text is decoded as Go decodes it and every expression compiled.
//
// Expressions are RE2 (Go's regexp), evaluated with re2js, whose matching is linear in the key. The
// ConfigMap is written by cluster admins, but a slow or huge whitelist would still stall every
// admission, so the text, the number of expressions, each one's length, its size estimated before
// compiling (and all of theirs together) and its compiled size are bounded here, and
// validatePatchMetadataWhitelist bounds the work of one admission.
import type { LabelSelector, LabelSelectorRequirement } from '@sidecarset/api';
import { RE2JS } from 're2js';
import { parseJsonWithinBudget } from '../../util/jsonTextBudget.js';
import { estimateProgramSize } from './programSizeEstimate.js';
import { decodeError, decodeObjectList, decodeString, decodeStringList, decodeStringMap, goField, isJsonObject, type Decoded } from './goJsonDecode.js';

/** OpenKruise's ConfigMap name, the webhook's default: a copy of a kruise-system one works unchanged. */
export const KRUISE_CONFIGURATION_NAME = 'kruise-configuration';
export const PATCH_METADATA_WHITELIST_KEY = 'SidecarSet_PatchPodMetadata_WhiteList';

/** Bounds of a whitelist (deliberate: OpenKruise has none). A whitelist over them is refused whole. */
export const WHITELIST_BOUNDS = {
  /** Characters of the key's JSON text. */
  maxLength: 64 * 1024,
  maxValues: 10_000,
  maxDepth: 16,
  /** allowedAnnotationKeyExprs of all rules together. */
  maxExpressions: 256,
  /** Instructions all expressions together are estimated to compile to (estimateProgramSize): compiling costs time in it. */
  maxEstimatedInstructions: 16_384,
} as const;

/** Bounds of one expression; one over them fails only the rules that select a SidecarSet, as a compile error does. */
export const EXPRESSION_BOUNDS = {
  maxLength: 1024,
  /** Instructions of the compiled program: matching costs up to (key length + 1) x this. */
  maxProgramSize: 4096,
  /** Estimated instructions over which an expression is not even compiled (the estimate is within about 2x: twice the bound). */
  maxEstimatedSize: 2 * 4096,
} as const;

export type AllowedKeyExpression =
  | { source: string; programSize: number; matches: (key: string) => boolean }
  | { source: string; error: string };

export interface WhitelistRule {
  /** Absent: the rule applies to every SidecarSet. `{}` selects every SidecarSet too. */
  selector?: LabelSelector;
  /** Set when the selector cannot be evaluated (an unknown operator): checking against the rule fails. */
  selectorError?: string;
  expressions: AllowedKeyExpression[];
}

/**
 * What the webhook knows of the whitelist. `source` names where it is read from, for messages
 * ("ConfigMap sidecarset-system/kruise-configuration").
 */
export type PatchMetadataWhitelist = (
  /** The ConfigMap does not exist, or has no whitelist key: no annotation may be patched. */
  | { kind: 'missing'; source: string }
  /** Not known (not loaded yet, or not readable): annotation patches are refused until it is. */
  | { kind: 'unknown'; source: string; reason: string }
  /** The key's text is not a whitelist (not JSON, wrong types, over the bounds). */
  | { kind: 'invalid'; source: string; reason: string }
  | { kind: 'rules'; source: string; rules: WhitelistRule[] }
) & {
  /**
   * OpenKruise's feature gate SidecarSetPatchPodMetadataDefaultsAllowed (off by default): a missing
   * whitelist, or one without a rule with expressions selecting the SidecarSet, then allows every key.
   */
  defaultsAllowed?: boolean;
};

export interface WhitelistOptions {
  defaultsAllowed?: boolean;
}

/** The whitelist in a ConfigMap's data; `undefined` data (no ConfigMap) or no key is `missing`. */
export function parsePatchMetadataWhitelist(data: Readonly<Record<string, unknown>> | undefined, source: string, options: WhitelistOptions = {}): PatchMetadataWhitelist {
  const parsed = parseWhitelistData(data, source);
  return options.defaultsAllowed ? { ...parsed, defaultsAllowed: true } : parsed;
}

function parseWhitelistData(data: Readonly<Record<string, unknown>> | undefined, source: string): PatchMetadataWhitelist {
  const text = data?.[PATCH_METADATA_WHITELIST_KEY];
  if (text === undefined || text === null) return { kind: 'missing', source };
  if (typeof text !== 'string') return { kind: 'invalid', source, reason: `key ${PATCH_METADATA_WHITELIST_KEY} is not a string` };
  const parsed = parseJsonWithinBudget(text, WHITELIST_BOUNDS);
  if (!parsed.ok) return { kind: 'invalid', source, reason: `key ${PATCH_METADATA_WHITELIST_KEY} ${parsed.reason}` };
  const decoded = decodeWhitelist(parsed.value);
  if (!decoded.ok) return { kind: 'invalid', source, reason: `key ${PATCH_METADATA_WHITELIST_KEY}: ${decoded.reason}` };
  const expressions = decoded.value.flatMap((rule) => rule.expressions);
  if (expressions.length > WHITELIST_BOUNDS.maxExpressions) {
    return { kind: 'invalid', source, reason: `key ${PATCH_METADATA_WHITELIST_KEY} has ${expressions.length} allowedAnnotationKeyExprs; at most ${WHITELIST_BOUNDS.maxExpressions} are read` };
  }
  const estimated = expressions.reduce((sum, expression) => sum + estimateProgramSize(expression.slice(0, EXPRESSION_BOUNDS.maxLength)), 0);
  if (estimated > WHITELIST_BOUNDS.maxEstimatedInstructions) {
    return {
      kind: 'invalid',
      source,
      reason: `the allowedAnnotationKeyExprs of key ${PATCH_METADATA_WHITELIST_KEY} compile to about ${estimated} instructions together; at most ${WHITELIST_BOUNDS.maxEstimatedInstructions} are compiled (write fewer or smaller repetitions)`,
    };
  }
  return { kind: 'rules', source, rules: decoded.value.map(compileRule) };
}

interface DecodedRule {
  selector?: LabelSelector;
  expressions: string[];
}

function decodeWhitelist(value: unknown): Decoded<DecodedRule[]> {
  if (value === null) return { ok: true, value: [] };
  if (!isJsonObject(value)) return decodeError('the whitelist', value, 'an object {"rules": [...]}');
  return decodeObjectList(goField(value, 'rules'), 'rules', decodeRule);
}

function decodeRule(rule: Record<string, unknown>, at: string): Decoded<DecodedRule> {
  const expressions = decodeStringList(goField(rule, 'allowedAnnotationKeyExprs'), `${at}.allowedAnnotationKeyExprs`);
  if (!expressions.ok) return expressions;
  const selector = goField(rule, 'selector');
  if (selector === undefined || selector === null) return { ok: true, value: { expressions: expressions.value } };
  const decoded = decodeSelector(selector, `${at}.selector`);
  if (!decoded.ok) return decoded;
  return { ok: true, value: { selector: decoded.value, expressions: expressions.value } };
}

function decodeSelector(selector: unknown, at: string): Decoded<LabelSelector> {
  if (!isJsonObject(selector)) return decodeError(at, selector, 'a label selector');
  const matchLabels = decodeStringMap(goField(selector, 'matchLabels'), `${at}.matchLabels`);
  if (!matchLabels.ok) return matchLabels;
  const matchExpressions = decodeObjectList(goField(selector, 'matchExpressions'), `${at}.matchExpressions`, decodeRequirement);
  if (!matchExpressions.ok) return matchExpressions;
  return { ok: true, value: { matchLabels: matchLabels.value, matchExpressions: matchExpressions.value } };
}

function decodeRequirement(requirement: Record<string, unknown>, at: string): Decoded<LabelSelectorRequirement> {
  const key = decodeString(goField(requirement, 'key'), `${at}.key`);
  if (!key.ok) return key;
  const operator = decodeString(goField(requirement, 'operator'), `${at}.operator`);
  if (!operator.ok) return operator;
  const values = decodeStringList(goField(requirement, 'values'), `${at}.values`);
  if (!values.ok) return values;
  return { ok: true, value: { key: key.value, operator: operator.value, values: values.value } };
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function compileRule(rule: DecodedRule, index: number): WhitelistRule {
  const compiled: WhitelistRule = { expressions: rule.expressions.map(compileExpression) };
  if (!rule.selector) return compiled;
  compiled.selector = rule.selector;
  // OpenKruise turns a selector into requirements without checking keys or values; only an
  // operator it does not know fails (and fails the whole check, whether the rule selects or not).
  const unknown = (rule.selector.matchExpressions ?? []).find((requirement) => !OPERATORS.has(requirement.operator));
  if (unknown) compiled.selectorError = `rules[${index}].selector: operator ${JSON.stringify(unknown.operator)} is not one of In, NotIn, Exists, DoesNotExist`;
  return compiled;
}

function compileExpression(source: string): AllowedKeyExpression {
  if (source.length > EXPRESSION_BOUNDS.maxLength) {
    return { source: `${source.slice(0, 64)}…`, error: `is longer than ${EXPRESSION_BOUNDS.maxLength} characters` };
  }
  const estimate = estimateProgramSize(source);
  if (estimate > EXPRESSION_BOUNDS.maxEstimatedSize) {
    return { source, error: `compiles to about ${estimate} instructions; at most ${EXPRESSION_BOUNDS.maxProgramSize} are run (write fewer or smaller repetitions)` };
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(source);
  } catch (error) {
    return { source, error: `is not a valid RE2 expression: ${(error as Error).message}` };
  }
  const programSize = regex.programSize();
  if (programSize > EXPRESSION_BOUNDS.maxProgramSize) {
    return { source, error: `compiles to ${programSize} instructions; at most ${EXPRESSION_BOUNDS.maxProgramSize} are run (write fewer or smaller repetitions)` };
  }
  // Go's MatchString: a match anywhere in the key, unless the expression anchors it.
  return { source, programSize, matches: (key) => regex.matcher(key).find() };
}
