import type { LabelSelector } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { validateLabelSelector } from './validateLabelSelector.js';

const paths = (selector: unknown) => validateLabelSelector(selector as LabelSelector, 'spec.selector').map((e) => `${e.path} ${e.type}`);

describe('validateLabelSelector', () => {
  it.each<[string, unknown, string[]]>([
    ['matchLabels with a prefixed key is valid', { matchLabels: { 'serverless.alibabacloud.com/virtual-node': 'true' } }, []],
    ['an empty value is a valid label value', { matchLabels: { canary: '' } }, []],
    ['a key with a space is invalid', { matchLabels: { 'my app': 'x' } }, ['spec.selector.matchLabels[my app] Invalid']],
    ['a key with an empty prefix is invalid', { matchLabels: { '/app': 'x' } }, ['spec.selector.matchLabels[/app] Invalid']],
    ['a value longer than 63 characters is invalid', { matchLabels: { app: 'x'.repeat(64) } }, ['spec.selector.matchLabels[app] Invalid']],
    ['an unquoted boolean value is a type error', { matchLabels: { canary: true } }, ['spec.selector.matchLabels[canary] TypeInvalid']],
    ['a list under matchLabels is a type error', { matchLabels: [{ 'canary.release': true }] }, ['spec.selector.matchLabels TypeInvalid']],
    ['In without values is rejected', { matchExpressions: [{ key: 'app', operator: 'In' }] }, ['spec.selector.matchExpressions[0].values Required']],
    ['NotIn with an empty list is rejected', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [] }] }, ['spec.selector.matchExpressions[0].values Required']],
    ['Exists with values is rejected', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['a'] }] }, ['spec.selector.matchExpressions[0].values Forbidden']],
    ['an unknown operator is not supported', { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['a'] }] }, ['spec.selector.matchExpressions[0].operator NotSupported']],
    ['a missing key is required', { matchExpressions: [{ operator: 'Exists' }] }, ['spec.selector.matchExpressions[0].key Required']],
    ['each bad value is reported at its index', { matchExpressions: [{ key: 'app', operator: 'In', values: ['ok', 'not ok'] }] }, ['spec.selector.matchExpressions[0].values[1] Invalid']],
    [
      'all problems are reported together',
      { matchLabels: { 'a b': 'c' }, matchExpressions: [{ key: '-x', operator: 'Exists', values: ['y'] }] },
      ['spec.selector.matchLabels[a b] Invalid', 'spec.selector.matchExpressions[0].key Invalid', 'spec.selector.matchExpressions[0].values Forbidden'],
    ],
  ])('%s', (_name, selector, expected) => {
    expect(paths(selector)).toEqual(expected);
  });
});

describe('validateLabelSelector on a label written beside matchLabels (seed 003)', () => {
  it('reports the unknown field and suggests indenting it', () => {
    const [error, ...rest] = validateLabelSelector({ matchLabels: null, app: 'nginx' } as unknown as LabelSelector, 'spec.selector');
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: 'spec.selector.app', type: 'UnknownField' });
    expect(error!.reason).toMatch(/indent it under matchLabels/);
  });
});
