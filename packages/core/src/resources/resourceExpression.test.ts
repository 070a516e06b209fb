import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoQuantity, parseGoQuantity, ZERO_QUANTITY, type GoQuantity } from './goQuantity.js';
import { EXPRESSION_MAX_LENGTH, evaluateExpression, goInt64 } from './resourceExpression.js';
import { evaluateResourceExpression } from './resourcesFromPolicy.js';

const quantity = (text: string): GoQuantity => {
  const reading = parseGoQuantity(text);
  if (!reading.ok) throw new Error(`${text} ${reading.reason}`);
  return reading.quantity;
};
/** The string written into the sidecar's resources, or the error. */
const evaluate = (expression: string, aggregate: string | null): string => {
  const result = evaluateResourceExpression(expression, aggregate === null ? ZERO_QUANTITY : quantity(aggregate));
  return result.ok ? formatGoQuantity(result.quantity) : `error: ${result.reason}`;
};

/** CPU time of this process in ms: a stall guard that the machine's other load does not move. */
const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

// Expected values are what OpenKruise v1.9.0's webhook writes for the same expression and aggregate
// (its calculator and evaluateResourceExpression, run on the same inputs).
describe('evaluateResourceExpression: results as OpenKruise writes them', () => {
  it.each<[string, string, string | null, string]>([
    ['the example of the proposal: half the cpu, at least 50m', 'max(cpu*50%, 50m)', '200m', '100m'],
    ['the floor wins when half is less', 'max(cpu*50%, 50m)', '60m', '50m'],
    ['half of 1Gi stays binary', 'memory*50%', '1Gi', '512Mi'],
    ['a fraction of memory is truncated to whole milli-units', 'memory*0.3', '1Gi', '322122547200m'],
    ['a quantity plus a number: the number is milli-units of a DecimalSI quantity', 'cpu + 1', '1.5Ki', '1537'],
    ['max of a quantity and a number is a quantity', 'MAX(1Gi, 2)', '1', '1Gi'],
    ['the variable alone keeps the text Go kept from parsing it', 'cpu', '+1', '+1'],
    ['leading zeros are kept too', 'cpu', '010', '010'],
    ['arithmetic writes the canonical form', 'cpu + 0', '1.500k', '1500'],
    ['min picks the smaller', 'min(cpu, 300m)', '1', '300m'],
    ['a number result is milli-units when the variable is cpu', '0.5', '1', '500m'],
    ['a number result is whole units when the expression names memory', '0.5 + 1.memory', '1', '0'],
    ['a word that is not a number reads as 0', '5ki + 1', '1', '1'],
    ['E is an exponent in a number: 1000E is 0', '1000E + 2', '1', '2'],
    ['1000P overflows its milli value, which Go reads as 0', '1000P * 1', '1', '0'],
    ['NaN becomes -2^63 milli-units, which is not negative to Go until written', '1e400 * 0 + 1', '1', '-9223372036854775808m'],
    ['a missing request is a zero Quantity', 'cpu', null, '0'],
    ['a zero Quantity times a number is still zero', 'cpu * 2', null, '0'],
    ['whole binary values divided keep their suffix', 'memory / 4', '1Gi', '256Mi'],
    ['percentages of percentages', '50% * 50% * cpu', '4', '1'],
    ['unary minus binds to the factor', '-1 * -cpu', '2', '2'],
    ['left to right', '10 - 2 - 3', '1', '5'],
    ['n is not one of the units, so 1n is a word that reads as 0', '1n * 3 + cpu', '1', '1'],
    ['a quantity literal with a fraction of a milli-unit rounds up when scaled', '0.0000001k * 3', '1', '3m'],
  ])('%s: %s of %s is %s', (_name, expression, aggregate, expected) => {
    expect(evaluate(expression, aggregate)).toBe(expected);
  });
});

describe('evaluateResourceExpression: errors deny the pod', () => {
  it.each<[string, string, string | null, RegExp]>([
    ['a negative result', 'cpu - 1', null, /negative/],
    ['two quantities multiplied', 'cpu * 2m', '1', /multiplication of two quantities/],
    ['a division by a quantity', '2 / cpu', '1', /division by quantity/],
    ['a division by zero', 'cpu / 0', '1', /division by zero/],
    ['an unknown function', 'avg(cpu, 1)', '1', /unknown function: avg/],
    ['max with one argument', 'max(cpu)', '1', /exactly 2 arguments, got 1/],
    ['max with three arguments', 'max(cpu, 1, 2)', '1', /syntax error/],
    ['cpu in an expression that names memory', 'memory + cpu', '1', /undefined variable: cpu/],
    ['Memory is not the word memory, so the variable is cpu', 'Memory * 2', '1', /undefined variable: memory/],
    ['only spaces', '   ', '1', /syntax error/],
    ['an unknown character', 'cpu ^ 2', '1', /syntax error/],
    ['E followed by i is not a unit: 1E then i', '8Ei * 1', '1', /syntax error/],
    ['a unit after an exponent is not a quantity', '1e3Mi', '1', /quantity 1e3Mi/],
  ])('%s: %s', (_name, expression, aggregate, reason) => {
    expect(evaluate(expression, aggregate)).toMatch(reason);
  });

  it('reads the input as Go reads it: a NUL byte ends it, Latin-1 letters are letters', () => {
    expect(evaluate('cpu\u0000 garbage', '2')).toBe('2');
    expect(evaluate('cpu\u00a0+ 1', '2')).toMatch(/undefined variable/); // U+00A0 is two bytes, the first a letter (Â) to Go
  });
});

describe('evaluateExpression: bounded work on any input', () => {
  it('an expression longer than the bound is refused, not evaluated', () => {
    const result = evaluateExpression('1+'.repeat(EXPRESSION_MAX_LENGTH) + '1', new Map());
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('deliberate bound') });
  });

  it('the worst expressions within the bound finish quickly (nesting, long sums of huge quantities, many calls)', () => {
    const half = EXPRESSION_MAX_LENGTH / 2 - 1;
    const worst = [
      '('.repeat(half) + '1' + ')'.repeat(half),
      '-'.repeat(EXPRESSION_MAX_LENGTH - 2) + '1',
      Array.from({ length: 340 }, () => '9P').join('+'),
      'max(1,'.repeat(140) + '1' + ')'.repeat(140),
    ];
    const before = cpuMs();
    for (const expression of worst) expect(evaluateExpression(expression, new Map()).ok).toBe(true);
    expect(cpuMs() - before).toBeLessThan(1000);
  });

  it('never throws, whatever the characters', () => {
    const alphabet = fc.constantFrom(...'0123456789.eE+-*/%(),  cpumemoryaxinMKGiPT\u0000\u00e9'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 60 }), (expression) => {
        const result = evaluateExpression(expression, new Map([['cpu', { kind: 'quantity', quantity: quantity('1500m') }]]));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('max and min agree with the comparison of their arguments (a property over quantities)', () => {
    const text = fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('m', '', 'k', 'Mi', 'Gi', 'Ki')).map(([n, unit]) => `${n}${unit}`);
    fc.assert(
      fc.property(text, text, (a, b) => {
        const big = evaluate(`max(${a}, ${b})`, '1');
        const small = evaluate(`min(${a}, ${b})`, '1');
        // both results are one of the arguments, written as Go writes a parsed quantity
        expect([formatGoQuantity(quantity(a)), formatGoQuantity(quantity(b))]).toContain(big);
        expect(evaluate(`${big} - ${small}`, '1')).not.toMatch(/negative/);
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('goInt64: float64 to int64 as Go converts on amd64', () => {
  it.each<[number, bigint]>([
    [1.9, 1n],
    [-1.9, -1n],
    [9.2233720368547748e18, 9223372036854774784n],
    [1e19, -(2n ** 63n)],
    [-1e19, -(2n ** 63n)],
    [Number.NaN, -(2n ** 63n)],
    [Number.POSITIVE_INFINITY, -(2n ** 63n)],
  ])('int64(%d) = %d', (x, expected) => {
    expect(goInt64(x)).toBe(expected);
  });
});
