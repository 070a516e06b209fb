// k8s.io/apimachinery's resource.Quantity (v0.32, the one OpenKruise v1.9.0 is built with) as
// OpenKruise's resource calculator uses it: parsed, added, negated, compared, read as milli-units,
// set from milli-units and written back. The value is exact (BigInt); what the value alone does not
// decide is kept too, because it shows in the result:
// - the format (DecimalSI, BinarySI, DecimalExponent, or none: a zero Quantity{} written as
//   DecimalExponent when it stops being zero), taken over by a zero from what is added to it;
// - whether Go holds the value as an int64 pair or as an inf.Dec (its milli value rounds a negative
//   fraction the other way, and wraps around differently past the int64 range);
// - the text Go keeps from parsing some strings ("+1", "010", "1.500k") and writes back unchanged
//   until an operation changes the value.
// Bounded: a quantity is read from at most QUANTITY_MAX_LENGTH characters and up to QUANTITY_MAX in
// magnitude (the same deliberate bounds as the API fields, see validation/quantity.ts); a zero is
// kept at exponent 0 whatever exponent it was written with, so no power of ten grows with the input.
import { QUANTITY_MAX, QUANTITY_MAX_LENGTH, QUANTITY_MAX_TEXT, type QuantityFormat } from '../validation/quantity.js';

export interface GoQuantity {
  /** int64Amount.value, or inf.Dec's unscaled value. */
  mantissa: bigint;
  /** int64Amount.scale, or minus inf.Dec's scale: the value is mantissa x 10^exponent. */
  exponent: number;
  /** '' is a zero Quantity{}'s format. */
  format: QuantityFormat | '';
  /** Held as an inf.Dec rather than an int64Amount. Go's Cmp turns its receiver into one. */
  dec: boolean;
  /** The string Go kept from parsing and writes back as it is. */
  text?: string;
}

export type GoQuantityReading = { ok: true; quantity: GoQuantity } | { ok: false; reason: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const fitsInt64 = (value: bigint): boolean => value >= INT64_MIN && value <= INT64_MAX;
/** Go's two's-complement wrap of an integer to int64 (big.Int.Int64 and int64 overflow). */
export const wrapInt64 = (value: bigint): bigint => BigInt.asIntN(64, value);
const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (value: bigint): bigint => (value < 0n ? -value : value);
const digitCount = (value: bigint): number => (value === 0n ? 0 : abs(value).toString().length);

export const ZERO_QUANTITY: GoQuantity = Object.freeze({ mantissa: 0n, exponent: 0, format: '', dec: false });

/** resource.NewMilliQuantity(value, DecimalSI) and Quantity.SetMilli: an int64 count of milli-units. */
export const milliQuantity = (milli: bigint, format: QuantityFormat | ''): GoQuantity => ({ mantissa: milli, exponent: -3, format, dec: false });
/** resource.NewQuantity(value, DecimalSI). */
export const wholeQuantity = (value: bigint): GoQuantity => ({ mantissa: value, exponent: 0, format: 'DecimalSI', dec: false });

const DECIMAL_SUFFIXES: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_LETTERS = 'eEinumkKMGTP';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    if (!fitsInt64(parsed)) return undefined; // strconv.ParseInt fails
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' }; // int32(parsed)
  }
  return undefined;
}

const NOT_A_QUANTITY = 'is not a quantity';

/** resource.ParseQuantity: the same strings accepted, the same value, format, representation and kept text. */
export function parseGoQuantity(text: string): GoQuantityReading {
  if (text.length === 0) return { ok: false, reason: NOT_A_QUANTITY };
  if (text.length > QUANTITY_MAX_LENGTH) return { ok: false, reason: `is longer than ${QUANTITY_MAX_LENGTH} characters (a deliberate bound)` };
  if (text === '0') return { ok: true, quantity: { mantissa: 0n, exponent: 0, format: 'DecimalSI', dec: false, text } };
  // parseQuantityString: sign, leading zeros, digits, optional "." and digits, then the suffix.
  let pos = 0;
  let positive = true;
  if (text[0] === '-' || text[0] === '+') {
    positive = text[0] === '+';
    pos = 1;
  }
  while (text[pos] === '0') pos++;
  let start = pos;
  while (isDigit(text[pos])) pos++;
  const num = text.slice(start, pos) || '0';
  let denom = '';
  if (text[pos] === '.') {
    start = ++pos;
    while (isDigit(text[pos])) pos++;
    denom = text.slice(start, pos);
  }
  const suffixStart = pos;
  while (pos < text.length && SUFFIX_LETTERS.includes(text[pos]!)) pos++;
  if (text[pos] === '+' || text[pos] === '-') pos++;
  while (isDigit(text[pos])) pos++;
  if (pos < text.length) return { ok: false, reason: NOT_A_QUANTITY };
  const suffix = interpretSuffix(text.slice(suffixStart));
  if (!suffix) return { ok: false, reason: 'has an unknown suffix' };

  const digits = BigInt(num + denom);
  if (digits !== 0n && exceedsMaximum(digits, denom.length, suffix)) {
    return { ok: false, reason: `is larger than ${QUANTITY_MAX_TEXT} (a deliberate bound)` };
  }

  // The int64 representation, when its precision allows.
  let precision: number;
  let scale = 0;
  if (suffix.base === 10) {
    scale = suffix.exponent;
    precision = 18 - (num.length + denom.length);
  } else {
    precision = denom.length === 0 ? 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1 : -1;
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const magnitude = suffix.base === 2 ? digits << BigInt(suffix.exponent) : digits;
      if (fitsInt64(magnitude)) {
        const value = positive ? magnitude : -magnitude;
        const shifted = num + denom;
        const keepsText =
          suffix.base === 2 ? (digits & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        if (value === 0n) return { ok: true, quantity: { mantissa: 0n, exponent: 0, format: suffix.format, dec: false } };
        return { ok: true, quantity: { mantissa: value, exponent: scale, format: suffix.format, dec: false, ...(keepsText ? { text } : {}) } };
      }
    }
  }

  // inf.Dec: rounded up (away from zero) to nano, binary values clamped to the largest int64.
  if (!/\d/.test(text.slice(0, suffixStart))) return { ok: false, reason: NOT_A_QUANTITY }; // inf.Dec.SetString fails
  if (digits === 0n) return { ok: true, quantity: { mantissa: 0n, exponent: 0, format: suffix.format, dec: true } };
  let mantissa = suffix.base === 2 ? digits << BigInt(suffix.exponent) : digits;
  let exponent = suffix.base === 2 ? -denom.length : suffix.exponent - denom.length;
  let format: QuantityFormat = suffix.format;
  if (exponent > -9) {
    mantissa *= pow10(exponent + 9);
  } else if (exponent < -9) {
    const shift = -9 - exponent;
    const divisor = shift > digitCount(mantissa) ? undefined : pow10(shift);
    mantissa = divisor === undefined ? 1n : mantissa / divisor + (mantissa % divisor === 0n ? 0n : 1n);
  }
  exponent = -9;
  if (format === 'BinarySI' && mantissa > INT64_MAX * 10n ** 9n) {
    mantissa = INT64_MAX;
    exponent = 0;
  }
  if (format === 'BinarySI' && mantissa < 10n ** 9n && exponent === -9) format = 'DecimalSI'; // between 0 and 1
  return { ok: true, quantity: { mantissa: positive ? mantissa : -mantissa, exponent, format, dec: true } };
}

/** digits x 10^-fractionDigits x the suffix > QUANTITY_MAX, decided from the number of digits before any power is expanded. */
function exceedsMaximum(digits: bigint, fractionDigits: number, suffix: Suffix): boolean {
  if (suffix.base === 2) return (digits << BigInt(suffix.exponent)) > QUANTITY_MAX * pow10(fractionDigits);
  const exponent = suffix.exponent - fractionDigits;
  const magnitude = digitCount(digits) + exponent;
  if (magnitude <= 18) return false;
  if (magnitude > 19) return true;
  return exponent >= 0 ? digits * pow10(exponent) > QUANTITY_MAX : digits > QUANTITY_MAX * pow10(-exponent);
}

const isZero = (q: GoQuantity): boolean => q.mantissa === 0n;
export const quantitySign = (q: GoQuantity): number => (q.mantissa > 0n ? 1 : q.mantissa < 0n ? -1 : 0);

/** Both values at the smaller exponent (exact; exponents stay within a few dozen of each other). */
function aligned(a: GoQuantity, b: GoQuantity): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.mantissa * pow10(a.exponent - exponent), b.mantissa * pow10(b.exponent - exponent), exponent];
}

/** Quantity.Add: a new quantity (Go's receiver is a fresh copy wherever the calculator adds). */
export function addQuantities(q: GoQuantity, y: GoQuantity): GoQuantity {
  const format = isZero(q) ? y.format : q.format;
  if (!q.dec && !y.dec) {
    if (isZero(y)) return { mantissa: q.mantissa, exponent: q.exponent, format, dec: false };
    if (isZero(q)) return { mantissa: y.mantissa, exponent: y.exponent, format, dec: false };
    const [a, b, exponent] = aligned(q, y);
    // int64Amount.Add: both scaled to the smaller exponent and added, unless that overflows.
    if (fitsInt64(a) && fitsInt64(b) && fitsInt64(a + b)) return { mantissa: a + b, exponent, format, dec: false };
  }
  const [a, b, exponent] = aligned(q, y);
  return { mantissa: a + b, exponent, format, dec: true };
}

/** Quantity.Neg on a copy. The int64 -2^63 stays itself, as Go's negation wraps. */
export function negateQuantity(q: GoQuantity): GoQuantity {
  const mantissa = !q.dec && q.mantissa === INT64_MIN ? q.mantissa : -q.mantissa;
  return { mantissa, exponent: q.exponent, format: q.format, dec: q.dec };
}

/** Quantity.Cmp, exactly. Go converts its receiver to inf.Dec when either side is one: `receiver.dec` is set as Go's is. */
export function compareQuantities(receiver: GoQuantity, other: GoQuantity): number {
  if (receiver.dec || other.dec) receiver.dec = true;
  const signA = quantitySign(receiver);
  const signB = quantitySign(other);
  if (signA !== signB || signA === 0) return Math.sign(signA - signB);
  const [a, b] = aligned(receiver, other);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * positiveScaleInt64's result (its overflow flag is ignored by MilliValue): by 10, 100, 1000, 10^6 and
 * 10^9 the product wraps around (-2^63 gives 0); by other powers it is 0 from the first overflowing step.
 */
function positiveScaleInt64(base: bigint, scale: number): bigint {
  if (scale === 0) return base;
  if (scale === 1 || scale === 2 || scale === 3 || scale === 6 || scale === 9) {
    if (base === 0n || base === 1n) return base * pow10(scale);
    if (base === INT64_MIN) return 0n;
    return wrapInt64(base * pow10(scale));
  }
  const scaled = base * pow10(scale);
  return fitsInt64(scaled) && base !== INT64_MIN ? scaled : 0n;
}

/** Quantity.MilliValue, including how Go rounds a fraction of a milli-unit and wraps past the int64 range. */
export function milliValue(q: GoQuantity): bigint {
  if (!q.dec) {
    if (q.exponent >= -3) return positiveScaleInt64(q.mantissa, q.exponent + 3);
    // negativeScaleInt64: truncated, then one more away from zero when a fraction was dropped.
    const divisor = pow10(-3 - q.exponent);
    const truncated = q.mantissa / divisor;
    if (truncated * divisor === q.mantissa) return truncated;
    return truncated + (q.mantissa > 0n ? 1n : -1n);
  }
  // scaledValue(unscaled, scale, 3) over inf.Dec, with dif = scale - 3.
  const dif = -q.exponent - 3;
  if (dif === 0) return wrapInt64(q.mantissa);
  if (dif < 0) {
    const factor = -dif <= 18 ? pow10(-dif) : INT64_MIN; // int64(math.Pow10(n)) overflows past 18
    return wrapInt64(wrapInt64(q.mantissa) * factor);
  }
  if (q.mantissa < INT64_MAX && dif < 19) {
    const unscaled = wrapInt64(q.mantissa);
    const divisor = pow10(dif);
    return unscaled / divisor + (unscaled % divisor !== 0n ? 1n : 0n);
  }
  // big.Int DivMod is Euclidean: floor for a positive divisor.
  const divisor = pow10(dif);
  let quotient = q.mantissa / divisor;
  const remainder = q.mantissa - quotient * divisor;
  if (remainder < 0n) quotient -= 1n;
  return wrapInt64(quotient + (remainder !== 0n ? 1n : 0n));
}

const DECIMAL_SUFFIX_OF = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIX_OF = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** What Quantity.MarshalJSON writes (without the quotes): the kept text, or the canonical spelling. */
export function formatGoQuantity(q: GoQuantity): string {
  if (q.text !== undefined) return q.text;
  if (q.mantissa === 0n) return '0';
  let format = q.format === '' ? 'DecimalExponent' : q.format;
  let integral: bigint | undefined;
  if (format === 'BinarySI') {
    // Between -1024 and 1024, or not a whole number: written as DecimalSI.
    const [value, limit] = q.exponent >= 0 ? [abs(q.mantissa) * pow10(q.exponent), 1024n] : [abs(q.mantissa), 1024n * pow10(-q.exponent)];
    const divisor = q.exponent >= 0 ? 1n : pow10(-q.exponent);
    if (value >= limit && q.mantissa % divisor === 0n) integral = q.exponent >= 0 ? q.mantissa * pow10(q.exponent) : q.mantissa / divisor;
    else format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = integral!;
    let power = 0;
    while (abs(amount) >= 1024n && amount % 1024n === 0n) {
      amount /= 1024n;
      power += 1;
    }
    return `${amount}${BINARY_SUFFIX_OF[power] ?? ''}`; // Go has no suffix past Ei and writes none
  }
  let amount = q.mantissa;
  let exponent = q.exponent;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent += 1;
  }
  const down = ((exponent % 3) + 3) % 3;
  amount *= pow10(down);
  exponent -= down;
  if (format === 'DecimalSI') return `${amount}${DECIMAL_SUFFIX_OF.get(exponent) ?? ''}`; // none past E, as Go
  return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
}
