// A sidecar's resources computed from its resourcesPolicy and the pod it is injected into, as
// OpenKruise v1.9.0's webhook computes them on pod CREATE (applyResourcesPolicy):
// - targets: the pod's native sidecars (initContainers with restartPolicy Always) and then its
//   containers, whose names the regex finds (unanchored, RE2 syntax as Go's regexp), leaving out every
//   container name of the SidecarSets injected into the pod; none is an error;
// - sum adds the targets' cpu and memory, max takes the largest (the first of equals). A limit exists
//   only when every target has one; a missing request is the limit (as the API server defaults it
//   before admission) or nothing, and a request that adds up to zero (or is missing everywhere) is a
//   zero Quantity;
// - each non-empty expression is evaluated with one variable: `memory` when the expression has the word
//   memory, otherwise `cpu` (whatever the field), bound to that aggregate. A limit expression is skipped
//   when the targets have no such limit. A number result becomes int64(n x 1000) milli-units when the
//   variable is cpu, int64(n) units when it is memory;
// - the result replaces the container's resources: {limits, requests}, each only when not empty.
import type { Container, Pod, ResourceRequirements, SidecarContainer } from '@sidecarset/api';
import { RE2JS } from 're2js';
import { memoizeByString } from '../util/memoizeByString.js';
import { addQuantities, compareQuantities, formatGoQuantity, milliQuantity, parseGoQuantity, wholeQuantity, ZERO_QUANTITY, type GoQuantity } from './goQuantity.js';
import { evaluateExpression, goInt64, type ExpressionValue } from './resourceExpression.js';

export type ResourcesPolicy = NonNullable<SidecarContainer['resourcesPolicy']>;
type ResourceName = 'cpu' | 'memory';
const RESOURCE_NAMES: readonly ResourceName[] = ['cpu', 'memory'];

/** The longest targetContainersNameRegex compiled (validateResourcesPolicy refuses longer ones). */
export const TARGET_REGEX_MAX_LENGTH = 1024;
/** Instructions of the compiled regex: matching one name costs up to (its length + 1) x this. */
export const TARGET_REGEX_MAX_PROGRAM = 4096;
/** Container names longer than a DNS label make the pod invalid; they are never matched (bounded matching). */
const CONTAINER_NAME_MAX_LENGTH = 63;
/**
 * Matching work allowed per sidecar and pod: the sum over the candidate names of (length + 1) x the
 * program size, about a nanosecond each here (12 ms). A plain regex never comes near it (`.*` allows
 * tens of thousands of containers); a regex at the program bound allows about 45 candidates. Beyond
 * it the pod is denied: the pod's author chooses the number of containers, and one admission must not
 * cost a second of CPU (issue 8).
 */
export const TARGET_MATCH_MAX_WORK = 12_000_000;

export interface PolicyError {
  /** Below the policy: '' for the policy itself, or e.g. 'resourcesExpr.limits.cpu'. */
  path: string;
  reason: string;
}

export type PolicyResources = { ok: true; resources: ResourceRequirements } | { ok: false; error: PolicyError };

type Compiled = { ok: true; regex: RE2JS } | { ok: false; reason: string };
/** Compiling a 1,024-character pattern can take a few hundred milliseconds: each distinct one is compiled once. */
export const compileTargetRegex = memoizeByString((pattern: string | undefined): Compiled => {
  const text = pattern ?? '';
  if (text.length > TARGET_REGEX_MAX_LENGTH) return { ok: false, reason: `is longer than ${TARGET_REGEX_MAX_LENGTH} characters (a deliberate bound)` };
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(text);
  } catch (error) {
    return { ok: false, reason: `invalid regex pattern: ${(error as Error).message}` };
  }
  const size = regex.programSize();
  if (size > TARGET_REGEX_MAX_PROGRAM) {
    return { ok: false, reason: `compiles to ${size} instructions; at most ${TARGET_REGEX_MAX_PROGRAM} (a deliberate bound: write fewer or smaller repetitions)` };
  }
  return { ok: true, regex };
}, 64);

/** The containers the regex is matched against, in OpenKruise's order: native sidecars, then containers. */
function candidateContainers(pod: Pod, sidecarNames: ReadonlySet<string>): Container[] {
  return [...(pod.spec?.initContainers ?? []).filter((container) => container.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])].filter(
    (container) => typeof container.name === 'string' && !sidecarNames.has(container.name) && container.name.length <= CONTAINER_NAME_MAX_LENGTH,
  );
}

/** The containers the policy sizes the sidecar from, or why matching them would cost too much. */
export function targetContainers(pod: Pod, regex: RE2JS, sidecarNames: ReadonlySet<string>): { ok: true; targets: Container[] } | { ok: false; reason: string } {
  const candidates = candidateContainers(pod, sidecarNames);
  const programSize = regex.programSize();
  let work = 0;
  for (const container of candidates) work += (container.name.length + 1) * programSize;
  if (work > TARGET_MATCH_MAX_WORK) {
    return {
      ok: false,
      reason: `matching the pod's ${candidates.length} container names against this regex (${programSize} instructions) is more work than one admission may take (a deliberate bound: use a simpler regex, or fewer containers)`,
    };
  }
  return { ok: true, targets: candidates.filter((container) => regex.test(container.name)) };
}

interface Aggregate {
  limits: Partial<Record<ResourceName, GoQuantity>>;
  requests: Partial<Record<ResourceName, GoQuantity>>;
}

type Reading = { ok: true; quantity: GoQuantity | undefined } | { ok: false; reason: string };

function readResource(container: Container, list: 'limits' | 'requests', name: ResourceName): Reading {
  const entries = container.resources?.[list];
  if (!entries || !Object.hasOwn(entries, name)) return { ok: true, quantity: undefined };
  const value: unknown = entries[name];
  if (value === null) return { ok: true, quantity: { ...ZERO_QUANTITY } }; // JSON null decodes to a zero Quantity
  const reading = typeof value === 'string' || typeof value === 'number' ? parseGoQuantity(String(value)) : undefined;
  if (!reading?.ok) return { ok: false, reason: `container ${container.name}: resources.${list}.${name} ${reading?.reason ?? 'is not a quantity'}` };
  return { ok: true, quantity: reading.quantity };
}

/** aggregateResources: sum or max over the targets; an unknown mode aggregates nothing, as Go's switch falls through. */
export function aggregateResources(containers: Container[], mode: string): { ok: true; aggregate: Aggregate } | { ok: false; reason: string } {
  const aggregate: Aggregate = { limits: {}, requests: {} };
  if (mode !== 'sum' && mode !== 'max') return { ok: true, aggregate };
  for (const list of ['limits', 'requests'] as const) {
    for (const name of RESOURCE_NAMES) {
      let total: GoQuantity | undefined = mode === 'sum' ? wholeQuantity(0n) : undefined;
      let everyOne = true;
      for (const container of containers) {
        // The API server sets a missing request to the limit before admission; the offline inject sees the pod before it.
        let reading = readResource(container, list, name);
        if (list === 'requests' && reading.ok && reading.quantity === undefined) reading = readResource(container, 'limits', name);
        if (!reading.ok) return reading;
        const quantity = reading.quantity;
        if (quantity === undefined) {
          everyOne = false;
        } else if (mode === 'sum') {
          total = addQuantities(total!, quantity);
        } else if (total === undefined || compareQuantities(quantity, total) > 0) {
          total = quantity;
        }
      }
      if (list === 'limits') {
        if (everyOne && total !== undefined) aggregate.limits[name] = total;
      } else if (total !== undefined && (mode === 'max' || total.mantissa !== 0n)) {
        aggregate.requests[name] = total;
      }
    }
  }
  return { ok: true, aggregate };
}

const MEMORY_WORD = /\bmemory\b/;

/** One expression over one aggregate, and the quantity it gives (evaluateResourceExpression). */
export function evaluateResourceExpression(expression: string, aggregate: GoQuantity): { ok: true; quantity: GoQuantity } | { ok: false; reason: string } {
  const variable: ResourceName = MEMORY_WORD.test(expression) ? 'memory' : 'cpu';
  const bound: ExpressionValue = { kind: 'quantity', quantity: { ...aggregate } };
  const evaluation = evaluateExpression(expression, new Map([[variable, bound]]));
  if (!evaluation.ok) return evaluation;
  const value = evaluation.value;
  if (value.kind === 'quantity') return { ok: true, quantity: value.quantity };
  return { ok: true, quantity: variable === 'cpu' ? milliQuantity(goInt64(value.number * 1000), 'DecimalSI') : wholeQuantity(goInt64(value.number)) };
}

/**
 * The resources a sidecar with this policy gets in this pod. `sidecarNames`: every container and
 * initContainer name of the SidecarSets injected into the pod (never targets).
 */
export function resourcesFromPolicy(policy: ResourcesPolicy, pod: Pod, sidecarNames: ReadonlySet<string>): PolicyResources {
  const pattern = typeof policy.targetContainersNameRegex === 'string' ? policy.targetContainersNameRegex : '';
  const compiled = compileTargetRegex(pattern);
  if (!compiled.ok) return { ok: false, error: { path: 'targetContainersNameRegex', reason: compiled.reason } };
  const matched = targetContainers(pod, compiled.regex, sidecarNames);
  if (!matched.ok) return { ok: false, error: { path: 'targetContainersNameRegex', reason: matched.reason } };
  const targets = matched.targets;
  if (targets.length === 0) return { ok: false, error: { path: 'targetContainersNameRegex', reason: `no containers match the regex pattern ${JSON.stringify(pattern)}` } };
  const aggregated = aggregateResources(targets, policy.targetContainersMode);
  if (!aggregated.ok) return { ok: false, error: { path: '', reason: aggregated.reason } };
  const { aggregate } = aggregated;

  const resources: ResourceRequirements = {};
  for (const list of ['limits', 'requests'] as const) {
    const expressions: unknown = policy.resourcesExpr?.[list];
    if (expressions === undefined || expressions === null) continue;
    const computed: Record<string, string> = {};
    for (const name of RESOURCE_NAMES) {
      const expression: unknown = (expressions as Record<string, unknown>)[name];
      if (expression === undefined || expression === null || expression === '') continue;
      const path = `resourcesExpr.${list}.${name}`;
      if (typeof expression !== 'string') return { ok: false, error: { path, reason: 'must be a string (an expression)' } };
      const value = list === 'limits' ? aggregate.limits[name] : (aggregate.requests[name] ?? ZERO_QUANTITY);
      if (value === undefined) continue; // a target without this limit: the sidecar gets none either
      const result = evaluateResourceExpression(expression, value);
      if (!result.ok) return { ok: false, error: { path, reason: `failed to evaluate ${JSON.stringify(expression)}: ${result.reason}` } };
      computed[name] = formatGoQuantity(result.quantity);
    }
    if (Object.keys(computed).length > 0) resources[list] = computed;
  }
  return { ok: true, resources };
}
