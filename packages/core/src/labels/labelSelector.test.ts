import { describe, expect, it } from 'vitest';
import { labelSelectorMatches } from './labelSelector.js';

describe('labelSelectorMatches', () => {
  it.each([
    ['a missing selector selects nothing', undefined, { app: 'nginx' }, false],
    ['an empty selector selects everything', {}, {}, true],
    ['matchLabels equal', { matchLabels: { app: 'nginx' } }, { app: 'nginx', tier: 'web' }, true],
    ['matchLabels differ', { matchLabels: { app: 'nginx' } }, { app: 'redis' }, false],
    ['matchLabels key absent', { matchLabels: { app: 'nginx' } }, {}, false],
    ['In with the value', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] }, { env: 'prod' }, true],
    ['In without the key', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, {}, false],
    ['NotIn without the key', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, {}, true],
    ['NotIn with the value', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, { env: 'prod' }, false],
    ['Exists', { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, { canary: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, { canary: 'true' }, false],
    [
      'matchLabels and matchExpressions are ANDed',
      { matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      { app: 'nginx', env: 'dev' },
      false,
    ],
  ])('%s', (_name, selector, labels, expected) => {
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });

  const many = Array.from({ length: 10_000 }, (_, i) => `v${i}`);
  it.each([
    ['In a long list, with the value', 'In', 'v9999', true],
    ['In a long list, without the value', 'In', 'w1', false],
    ['NotIn a long list, with the value', 'NotIn', 'v0', false],
    ['NotIn a long list, without the value', 'NotIn', 'w1', true],
  ] as const)('%s (looked up in a set, built once per list)', (_name, operator, value, expected) => {
    const selector = { matchExpressions: [{ key: 'env', operator, values: many }] };
    expect(labelSelectorMatches(selector, { env: value })).toBe(expected);
    expect(labelSelectorMatches(selector, { env: value })).toBe(expected);
  });
});
