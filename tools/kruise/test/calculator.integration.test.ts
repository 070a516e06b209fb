// resourcesPolicy expressions and quantities against OpenKruise v1.9.0's own resource calculator and
// the apimachinery it is built with (go/manager/cmd/calculator, built here from the same Go module as
// kruise-manager): generated expressions over a bound cpu or memory variable, and generated quantity
// strings, must give the same result or both an error. packages/core/src/resources is written anew;
// this is what says it reads the language as OpenKruise does, quirks included.
import { spawnSync } from 'node:child_process';
import {
  evaluateExpression,
  formatGoQuantity,
  milliValue,
  parseGoQuantity,
  ZERO_QUANTITY,
  type ExpressionValue,
  type GoQuantity,
} from '@sidecarset/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { kruiseBuild } from '../src/kruiseBuild.js';

const SEED = 20_261_202;
let binary: string;

beforeAll(() => {
  // Built by tools/kruise/build.sh with the manager (tests run without a network, and never build).
  binary = kruiseBuild().oracle('calculator');
});

interface Answer {
  error?: string;
  quantity?: string;
  milli?: string;
  number?: string;
}

function askOpenKruise(requests: object[]): Answer[] {
  const run = spawnSync(binary, { input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`calculator failed: ${run.stderr}`);
  return run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Answer);
}

/** strconv.FormatFloat(x, 'g', -1, 64) read back: the shortest text that gives the same float64. */
const readGoNumber = (text: string): number => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));
const quantityAnswer = (q: GoQuantity): Answer => ({ quantity: formatGoQuantity(q), milli: String(milliValue(q)) });

/** Ours, in the calculator's terms: the value of the expression (or an error), before the webhook turns a number into a quantity. */
function ours(expression: string, variable: string, value: string | null): Answer {
  let bound: GoQuantity = { ...ZERO_QUANTITY };
  if (value !== null) {
    const reading = parseGoQuantity(value);
    if (!reading.ok) return { error: `value: ${reading.reason}` };
    bound = reading.quantity;
  }
  const evaluation = evaluateExpression(expression, new Map<string, ExpressionValue>([[variable, { kind: 'quantity', quantity: bound }]]));
  if (!evaluation.ok) return { error: evaluation.reason };
  return evaluation.value.kind === 'quantity' ? quantityAnswer(evaluation.value.quantity) : { number: Object.is(evaluation.value.number, -0) ? '-0' : String(evaluation.value.number) };
}

/** Equal results, or an error on both sides (the messages are not compared: each side words its own). Numbers as float64s, -0 and NaN included. */
function agree(theirs: Answer, mine: Answer): boolean {
  if (theirs.error !== undefined || mine.error !== undefined) return theirs.error !== undefined && mine.error !== undefined;
  if (theirs.number !== undefined || mine.number !== undefined) return theirs.number !== undefined && mine.number !== undefined && Object.is(readGoNumber(theirs.number), Number(mine.number));
  return mine.quantity === theirs.quantity && mine.milli === theirs.milli;
}

const ATOMS = [
  ...['2', '0.5', '1e3', '50%', '1.', '.5', '0', '3', '1.5', '0.3', '7%', '1e-3', '100', '2.5e2', '1e+5', '2E-3', '9223372036854775807'],
  // words that are not numbers (read as 0), overflow, exponents where units were meant
  ...['5ki', '1e400', '1e400%', '1E', '.', '5%3', '4e', '1n', '8Ei', '1e3Mi', '5%Mi', '.k', '1.k', '1e-310%', '1e310', '0x10'],
  ...['100m', '512Mi', '1Gi', '1.5Ki', '2k', '1.500k', '010m', '1P', '1000P', '2Ti', '0.5Gi', '250m', '1M', '1G', '64Mi', '1.5m', '0m', '7Pi', '3Ki'],
  ...['cpu', 'memory', 'CPU', 'Memory', 'x', 'memory_x', '1.memory', 'cpuª'],
  // bytes Go reads one at a time: spaces, a NUL that ends the input, Latin-1 letters, characters no rule takes
  ...[' ', '\t', '\u00a0', 'é', 'ª', '\u0000', '%', '^', ',', '(', ')'],
];
const OPERATORS = [' + ', '-', ' * ', '/', '*', ' - '];
const FUNCTIONS = ['max', 'min', 'MAX', 'Min', 'avg'];
const VALUES = [null, '1', '200m', '1Gi', '512Mi', '+1', '010', '1.500k', '0', '1.5Ki', '1500m', '9E', '1e3', '3Pi', '1n', '7Ki', '1.2Gi', '1000P', '9223372036854775807', '8Ei', '-1', '-1.5m', '1E3', '0.5Ki', '7.5Ti'];

const expressionArb: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ATOMS) },
    { weight: 2, arbitrary: fc.tuple(tie('e'), fc.constantFrom(...OPERATORS), tie('e')).map(([a, op, b]) => `${a}${op}${b}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FUNCTIONS), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`) },
    { weight: 1, arbitrary: tie('e').map((a) => `(${a})`) },
    { weight: 1, arbitrary: tie('e').map((a) => `-${a}`) },
  ),
})).e;

describe("OpenKruise v1.9.0's calculator and ours", () => {
  it('evaluate 20,000 generated expressions over a bound variable alike', () => {
    const cases = fc.sample(fc.record({ expr: expressionArb, variable: fc.constantFrom('cpu', 'memory'), value: fc.constantFrom(...VALUES) }), { seed: SEED, numRuns: 20_000 });
    const answers = askOpenKruise(cases);
    expect(answers).toHaveLength(cases.length);
    const differences = cases
      .map((c, i) => ({ c, theirs: answers[i]!, mine: ours(c.expr, c.variable, c.value) }))
      .filter(({ theirs, mine }) => !agree(theirs, mine) && !/deliberate bound/.test(`${mine.error}`))
      .map(({ c, theirs, mine }) => `${JSON.stringify(c)}: OpenKruise ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
    // Most cases give a value, so the comparison is about values, not only about errors.
    expect(answers.filter((a) => a.error === undefined).length).toBeGreaterThan(cases.length / 3);
    expect(differences.slice(0, 20)).toEqual([]);
  }, 120_000);

  it('read 30,000 generated quantity strings alike (value, the text written back, the milli value)', () => {
    const strings = fc.sample(
      fc.oneof(
        fc.stringMatching(/^[+-]?[0-9]{0,20}(\.[0-9]{0,12})?([eE][+-]?[0-9]{1,3}|[numkMGTPE]|[KMGTPE]i)?$/),
        fc.string({ unit: fc.constantFrom(...'0123456789.+-eEinumkKMGTP'), maxLength: 10 }),
      ),
      { seed: SEED, numRuns: 30_000 },
    );
    const answers = askOpenKruise(strings.map((quantity) => ({ quantity })));
    const differences = strings
      .map((text, i) => {
        const reading = parseGoQuantity(text);
        const mine: Answer = reading.ok ? quantityAnswer(reading.quantity) : { error: reading.reason };
        return { text, theirs: answers[i]!, mine };
      })
      .filter(({ theirs, mine }) => !agree(theirs, mine) && !/deliberate bound/.test(`${mine.error}`))
      .map(({ text, theirs, mine }) => `${JSON.stringify(text)}: OpenKruise ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
    expect(answers.filter((a) => a.error === undefined).length).toBeGreaterThan(strings.length / 3);
    expect(differences.slice(0, 20)).toEqual([]);
  }, 120_000);
});
