// resource.Quantity as k8s.io/apimachinery reads and writes it: exact decimal arithmetic (BigInt),
// the three formats (DecimalSI "500m", BinarySI "1Gi", DecimalExponent "1e3") and the canonical
// spelling the API server stores ("0.5" -> "500m", "1024Mi" -> "1Gi", 1 -> "1").

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** value = mantissa x 10^exponent, exactly. */
export interface Quantity {
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Parses a quantity written as a string or a JSON number; undefined when it is not one. */
export function parseQuantity(input: unknown): Quantity | undefined {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    text = String(input).replace('e+', 'e');
  } else if (typeof input === 'string') {
    text = input;
  } else {
    return undefined;
  }
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
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
    exponent += Number(suffix.slice(1));
    format = 'DecimalExponent';
  }
  if (sign === '-') mantissa = -mantissa;
  // The API server keeps no more than nano precision, rounding up (away from zero).
  return roundUp({ mantissa, exponent, format }, -9);
}

/** Rounds away from zero to 10^scale (the API server's Quantity.RoundUp). */
export function roundUp(q: Quantity, scale: number): Quantity {
  if (q.exponent >= scale) return q;
  const divisor = 10n ** BigInt(scale - q.exponent);
  let mantissa = q.mantissa / divisor;
  if (mantissa * divisor !== q.mantissa) mantissa += q.mantissa > 0n ? 1n : -1n;
  return { ...q, mantissa, exponent: scale };
}

/** Negative, zero or positive as a < b, a = b, a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const scale = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * 10n ** BigInt(a.exponent - scale);
  const y = b.mantissa * 10n ** BigInt(b.exponent - scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

const DECIMAL_SUFFIX_OF = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
const BINARY_SUFFIX_OF = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** The canonical string the API server writes for a quantity. */
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

/** A quantity in the API server's canonical spelling, optionally rounded up to milli (SetDefaults_ResourceList). */
export function canonicalQuantity(input: unknown, roundToMilli = false): string | undefined {
  const q = parseQuantity(input);
  if (!q) return undefined;
  return formatQuantity(roundToMilli ? roundUp(q, -3) : q);
}
