// The expression language of resourcesPolicy.resourcesExpr, as OpenKruise v1.9.0's resource
// calculator reads and evaluates it (its pkg/util/calculator, a goyacc grammar over its own lexer),
// written anew here and checked against it (tools/kruise's differential suite):
// - numbers (`2`, `0.5`, `1e3`, `50%` = 0.5), quantities (`100m`, `512Mi`: a number with one of the
//   units m k M G T P Ki Mi Gi Ti Pi; `1E`/`1Ei` read `E` as an exponent), one variable (`cpu` or
//   `memory`, case-insensitive), `+ - * /`, unary minus, parentheses, `max(a, b)` and `min(a, b)`;
// - a number token that is not a number (`5ki`, `2x`, `.`, `1e`) reads as 0, as Go ignores the
//   strconv.ParseFloat error there; an overflowing percentage reads as 0 too, a plain one as +Inf;
// - a number and a quantity meet as milli-units: the number becomes int64(n x 1000) milli, and a
//   quantity times or divided by a number is int64(milli x n) milli, truncated toward zero (Go's
//   float-to-int64 conversion on amd64: NaN and out-of-range values become -2^63);
// - two quantities cannot be multiplied, nothing can be divided by a quantity or by zero, functions
//   other than max and min are unknown, and a negative result is an error;
// - the input is read as Go reads it: byte by byte (Latin-1 letters count as letters, a NUL byte ends
//   the input, bytes 0x85 and 0xA0 are spaces).
// Linear: one pass of a lexer and a precedence parser over at most EXPRESSION_MAX_LENGTH bytes, each
// step a constant number of operations on numbers of bounded size.
import type { QuantityFormat } from '../validation/quantity.js';
import {
  addQuantities,
  compareQuantities,
  milliQuantity,
  milliValue,
  negateQuantity,
  parseGoQuantity,
  quantitySign,
  type GoQuantity,
} from './goQuantity.js';

/** The longest expression evaluated (a deliberate bound: OpenKruise reads any length). */
export const EXPRESSION_MAX_LENGTH = 1024;

export type ExpressionValue = { kind: 'number'; number: number } | { kind: 'quantity'; quantity: GoQuantity };
export type Evaluation = { ok: true; value: ExpressionValue } | { ok: false; reason: string };

class ExpressionError extends Error {}
const fail = (reason: string): never => {
  throw new ExpressionError(reason);
};

const INT64_MIN = -(2n ** 63n);
const TWO_TO_63 = 2 ** 63;
/** Go's int64(x) for a float64 on amd64: truncation toward zero, and -2^63 for NaN and out-of-range values. */
export function goInt64(x: number): bigint {
  if (Number.isNaN(x) || x >= TWO_TO_63 || x < -TWO_TO_63) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

// --- Lexer -------------------------------------------------------------------------------------

type Token =
  | { type: 'number'; text: string }
  | { type: 'quantity'; text: string }
  | { type: 'ident'; text: string }
  | { type: 'punct'; char: string }
  | { type: 'end' };

/** unicode.IsLetter of a byte read as a rune (Latin-1). */
const isLetter = (b: number): boolean =>
  (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0xaa || b === 0xb5 || b === 0xba || (b >= 0xc0 && b <= 0xff && b !== 0xd7 && b !== 0xf7);
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isSpace = (b: number): boolean => (b >= 0x09 && b <= 0x0d) || b === 0x20 || b === 0x85 || b === 0xa0;
const PUNCTUATION = new Set(['+', '-', '*', '/', '(', ')', ',']);
const QUANTITY_UNITS = new Set(['m', 'k', 'M', 'G', 'T', 'P', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi']);
const NUMERIC = /^[0-9.eE+-]$/;

class Lexer {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** The byte at pos, or 0 at the end (a NUL byte reads as the end too). */
  private peek(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos]! : 0;
  }

  private text(start: number): string {
    return String.fromCharCode(...this.bytes.subarray(start, this.pos));
  }

  next(): Token {
    while (this.peek() !== 0 && isSpace(this.peek())) this.pos++;
    const b = this.peek();
    if (b === 0) return { type: 'end' };
    const char = String.fromCharCode(b);
    if (PUNCTUATION.has(char)) {
      this.pos++;
      return { type: 'punct', char };
    }
    if (b === 0x2e || isDigit(b)) return this.number();
    if (isLetter(b)) {
      const start = this.pos;
      while (this.peek() !== 0 && (isLetter(this.peek()) || isDigit(this.peek()) || this.peek() === 0x5f)) this.pos++;
      return { type: 'ident', text: this.text(start) };
    }
    this.pos++;
    return { type: 'punct', char }; // no rule takes it: a syntax error
  }

  private number(): Token {
    const start = this.pos;
    let seenDot = false;
    let seenExponent = false;
    let seenPercent = false;
    let expectExponentDigit = false;
    for (;;) {
      const b = this.peek();
      if (b === 0) break;
      if (isDigit(b)) {
        expectExponentDigit = false;
      } else if (b === 0x2e) {
        if (seenDot || seenExponent || seenPercent) break;
        seenDot = true;
      } else if (b === 0x65 || b === 0x45) {
        if (seenExponent || seenPercent) break;
        seenExponent = true;
        expectExponentDigit = true;
      } else if (b === 0x2b || b === 0x2d) {
        if (!expectExponentDigit) break;
        expectExponentDigit = false;
      } else if (b === 0x25) {
        if (seenPercent) break;
        seenPercent = true;
      } else if (isLetter(b)) {
        if (!expectExponentDigit) while (this.peek() !== 0 && isLetter(this.peek())) this.pos++;
        break;
      } else {
        break;
      }
      this.pos++;
    }
    const text = this.text(start);
    return { type: isQuantityToken(text) ? 'quantity' : 'number', text };
  }
}

/** A numeric part followed by exactly one known unit. */
function isQuantityToken(text: string): boolean {
  let numericEnd = 0;
  while (numericEnd < text.length && NUMERIC.test(text[numericEnd]!)) numericEnd++;
  return numericEnd > 0 && numericEnd < text.length && QUANTITY_UNITS.has(text.slice(numericEnd));
}

const FLOAT = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** strconv.ParseFloat's value where Go keeps it: NaN for a syntax error (the caller reads it as 0). */
const parseFloat64 = (text: string): number => (FLOAT.test(text) ? Number(text) : Number.NaN);

function numberValue(text: string): number {
  if (text.endsWith('%')) {
    const value = parseFloat64(text.slice(0, -1));
    return Number.isFinite(value) ? value / 100 : 0; // an error (syntax or range) gives 0
  }
  const value = parseFloat64(text);
  return Number.isNaN(value) ? 0 : value; // a range error keeps ±Inf
}

// --- Operations --------------------------------------------------------------------------------

const num = (number: number): ExpressionValue => ({ kind: 'number', number });
const qty = (quantity: GoQuantity): ExpressionValue => ({ kind: 'quantity', quantity });
/** A number as the calculator turns it into a quantity: int64(n x 1000) milli-units, DecimalSI. */
const numberAsQuantity = (n: number): GoQuantity => milliQuantity(goInt64(n * 1000), 'DecimalSI');
const asQuantity = (v: ExpressionValue): GoQuantity => (v.kind === 'quantity' ? { ...v.quantity } : numberAsQuantity(v.number));
/** Quantity.SetMilli on a copy: the format stays, the value becomes int64 milli-units. */
const scaled = (q: GoQuantity, by: (milli: number) => number): GoQuantity => milliQuantity(goInt64(by(Number(milliValue(q)))), q.format as QuantityFormat | '');

function add(left: ExpressionValue, right: ExpressionValue, subtract: boolean): ExpressionValue {
  if (left.kind === 'number' && right.kind === 'number') return num(subtract ? left.number - right.number : left.number + right.number);
  const r = asQuantity(right);
  return qty(addQuantities(asQuantity(left), subtract ? negateQuantity(r) : r));
}

function multiply(left: ExpressionValue, right: ExpressionValue): ExpressionValue {
  if (left.kind === 'quantity' && right.kind === 'quantity') return fail('multiplication of two quantities');
  if (left.kind === 'quantity') return qty(scaled(left.quantity, (milli) => milli * (right as { number: number }).number));
  if (right.kind === 'quantity') return qty(scaled(right.quantity, (milli) => milli * left.number));
  return num(left.number * right.number);
}

function divide(left: ExpressionValue, right: ExpressionValue): ExpressionValue {
  if (right.kind === 'quantity') return fail('division by quantity');
  if (right.number === 0) return fail('division by zero');
  if (left.kind === 'quantity') return qty(scaled(left.quantity, (milli) => milli / right.number));
  return num(left.number / right.number);
}

/** max and min: `pick(cmp)` says whether the left one wins. Two quantities compare with the left as Go's receiver. */
function extreme(left: ExpressionValue, right: ExpressionValue, pickLeft: (cmp: number) => boolean): ExpressionValue {
  if (left.kind === 'quantity' && right.kind === 'quantity') {
    return pickLeft(compareQuantities(left.quantity, right.quantity)) ? qty({ ...left.quantity }) : qty({ ...right.quantity });
  }
  if (left.kind === 'quantity') {
    const r = numberAsQuantity((right as { number: number }).number);
    // max compares a copy of the left one, min the left one itself (r is never an inf.Dec, so this only matters for its own kind).
    return pickLeft(compareQuantities({ ...left.quantity }, r)) ? qty({ ...left.quantity }) : qty(r);
  }
  if (right.kind === 'quantity') {
    const l = numberAsQuantity(left.number);
    return pickLeft(compareQuantities(l, right.quantity)) ? qty(l) : qty({ ...right.quantity });
  }
  return pickLeft(left.number >= right.number ? 1 : left.number <= right.number ? -1 : Number.NaN) ? num(left.number) : num(right.number);
}

/** strings.ToLower where it can give a name we know: identifiers of ASCII letters (others name nothing here). */
const asciiLower = (text: string): string | undefined => ([...text].every((c) => c.charCodeAt(0) < 0x80) ? text.toLowerCase() : undefined);

function callFunction(name: string, args: ExpressionValue[]): ExpressionValue {
  const fn = asciiLower(name);
  if (fn !== 'max' && fn !== 'min') return fail(`unknown function: ${name}`);
  if (args.length !== 2) return fail(`${fn} function requires exactly 2 arguments, got ${args.length}`);
  const [left, right] = args as [ExpressionValue, ExpressionValue];
  if (fn === 'max') {
    // max: both numbers keep the left one on >=; quantities on cmp >= 0.
    if (left.kind === 'number' && right.kind === 'number') return left.number >= right.number ? num(left.number) : num(right.number);
    return extreme(left, right, (cmp) => cmp >= 0);
  }
  if (left.kind === 'number' && right.kind === 'number') return left.number <= right.number ? num(left.number) : num(right.number);
  return extreme(left, right, (cmp) => cmp <= 0);
}

// --- Parser ------------------------------------------------------------------------------------

class Parser {
  private token: Token;
  constructor(
    private readonly lexer: Lexer,
    private readonly variables: ReadonlyMap<string, ExpressionValue>,
  ) {
    this.token = lexer.next();
  }

  private advance(): Token {
    const token = this.token;
    this.token = this.lexer.next();
    return token;
  }

  private isPunct(char: string): boolean {
    return this.token.type === 'punct' && this.token.char === char;
  }

  private expect(char: string): void {
    if (!this.isPunct(char)) fail('syntax error');
    this.advance();
  }

  parse(): ExpressionValue {
    const value = this.expression();
    if (this.token.type !== 'end') fail('syntax error');
    return value;
  }

  /** expr: expr ('+' | '-') expr | term, left-associative. */
  private expression(): ExpressionValue {
    let value = this.term();
    while (this.isPunct('+') || this.isPunct('-')) {
      const subtract = this.isPunct('-');
      this.advance();
      value = add(value, this.term(), subtract);
    }
    return value;
  }

  /** term: term ('*' | '/') term | factor, left-associative. */
  private term(): ExpressionValue {
    let value = this.factor();
    while (this.isPunct('*') || this.isPunct('/')) {
      const isDivision = this.isPunct('/');
      this.advance();
      const right = this.factor();
      value = isDivision ? divide(value, right) : multiply(value, right);
    }
    return value;
  }

  /** factor: NUMBER | QUANTITY | IDENT | IDENT '(' expr [',' expr] ')' | '(' expr ')' | '-' factor. */
  private factor(): ExpressionValue {
    const token = this.advance();
    switch (token.type) {
      case 'number':
        return num(numberValue(token.text));
      case 'quantity': {
        const reading = parseGoQuantity(token.text);
        return reading.ok ? qty(reading.quantity) : fail(`quantity ${token.text} ${reading.reason}`);
      }
      case 'ident': {
        if (this.isPunct('(')) {
          this.advance();
          const args = [this.expression()];
          if (this.isPunct(',')) {
            this.advance();
            args.push(this.expression());
          }
          this.expect(')');
          return callFunction(token.text, args);
        }
        const name = asciiLower(token.text);
        const value = name === undefined ? undefined : this.variables.get(name);
        return value ?? fail(`undefined variable: ${name ?? token.text}`);
      }
      case 'punct':
        if (token.char === '(') {
          const value = this.expression();
          this.expect(')');
          return value;
        }
        if (token.char === '-') {
          const value = this.factor();
          return value.kind === 'quantity' ? qty(negateQuantity(value.quantity)) : num(-value.number);
        }
        return fail('syntax error');
      default:
        return fail('syntax error');
    }
  }
}

const encoder = new TextEncoder();

/**
 * Evaluates an expression with the given variables (named in lower case); a result below zero is an
 * error. The variables' quantities may be changed in representation (Go's Cmp does the same): pass copies.
 */
export function evaluateExpression(expression: string, variables: ReadonlyMap<string, ExpressionValue>): Evaluation {
  const bytes = encoder.encode(expression);
  if (bytes.length > EXPRESSION_MAX_LENGTH) return { ok: false, reason: `is longer than ${EXPRESSION_MAX_LENGTH} bytes (a deliberate bound)` };
  try {
    const value = new Parser(new Lexer(bytes), variables).parse();
    const negative = value.kind === 'quantity' ? quantitySign(value.quantity) < 0 : value.number < 0;
    if (negative) return { ok: false, reason: 'calculation result is negative' };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, reason: error.message };
    throw error;
  }
}
