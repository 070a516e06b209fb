import { describe, expect, it } from 'vitest';
import { validateResourcesPolicy } from './validateResourcesPolicy.js';

const check = (resourcesPolicy: unknown, kind: 'container' | 'initContainer' = 'container', extra: Record<string, unknown> = {}) =>
  validateResourcesPolicy({ name: 'proxy', image: 'proxy:1', resourcesPolicy, ...extra }, 'spec.containers[0].resourcesPolicy', kind).map((e) => `${e.path} ${e.type}: ${e.reason}`);

describe('validateResourcesPolicy: the bounds of our own', () => {
  it('an expression longer than 1,024 bytes is too long, and is not evaluated', () => {
    const long = `${'1+'.repeat(600)}cpu`;
    expect(check({ targetContainersMode: 'sum', resourcesExpr: { limits: { cpu: long } } })).toEqual([
      'spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu TooLong: must be at most 1024 bytes',
    ]);
  });

  it('a regex that compiles to more than 4,096 instructions is refused', () => {
    expect(check({ targetContainersMode: 'sum', targetContainersNameRegex: '(ab|cd){1000}', resourcesExpr: { limits: { cpu: 'cpu' } } })).toEqual([
      expect.stringMatching(/^spec\.containers\[0\]\.resourcesPolicy\.targetContainersNameRegex Invalid: compiles to 7002 instructions; at most 4096/),
    ]);
  });
});

describe("validateResourcesPolicy: OpenKruise's checks", () => {
  it.each<[string, unknown, string[]]>([
    ['a valid policy', { targetContainersMode: 'max', targetContainersNameRegex: '^(app|web)$', resourcesExpr: { limits: { cpu: 'max(cpu*50%, 50m)', memory: 'memory / 2' }, requests: { cpu: '' } } }, []],
    ['an expression that divides by zero with the variable set to 1', { targetContainersMode: 'sum', resourcesExpr: { requests: { cpu: 'cpu / (cpu - 1)' } } }, ['spec.containers[0].resourcesPolicy.resourcesExpr.requests.cpu Invalid: invalid expression: division by zero']],
    ['a negative result with the variable set to 1', { targetContainersMode: 'sum', resourcesExpr: { limits: { memory: 'memory - 2' } } }, ['spec.containers[0].resourcesPolicy.resourcesExpr.limits.memory Invalid: invalid expression: calculation result is negative']],
    ['an expression that is not a string', { targetContainersMode: 'sum', resourcesExpr: { limits: { cpu: 2 } } }, ['spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu TypeInvalid: must be a string (an expression)']],
  ])('%s', (_name, policy, expected) => {
    expect(check(policy)).toEqual(expected);
  });
});
