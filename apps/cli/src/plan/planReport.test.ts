import type { RolloutPlan } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import { planReport, renderPlan } from './planReport.js';

const plan: RolloutPlan = {
  matched: 3,
  updated: 1,
  updatedReady: 1,
  ready: 3,
  unavailable: 0,
  budget: 1,
  next: ['shop/web-2'],
  waiting: [{ pod: 'shop/web-3', reason: 'maxUnavailable 1 reached (1 updating in this round)' }],
  notUpgradable: [],
  followUps: [],
};

describe('plan report', () => {
  it('JSON has exactly the documented keys, in order, without ready and notUpgradable', () => {
    const json = renderPlan('web-agent', planReport(plan), 'json');
    expect(Object.keys(JSON.parse(json) as object)).toEqual(['matched', 'updated', 'updatedReady', 'unavailable', 'budget', 'next', 'waiting', 'upgrades']);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it.each<[string, RolloutPlan, string]>([
    [
      'a summary, then update rows before wait rows with their reason',
      plan,
      [
        'SidecarSet web-agent: 3 matched, 1 updated (1 ready), 0 unavailable, budget 1; next round: 1 to update, 1 waiting',
        '',
        'POD          ACTION   UPGRADE      REASON',
        'shop/web-2   update   image swap',
        'shop/web-3   wait     image swap   maxUnavailable 1 reached (1 updating in this round)',
        '',
      ].join('\n'),
    ],
    [
      'nothing to do: the summary alone',
      { ...plan, matched: 0, updated: 0, updatedReady: 0, ready: 0, budget: 1, next: [], waiting: [] },
      'SidecarSet web-agent: 0 matched, 0 updated (0 ready), 0 unavailable, budget 1; next round: 0 to update, 0 waiting\n',
    ],
  ])('table: %s', (_name, input, expected) => {
    expect(renderPlan('web-agent', planReport(input, { 'shop/web-2': ['cold image'], 'shop/web-3': ['cold image'] }), 'table')).toBe(expected);
  });

  it('per pod: an image swap, a resize, or both', () => {
    const report = planReport({ ...plan, next: ['shop/a', 'shop/b', 'shop/c'], waiting: [] }, { 'shop/a': ['cold image'], 'shop/b': ['resize'], 'shop/c': ['cold image', 'resize'] });
    expect(report.upgrades).toEqual({ 'shop/a': ['image swap'], 'shop/b': ['resize'], 'shop/c': ['image swap', 'resize'] });
    const table = renderPlan('web-agent', report, 'table');
    expect(table).toContain('shop/a   update   image swap\n');
    expect(table).toContain('shop/b   update   resize\n');
    expect(table).toContain('shop/c   update   image swap + resize\n');
  });
});
