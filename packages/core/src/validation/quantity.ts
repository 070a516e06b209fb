// resource.Quantity as k8s.io/apimachinery reads and writes it: exact decimal arithmetic (BigInt),
// the three formats (DecimalSI "500m", BinarySI "1Gi", DecimalExponent "1e3") and the canonical
// spelling the API server stores ("0.5" -> "500m", "1024Mi" -> "1Gi", 1 -> "1").
//
// Bounded work: every operation costs time linear in a short input. A quantity is read only from at
// most QUANTITY_MAX_LENGTH characters and only up to QUANTITY_MAX (8Ei, 2^63) in magnitude; no power
// of ten is ever expanded from an exponent the input chose. Deliberate difference from Kubernetes:
// the API server accepts any length and magnitude matching the pattern (`1e2000000000`, or 40,000
// digits, are stored lazily through inf.Dec); here they are refused with a field error, because
// exact arithmetic on them blocks the webhook for seconds. Values below a nano still round up to
// 1n exactly as Kubernetes rounds them, whatever their exponent.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** value = mantissa x 10^exponent, exactly. */
export interface Quantity {
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
}

/** The longest quantity string read (real ones are under 20 characters). */
export const QUANTITY_MAX_LENGTH = 64;
/** The largest magnitude read: 8Ei = 2^63, one more than the largest int64. */
export const QUANTITY_MAX = 2n ** 63n;
export const QUANTITY_MAX_TEXT = '8Ei (2^63)';

export type QuantityReading = { ok: true; quantity: Quantity } | { ok: false; reason: string };

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
// Linear: one optional sign, digits with at most one dot, one optional suffix; no nested quantifiers.
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export const NOT_A_QUANTITY = 'must be a quantity such as 500m, 2, 128Mi or 1Gi';

/**
 * Reads a quantity written as a string or a JSON number, or says why it is refused: not a quantity,
 * longer than QUANTITY_MAX_LENGTH, or larger than QUANTITY_MAX in magnitude.
 */
export function readQuantity(input: unknown): QuantityReading {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, reason: NOT_A_QUANTITY };
    text = String(input).replace('e+', 'e');
  } else if (typeof input === 'string') {
    text = input;
  } else {
    return { ok: false, reason: NOT_A_QUANTITY };
  }
  if (text.length > QUANTITY_MAX_LENGTH) {
    return { ok: false, reason: `must be at most ${QUANTITY_MAX_LENGTH} characters long (a deliberate bound; Kubernetes reads longer ones)` };
  }
  const match = QUANTITY.exec(text);
  if (!match) return { ok: false, reason: NOT_A_QUANTITY };
  const [, sign, number, suffix = ''] = match as unknown as [string, string, string, string | undefined];
  const [whole = '', fraction = ''] = number.split('.');
  let mantissa = BigInt((whole + fraction) || '0');
  let exponent = -fraction.length;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY_SUFFIXES) {
    mantissa *= 2n ** BigInt(BINARY_SUFFIXES[suffix]!);
    format = 'BinarySI';
  } else if (suffix in DECIMAL_SUFFIXES) {
    exponent += DECIMAL_SUFFIXES[suffix]!;
  } else {
    // At most 62 digits, so a finite number; its size is checked below without expanding it.
    exponent += Number(suffix.slice(1));
    format = 'DecimalExponent';
  }
  if (exceedsMaximum(mantissa, exponent)) {
    return { ok: false, reason: `must be at most ${QUANTITY_MAX_TEXT} in magnitude (a deliberate bound; Kubernetes reads larger ones)` };
  }
  if (sign === '-') mantissa = -mantissa;
  // The API server keeps no more than nano precision, rounding up (away from zero).
  return { ok: true, quantity: roundUp({ mantissa, exponent, format }, -9) };
}

/** Parses a quantity written as a string or a JSON number; undefined when it is not one or is refused (see readQuantity). */
export function parseQuantity(input: unknown): Quantity | undefined {
  const reading = readQuantity(input);
  return reading.ok ? reading.quantity : undefined;
}

const digitCount = (value: bigint): number => (value === 0n ? 0 : (value < 0n ? -value : value).toString().length);

/** |mantissa| x 10^exponent > QUANTITY_MAX, decided from the number of digits first. */
function exceedsMaximum(mantissa: bigint, exponent: number): boolean {
  if (mantissa === 0n) return false;
  const magnitude = digitCount(mantissa) + exponent; // the value is below 10^magnitude, at least 10^(magnitude-1)
  if (magnitude <= 18) return false; // below 10^18 < 2^63
  if (magnitude > 19) return true; // at least 10^19 > 2^63
  // Between 10^18 and 10^19: exact, with an exponent between -45 and 18 (the mantissa has at most 64 digits).
  const absolute = mantissa < 0n ? -mantissa : mantissa;
  if (exponent >= 0) return absolute * 10n ** BigInt(exponent) > QUANTITY_MAX;
  const divisor = 10n ** BigInt(-exponent);
  const whole = absolute / divisor;
  return whole > QUANTITY_MAX || (whole === QUANTITY_MAX && absolute % divisor !== 0n);
}

/** Rounds away from zero to 10^scale (the API server's Quantity.RoundUp). */
export function roundUp(q: Quantity, scale: number): Quantity {
  if (q.exponent >= scale) return q;
  const shift = scale - q.exponent;
  // A divisor with more digits than the mantissa leaves 0 and a remainder: the result is one unit.
  if (shift > digitCount(q.mantissa)) {
    return { ...q, mantissa: q.mantissa === 0n ? 0n : q.mantissa > 0n ? 1n : -1n, exponent: scale };
  }
  const divisor = 10n ** BigInt(shift);
  let mantissa = q.mantissa / divisor;
  if (mantissa * divisor !== q.mantissa) mantissa += q.mantissa > 0n ? 1n : -1n;
  return { ...q, mantissa, exponent: scale };
}

const signOf = (value: bigint): number => (value > 0n ? 1 : value < 0n ? -1 : 0);

/** Negative, zero or positive as a < b, a = b, a > b. Decided by sign and number of digits before any scaling. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const signA = signOf(a.mantissa);
  const signB = signOf(b.mantissa);
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  // Same sign: compare magnitudes by their order first, so exponents far apart cost nothing.
  const orderA = digitCount(a.mantissa) + a.exponent;
  const orderB = digitCount(b.mantissa) + b.exponent;
  if (orderA !== orderB) return (orderA < orderB ? -1 : 1) * signA;
  // Same order: the exponents differ by less than the digits of the longer mantissa.
  const scale = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * 10n ** BigInt(a.exponent - scale);
  const y = b.mantissa * 10n ** BigInt(b.exponent - scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

const DECIMAL_SUFFIX_OF = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIX_OF = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** The canonical string the API server writes for a quantity (one that parseQuantity returned). */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = compareQuantities(abs(q), { mantissa: 1024n, exponent: 0, format }) < 0;
    const integral = q.exponent >= 0 || q.mantissa % 10n ** BigInt(-q.exponent) === 0n;
    if (small || !integral) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = q.exponent >= 0 ? q.mantissa * 10n ** BigInt(q.exponent) : q.mantissa / 10n ** BigInt(-q.exponent);
    let power = 0;
    while (amount % 1024n === 0n && power < BINARY_SUFFIX_OF.length - 1) {
      amount /= 1024n;
      power += 1;
    }
    return `${amount}${BINARY_SUFFIX_OF[power]}`;
  }
  let amount = q.mantissa;
  let exponent = q.exponent;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent += 1;
  }
  const down = ((exponent % 3) + 3) % 3; // make the exponent a multiple of 3, scaling the number up
  amount *= 10n ** BigInt(down);
  exponent -= down;
  if (exponent === 0) return `${amount}`;
  const suffix = format === 'DecimalSI' ? DECIMAL_SUFFIX_OF.get(exponent) : undefined;
  return suffix !== undefined ? `${amount}${suffix}` : `${amount}e${exponent}`;
}

const abs = (q: Quantity): Quantity => ({ ...q, mantissa: q.mantissa < 0n ? -q.mantissa : q.mantissa });

/** A quantity in the API server's canonical spelling, optionally rounded up to milli (SetDefaults_ResourceList); undefined when refused. */
export function canonicalQuantity(input: unknown, roundToMilli = false): string | undefined {
  const q = parseQuantity(input);
  if (!q) return undefined;
  return formatQuantity(roundToMilli ? roundUp(q, -3) : q);
}
