// Can two label selectors select the same object? Exactly, not heuristically: a selector is a
// conjunction of per-key requirements, and keys are independent, so selectors can overlap exactly
// when, for every key, the requirements both place on it can hold at once. OpenKruise's
// IsSelectorOverlapping only compares values written on both sides and misses, for example,
// `app=a` against `app DoesNotExist`; this decides every case.
//
// Bounded work: a list of selectors is compiled once into per-key constraints (value sets), in time
// linear in its size; deciding whether two compiled lists can all match costs no more than the
// smaller side of each shared key. So checking one SidecarSet against every other one costs its own
// size once plus the size of the others, never their product.
import type { LabelSelector, LabelSelectorRequirement } from '@sidecarset/api';

/** What one key must satisfy. */
interface KeyConstraint {
  /** The values the label may have (In, matchLabels), less noneOf; undefined when no value list constrains it. */
  candidates: Set<string> | undefined;
  /** The label must not have any of these values (absent is fine). */
  noneOf: Set<string>;
  exists: boolean;
  absent: boolean;
}

/** A list of selectors ANDed, compiled for satisfiability checks. */
export interface CompiledSelectors {
  /** False when no set of labels matches them all (an unknown operator, `a In [x]` with `a NotIn [x]`, ...). */
  satisfiable: boolean;
  keys: ReadonlyMap<string, KeyConstraint>;
}

export function compileSelectors(selectors: readonly LabelSelector[]): CompiledSelectors {
  const keys = new Map<string, KeyConstraint & { oneOf: string[][] }>();
  const constraint = (key: string) => {
    let found = keys.get(key);
    if (!found) keys.set(key, (found = { oneOf: [], candidates: undefined, noneOf: new Set(), exists: false, absent: false }));
    return found;
  };
  for (const selector of selectors) {
    // Malformed parts (validation reports them) are read as labelSelectorMatches reads them.
    const matchLabels: unknown = selector.matchLabels;
    const expressions: unknown = selector.matchExpressions;
    const labels = typeof matchLabels === 'object' && matchLabels !== null ? Object.entries(matchLabels) : [];
    for (const [key, value] of labels) {
      constraint(key).oneOf.push(typeof value === 'string' ? [value] : []);
    }
    for (const requirement of Array.isArray(expressions) ? (expressions as LabelSelectorRequirement[]) : []) {
      if (typeof requirement !== 'object' || requirement === null) continue;
      const c = constraint(String(requirement.key));
      const values = (Array.isArray(requirement.values) ? requirement.values : []).filter((v): v is string => typeof v === 'string');
      switch (requirement.operator) {
        case 'In':
          c.oneOf.push(values);
          break;
        case 'NotIn':
          for (const v of values) c.noneOf.add(v);
          break;
        case 'Exists':
          c.exists = true;
          break;
        case 'DoesNotExist':
          c.absent = true;
          break;
        default:
          return { satisfiable: false, keys: new Map() }; // an unknown operator matches nothing (see requirementMatches)
      }
    }
  }
  let satisfiable = true;
  for (const c of keys.values()) {
    if (c.oneOf.length > 0) {
      // Intersect the value lists; each step keeps only what the next list also has.
      let candidates = new Set(c.oneOf[0]!.filter((v) => !c.noneOf.has(v)));
      for (const list of c.oneOf.slice(1)) {
        if (candidates.size === 0) break;
        const allowed = new Set(list);
        candidates = new Set([...candidates].filter((v) => allowed.has(v)));
      }
      c.candidates = candidates;
    }
    if (!keySatisfiable(c)) satisfiable = false;
    c.oneOf = [];
  }
  return { satisfiable, keys };
}

function keySatisfiable(c: KeyConstraint): boolean {
  if (c.candidates) return c.candidates.size > 0 && !c.absent;
  // Without a fixed value list there is always a value outside the finite NotIn list, or absence.
  return !(c.exists && c.absent);
}

/** Some value in `candidates` that `other` allows (other has no value list of its own). */
function anyAllowed(candidates: Set<string>, noneOf: Set<string>): boolean {
  if (candidates.size > noneOf.size) return true; // more candidates than NotIn values: one survives
  for (const v of candidates) if (!noneOf.has(v)) return true;
  return false;
}

function keysCompatible(a: KeyConstraint, b: KeyConstraint): boolean {
  if (!a.candidates && !b.candidates) return !((a.exists || b.exists) && (a.absent || b.absent));
  if (a.absent || b.absent) return false; // a value list needs the label present
  if (a.candidates && b.candidates) {
    // Each candidate set already leaves out its own NotIn values: a common value is enough.
    const [small, large] = a.candidates.size <= b.candidates.size ? [a.candidates, b.candidates] : [b.candidates, a.candidates];
    for (const v of small) if (large.has(v)) return true;
    return false;
  }
  return a.candidates ? anyAllowed(a.candidates, b.noneOf) : anyAllowed(b.candidates!, a.noneOf);
}

/** True when some set of labels matches every selector of both compiled lists. */
export function compiledCanAllMatch(a: CompiledSelectors, b: CompiledSelectors): boolean {
  if (!a.satisfiable || !b.satisfiable) return false;
  const [few, many] = a.keys.size <= b.keys.size ? [a.keys, b.keys] : [b.keys, a.keys];
  for (const [key, constraint] of few) {
    const other = many.get(key);
    if (other && !keysCompatible(constraint, other)) return false;
  }
  return true;
}

/** True when some set of labels matches both selectors (the semantics of `labelSelectorMatches`). */
export function selectorsCanOverlap(a: LabelSelector, b: LabelSelector): boolean {
  return compiledCanAllMatch(compileSelectors([a]), compileSelectors([b]));
}

/** True when some set of labels matches every selector of the list (an empty list: true). */
export function selectorsCanAllMatch(selectors: readonly LabelSelector[]): boolean {
  return compileSelectors(selectors).satisfiable;
}
