// A sidecar's resourcesPolicy, checked as OpenKruise 1.9's validateResourcesPolicy checks it (its CRD
// requires targetContainersMode, one of sum | max, and resourcesExpr, and defaults
// targetContainersNameRegex to ".*"): not together with resources; a regex that compiles (RE2 syntax,
// as Go's regexp) and is not empty; at least one of resourcesExpr.limits and .requests, each {cpu,
// memory} strings, and each non-empty expression one that evaluates, with its field's name (cpu or
// memory) as the only variable, set to the number 1, to a result that is not negative; in
// initContainers only on a native sidecar (restartPolicy Always).
// The resources themselves are computed at injection (resources/resourcesFromPolicy.ts).
import type { FieldError } from '@sidecarset/api';
import { EXPRESSION_MAX_LENGTH, evaluateExpression } from '../resources/resourceExpression.js';
import { compileTargetRegex, TARGET_REGEX_MAX_LENGTH } from '../resources/resourcesFromPolicy.js';
import { checkEnum, invalid, isObject, required, tooLong, typeInvalid } from './fieldErrors.js';
import type { ContainerKind } from './validateContainers.js';

const TARGET_CONTAINERS_MODES = ['sum', 'max'];
/** Compiled with RE2 (linear-time matching); a long pattern still compiles slowly, so it is bounded. */
const RESOURCES_POLICY_REGEX_MAX = TARGET_REGEX_MAX_LENGTH;

const hasEntries = (value: unknown): boolean => isObject(value) && Object.keys(value).length > 0;

export function validateResourcesPolicy(container: Record<string, unknown>, path: string, kind: ContainerKind): FieldError[] {
  const policy = container.resourcesPolicy;
  if (policy === undefined || policy === null) return [];
  if (!isObject(policy)) return [typeInvalid(path, policy, 'must be an object {targetContainersMode, targetContainersNameRegex, resourcesExpr}')];
  const errors: FieldError[] = [];
  if (kind === 'initContainer' && container.restartPolicy !== 'Always') {
    errors.push(invalid(path, policy, 'resourcesPolicy is only supported for containers with RestartPolicy Always'));
  }
  const resources = container.resources;
  if (isObject(resources) && (hasEntries(resources.limits) || hasEntries(resources.requests))) {
    errors.push(invalid(path, policy, 'resourcesPolicy and resources cannot be configured together'));
  } else {
    errors.push(...validatePolicyFields(policy, path));
  }
  return errors;
}

function validatePolicyFields(policy: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const mode = policy.targetContainersMode;
  if (mode === undefined || mode === null || mode === '') errors.push(required(`${path}.targetContainersMode`, 'one of sum, max is required'));
  else errors.push(...checkEnum(`${path}.targetContainersMode`, mode, TARGET_CONTAINERS_MODES));

  const regex = policy.targetContainersNameRegex; // unset: the CRD's default ".*"
  if (regex !== undefined && regex !== null) {
    const at = `${path}.targetContainersNameRegex`;
    if (typeof regex !== 'string') errors.push(typeInvalid(at, regex, 'must be a string'));
    else if (regex === '') errors.push(required(at, 'invalid empty regex'));
    else if (regex.length > RESOURCES_POLICY_REGEX_MAX) {
      // A deliberate bound (OpenKruise compiles any length): container names have at most 63 characters.
      errors.push(tooLong(at, regex, `must be at most ${RESOURCES_POLICY_REGEX_MAX} characters`));
    } else {
      const compiled = compileTargetRegex(regex);
      if (!compiled.ok) errors.push(invalid(at, regex, compiled.reason));
    }
  }

  const expr = policy.resourcesExpr;
  const exprPath = `${path}.resourcesExpr`;
  if (expr === undefined || expr === null) return [...errors, required(exprPath, 'resourcesExpr {limits, requests} is required')];
  if (!isObject(expr)) return [...errors, typeInvalid(exprPath, expr, 'must be an object {limits, requests}')];
  const present = (['limits', 'requests'] as const).filter((key) => expr[key] !== undefined && expr[key] !== null);
  if (present.length === 0) return [...errors, invalid(exprPath, expr, 'at least one of limits or requests must be configured')];
  for (const key of present) {
    const list = expr[key];
    if (!isObject(list)) {
      errors.push(typeInvalid(`${exprPath}.${key}`, list, 'must be an object {cpu, memory}'));
      continue;
    }
    for (const resource of ['cpu', 'memory']) {
      const value = list[resource];
      const at = `${exprPath}.${key}.${resource}`;
      if (value === undefined || value === null || value === '') continue;
      if (typeof value !== 'string') errors.push(typeInvalid(at, value, 'must be a string (an expression)'));
      else errors.push(...validateExpression(at, value, resource));
    }
  }
  return errors;
}

/** OpenKruise's validateResourceExpression: evaluated with the field's own variable set to the number 1. */
function validateExpression(path: string, expression: string, variable: string): FieldError[] {
  if (new TextEncoder().encode(expression).length > EXPRESSION_MAX_LENGTH) {
    // A deliberate bound (OpenKruise evaluates any length).
    return [tooLong(path, expression, `must be at most ${EXPRESSION_MAX_LENGTH} bytes`)];
  }
  const evaluation = evaluateExpression(expression, new Map([[variable, { kind: 'number', number: 1 }]]));
  return evaluation.ok ? [] : [invalid(path, expression, `invalid expression: ${evaluation.reason}`)];
}
