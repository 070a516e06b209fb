// updateStrategy.priorityStrategy, as OpenKruise's updatesort.prioritySort applies it on top of the
// default order (a stable sort here, so pods of equal priority keep the default order):
// - weightPriority: a pod's priority is the sum of the weights of the terms whose matchSelector
//   matches its labels; higher first.
// - orderPriority (only when there is no weightPriority): the first orderedKey the pod carries decides,
//   earlier keys first; within one key the integer at the end of the value ("v12" -> 12), larger first.
//   Pods that carry none of the keys come before all others, as in Kruise.
import type { UpdatePriorityStrategy } from '@sidecarset/api';
import { labelSelectorMatches, type Labels } from '../labels/labelSelector.js';

/** A sort key per pod: compare the tuples, smaller first. */
export type PriorityKey = readonly [number, number];

/** The integer at the end of a label value, 0 when there is none (Kruise's getIntFromStringSuffix). */
export function trailingInteger(value: string): number {
  // Read from the end: an unanchored /(\d+)$/ would retry from every digit of a long run (quadratic).
  let start = value.length;
  while (start > 0 && value.charCodeAt(start - 1) >= 48 && value.charCodeAt(start - 1) <= 57) start -= 1;
  if (start === value.length) return 0;
  const parsed = Number(value.slice(start));
  return Number.isSafeInteger(parsed) ? parsed : 0;
}

/** undefined when the strategy orders nothing. */
export function priorityKeyFunction(strategy: UpdatePriorityStrategy | undefined): ((labels: Labels | undefined) => PriorityKey) | undefined {
  const weights = strategy?.weightPriority ?? [];
  if (weights.length > 0) {
    return (labels) => {
      let weight = 0;
      for (const term of weights) if (labelSelectorMatches(term.matchSelector, labels)) weight += term.weight;
      return [-weight, 0];
    };
  }
  const keys = (strategy?.orderPriority ?? []).map((term) => term.orderedKey);
  if (keys.length === 0) return undefined;
  return (labels) => {
    for (let level = 0; level < keys.length; level++) {
      const value = labels?.[keys[level]!];
      if (value !== undefined) return [level, -trailingInteger(value)];
    }
    return [-1, 0];
  };
}

export const comparePriority = (a: PriorityKey, b: PriorityKey): number => a[0] - b[0] || a[1] - b[1];
