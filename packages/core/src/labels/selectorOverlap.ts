// Can two label selectors select the same object? Exactly, not heuristically: a selector is a
// conjunction of per-key requirements, and keys are independent, so selectors can overlap exactly
// when, for every key, the requirements both place on it can hold at once. OpenKruise's
// IsSelectorOverlapping only compares values written on both sides and misses, for example,
// `app=a` against `app DoesNotExist`; this decides every case.
import type { LabelSelector, LabelSelectorRequirement } from '@sidecarset/api';

/** True when some set of labels matches both selectors (the semantics of `labelSelectorMatches`). */
export function selectorsCanOverlap(a: LabelSelector, b: LabelSelector): boolean {
  return selectorsCanAllMatch([a, b]);
}

/** True when some set of labels matches every selector of the list (an empty list: true). */
export function selectorsCanAllMatch(selectors: readonly LabelSelector[]): boolean {
  const keys = new Map<string, KeyConstraint>();
  const constraint = (key: string): KeyConstraint => {
    let found = keys.get(key);
    if (!found) keys.set(key, (found = { oneOf: [], noneOf: new Set(), exists: false, absent: false }));
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
          return false; // an unknown operator matches nothing (see requirementMatches)
      }
    }
  }
  for (const c of keys.values()) if (!satisfiable(c)) return false;
  return true;
}

interface KeyConstraint {
  /** Each entry: the label must be present with one of these values. */
  oneOf: string[][];
  /** The label must not have any of these values (absent is fine). */
  noneOf: Set<string>;
  exists: boolean;
  absent: boolean;
}

function satisfiable(c: KeyConstraint): boolean {
  if (c.oneOf.length > 0) {
    if (c.absent) return false;
    const [first, ...rest] = c.oneOf as [string[], ...string[][]];
    return first.some((v) => !c.noneOf.has(v) && rest.every((set) => set.includes(v)));
  }
  // Without a fixed value list there is always a value outside the finite NotIn list, or absence.
  return !(c.exists && c.absent);
}
