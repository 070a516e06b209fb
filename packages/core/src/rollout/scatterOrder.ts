// updateStrategy.scatterStrategy: pods carrying a scatter term's label value are spread over the
// update order instead of being updated back to back, so that a partial rollout touches every group a
// little rather than one group entirely. Placed exactly as OpenKruise v1.9's updatesort.scatterSort
// places them, so the same pods go first:
//  - a term with value "*" stands for one term per value of that key present on the matched pods
//    (sorted here; Kruise takes them in its cache's order, which is arbitrary);
//  - with several terms, the term matching the most candidates goes first (ties in the given order),
//    and each term reorders the output of the one before;
//  - per term: the last carrier among the candidates is moved to the very end; the other carriers and
//    the non-carriers are interleaved in groups whose sizes come from the densities of carriers among
//    all matched pods and among the candidates (calculateGroupByDensity); carriers and non-carriers
//    each keep their relative order.
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

interface ScatterGroup {
  groups: number;
  carrierSize: number;
  otherSize: number;
  /** Non-carriers placed before the first group. */
  otherRemainder: number;
}

/** newScatterGroup: as many groups as the smaller side has pods, sizes rounded (half away from zero). */
function evenGroups(carriers: number, others: number): ScatterGroup {
  const groups = Math.min(carriers, others);
  return { groups, carrierSize: Math.round(carriers / groups), otherSize: Math.round(others / groups), otherRemainder: 0 };
}

/** calculateGroupByDensity: the candidates' own grouping, unless carriers are denser among them than among all pods. */
function groupsByDensity(totalCarriers: number, totalOthers: number, carriers: number, others: number): ScatterGroup {
  const total = evenGroups(totalCarriers, totalOthers);
  const own = evenGroups(carriers, others);
  // Go compares float32 quotients.
  if (Math.fround(Math.fround(totalOthers) / Math.fround(totalCarriers)) >= Math.fround(Math.fround(others) / Math.fround(carriers))) return own;
  const byCarriers = Math.trunc(carriers / total.carrierSize);
  const byOthers = Math.trunc(others / total.otherSize);
  const groups = byCarriers < byOthers ? byCarriers : byOthers;
  return { groups, carrierSize: total.carrierSize, otherSize: total.otherSize, otherRemainder: others - groups * total.otherSize };
}

/**
 * scatterPodsByRule: spreads the items of `order` whose labels carry `term`; `totalCarriers` and
 * `totalOthers` count every matched pod (updated ones included), as Kruise counts them.
 */
export function scatterByTerm<T>(order: readonly T[], labelsOf: (item: T) => Labels | undefined, term: UpdateScatterTerm, totals: { carriers: number; others: number }): T[] {
  const carriers: T[] = [];
  const others: T[] = [];
  for (const item of order) (labelsOf(item)?.[term.key] === term.value ? carriers : others).push(item);
  if (carriers.length <= 1 || others.length <= 1) return order.slice();
  const last = carriers.pop()!;
  const group = groupsByDensity(totals.carriers - 1, totals.others, carriers.length, others.length);
  const out: T[] = [];
  let c = 0;
  let o = 0;
  const take = (from: T[], at: number, size: number): number => {
    const end = Math.min(from.length, at + size);
    for (let i = at; i < end; i++) out.push(from[i]!);
    return end;
  };
  if (group.otherRemainder > 0) o = take(others, o, group.otherRemainder);
  for (let i = 0; i < group.groups; i++) {
    c = take(carriers, c, group.carrierSize);
    o = take(others, o, group.otherSize);
  }
  take(carriers, c, carriers.length);
  take(others, o, others.length);
  out.push(last);
  return out;
}

/**
 * Applies every term to `order` (the candidates), the term matching the most of them first (ties in
 * the given order). `all` are the labels of every matched pod.
 */
export function scatterOrder<T>(order: readonly T[], labelsOf: (item: T) => Labels | undefined, terms: readonly UpdateScatterTerm[], all: readonly (Labels | undefined)[]): T[] {
  if (terms.length === 0 || order.length <= 1) return order.slice();
  const counted = terms.map((term, index) => ({
    term,
    index,
    count: order.reduce((sum, item) => sum + (labelsOf(item)?.[term.key] === term.value ? 1 : 0), 0),
  }));
  counted.sort((a, b) => b.count - a.count || a.index - b.index);
  let result = order.slice();
  for (const { term, count } of counted) {
    if (count === 0 && terms.length > 1) continue; // Kruise lists only the terms some candidate carries
    const carriers = all.reduce((sum, labels) => sum + (labels?.[term.key] === term.value ? 1 : 0), 0);
    result = scatterByTerm(result, labelsOf, term, { carriers, others: all.length - carriers });
  }
  return result;
}
