// updateStrategy.scatterStrategy: pods carrying a scatter term's label value are spread evenly over
// the update order instead of being updated back to back, so that a partial rollout touches every
// group a little rather than one group entirely. As in OpenKruise, a term with value "*" stands for
// one term per value of that key present on the matched pods (in sorted order), and the terms are applied one after
// the other, the term matching the most candidates first. Within a term, the pods that carry it keep
// their relative order, and so do the others; the k-th of m carriers lands at position
// floor((k + 1/2) * n / m) of n. (Kruise's updatesort.scatterSort also weighs already updated pods
// and keeps the last carrier at the end; the positions differ, the spreading is the same idea.)
import type { UpdateScatterTerm } from '@sidecarset/api';
import type { Labels } from '../labels/labelSelector.js';

/** Terms with "*" expanded to the values present on `podLabels` (sorted, so the pods' order does not matter), duplicates removed. */
export function expandScatterTerms(terms: readonly UpdateScatterTerm[], podLabels: Iterable<Labels | undefined>): UpdateScatterTerm[] {
  const out: UpdateScatterTerm[] = [];
  const seen = new Set<string>();
  const add = (key: string, value: string): void => {
    const id = `${key}\u0000${value}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ key, value });
  };
  const wildcardKeys = terms.filter((term) => term.value === '*').map((term) => term.key);
  const valuesByKey = new Map<string, string[]>(wildcardKeys.map((key) => [key, []]));
  if (wildcardKeys.length > 0) {
    const seenValues = new Set<string>();
    for (const labels of podLabels) {
      for (const key of wildcardKeys) {
        const value = labels?.[key];
        if (value === undefined || seenValues.has(`${key}\u0000${value}`)) continue;
        seenValues.add(`${key}\u0000${value}`);
        valuesByKey.get(key)!.push(value);
      }
    }
  }
  for (const values of valuesByKey.values()) values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const term of terms) {
    if (term.value !== '*') add(term.key, term.value);
    else for (const value of valuesByKey.get(term.key) ?? []) add(term.key, value);
  }
  return out;
}

/** Spreads the items whose labels carry `term` evenly over `order`. */
export function scatterByTerm<T>(order: readonly T[], labelsOf: (item: T) => Labels | undefined, term: UpdateScatterTerm): T[] {
  const carriers: T[] = [];
  const others: T[] = [];
  for (const item of order) (labelsOf(item)?.[term.key] === term.value ? carriers : others).push(item);
  const n = order.length;
  const m = carriers.length;
  if (m <= 1 || others.length === 0) return order.slice();
  const out: T[] = new Array<T>(n);
  const taken = new Uint8Array(n);
  for (let k = 0; k < m; k++) {
    const position = Math.floor(((k + 0.5) * n) / m);
    out[position] = carriers[k]!;
    taken[position] = 1;
  }
  let next = 0;
  for (let position = 0; position < n; position++) if (!taken[position]) out[position] = others[next++]!;
  return out;
}

/** Applies every term to `order`, the term matching the most items first (ties in the given order). */
export function scatterOrder<T>(order: readonly T[], labelsOf: (item: T) => Labels | undefined, terms: readonly UpdateScatterTerm[]): T[] {
  if (terms.length === 0 || order.length <= 1) return order.slice();
  const counted = terms.map((term, index) => ({
    term,
    index,
    count: order.reduce((sum, item) => sum + (labelsOf(item)?.[term.key] === term.value ? 1 : 0), 0),
  }));
  counted.sort((a, b) => b.count - a.count || a.index - b.index);
  let result = order.slice();
  for (const { term, count } of counted) if (count > 0) result = scatterByTerm(result, labelsOf, term);
  return result;
}
