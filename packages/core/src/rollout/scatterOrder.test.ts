// scatterByTerm against OpenKruise v1.9's own table (pkg/util/updatesort/scatter_sort_test.go,
// TestScatterPodsByRule): the same pods in, the same order out. Every pod is a candidate there.
import { describe, expect, it } from 'vitest';
import type { Labels } from '../labels/labelSelector.js';
import { scatterByTerm, scatterOrder } from './scatterOrder.js';

const term = { key: 'labelA', value: 'AAA' };
const parse = (text: string): Labels => Object.fromEntries(text.split(',').flatMap((part) => (part.includes('=') ? [part.split('=', 2) as [string, string]] : [])));

const kruiseCases: { desc: string; podLabels: string[]; expected: number[] }[] = [
  { desc: 'no label', podLabels: [''], expected: [0] },
  { desc: 'only one scattered pod', podLabels: ['labelA=AAA'], expected: [0] },
  { desc: 'odd scattered pod + odd ordinary pod', podLabels: ['labelA=AAA', 'bbb'], expected: [0, 1] },
  { desc: 'even scattered pods + even ordinary pods', podLabels: ['', '', '', '', 'labelA=AAA', 'labelA=AAA'], expected: [4, 0, 1, 2, 3, 5] },
  { desc: 'odd scattered pods + odd ordinary pods', podLabels: ['', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], expected: [3, 0, 1, 4, 2, 5] },
  { desc: 'even scattered pods + odd ordinary pods', podLabels: ['', '', '', 'labelA=AAA', '', '', 'labelA=AAA'], expected: [3, 0, 1, 2, 4, 5, 6] },
  { desc: 'odd scattered pods + even ordinary pods', podLabels: ['', '', '', '', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], expected: [6, 0, 1, 2, 7, 3, 4, 5, 8] },
  { desc: 'even scattered pods + even ordinary pods + scattered pods more than ordinary pods', podLabels: ['', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], expected: [2, 3, 0, 4, 1, 5] },
  { desc: 'odd scattered pods + odd ordinary pods + scattered pods more than ordinary pods', podLabels: ['', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], expected: [3, 0, 1, 4, 2, 5] },
  { desc: 'even scattered pods + odd ordinary pods + scattered pods more than ordinary pods', podLabels: ['', '', 'labelA=AAA', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], expected: [2, 4, 0, 5, 6, 1, 7, 3, 8] },
  { desc: 'odd scattered pods + even ordinary pods + scattered pods more than ordinary pods', podLabels: ['', 'labelA=AAA', '', 'labelA=AAA', '', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA'], expected: [1, 0, 3, 2, 6, 4, 7, 5, 8] },
  { desc: 'invalid label', podLabels: ['', '', '', '', 'ee', 'a', '', 'labelA=AAA', 'labelA=AAA', 'labelA=AAA,labelB=BBB'], expected: [7, 0, 1, 2, 3, 8, 4, 5, 6, 9] },
];

describe('scatterByTerm: OpenKruise scatterPodsByRule cases', () => {
  it.each(kruiseCases)('$desc', ({ podLabels, expected }) => {
    const labels = podLabels.map(parse);
    const indexes = labels.map((_, i) => i);
    const carriers = labels.filter((l) => l[term.key] === term.value).length;
    expect(scatterByTerm(indexes, (i) => labels[i], term, { carriers, others: labels.length - carriers })).toEqual(expected);
  });
});

describe('scatterOrder', () => {
  it('weighs updated pods: when the updated pods were mostly carriers, the rest are spread at the overall density', () => {
    // 12 pods, 6 of them zone=a; 3 of those are updated already: 9 candidates, 3 carrying zone=a.
    const all: Labels[] = [...Array.from({ length: 6 }, () => ({ zone: 'a' })), ...Array.from({ length: 6 }, () => ({ zone: 'b' }))];
    const candidates = ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'b3', 'b4', 'b5'];
    const order = scatterOrder(candidates, (name) => ({ zone: name[0]! }), [{ key: 'zone', value: 'a' }], all);
    // a2 goes last; 5 a : 6 b overall -> groups of 1 and 1, 2 groups for the 2 a left, the 4 b over first
    expect(order).toEqual(['b0', 'b1', 'b2', 'b3', 'a0', 'b4', 'a1', 'b5', 'a2']);
  });

  it('spreads at the candidates\' own density when they are no denser than all pods', () => {
    const all: Labels[] = [...Array.from({ length: 4 }, () => ({ zone: 'a' })), ...Array.from({ length: 8 }, () => ({ zone: 'b' }))];
    const candidates = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'a0', 'a1', 'a2', 'a3'];
    const order = scatterOrder(candidates, (name) => ({ zone: name[0]! }), [{ key: 'zone', value: 'a' }], all);
    expect(order).toEqual(['a0', 'b0', 'b1', 'a1', 'b2', 'b3', 'a2', 'b4', 'b5', 'a3']);
  });

  it('applies the term with the most candidates first', () => {
    const labels = (name: string): Labels => ({ zone: name[0]!, rack: name[1]! });
    const candidates = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'];
    const all = candidates.map(labels);
    const once = scatterOrder(candidates, labels, [{ key: 'zone', value: 'c' }], all);
    const both = scatterOrder(candidates, labels, [{ key: 'zone', value: 'c' }, { key: 'rack', value: '1' }], all);
    // rack=1 matches 3 candidates, zone=c only 2: rack=1 is applied first, then zone=c
    const rackFirst = scatterOrder(scatterOrder(candidates, labels, [{ key: 'rack', value: '1' }], all), labels, [{ key: 'zone', value: 'c' }], all);
    expect(both).toEqual(rackFirst);
    expect(once).not.toEqual(both);
  });
});
