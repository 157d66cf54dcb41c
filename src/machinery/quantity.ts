// resource.Quantity: parsing (`100m`, `1Gi`, `1e3`, `0.5`), exact arithmetic and comparison, and the canonical
// text Kubernetes serializes (`1000m` → `1`, `1024Mi` → `1Gi`, `0.5` → `500m`). Values are exact decimals
// (bigint × 10^scale); no floating point is involved in parsing or formatting.

/** How a quantity prints: `12e6`, `12Mi` or `12M`. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/**
 * An exact quantity: `unscaled × 10^scale`, the format it prints in, and, when the input was already in the form
 * Kubernetes would keep, that input string (Kubernetes echoes such strings back unchanged).
 */
export interface Quantity {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  readonly raw?: string;
}

/** The regular expression quoted in Kubernetes' parse error. */
export const quantityPattern = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** `quantities must match the regular expression '...'` (Kubernetes' ErrFormatWrong). */
export const quantityFormatErrorMessage = `quantities must match the regular expression '${quantityPattern}'`;
/** Kubernetes' ErrNumeric. */
export const quantityNumericErrorMessage = 'unable to parse numeric part of quantity';
/** Kubernetes' ErrSuffix. */
export const quantitySuffixErrorMessage = "unable to parse quantity's suffix";

/** A quantity string that Kubernetes would refuse; `message` is Kubernetes' text. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);
const nanoScale = -9;
const maxInt64Factors = 18;

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByExponent = new Map<number, string>([[0, ''], ...Object.entries(binarySuffixes).map(([s, e]): [number, string] => [e, s])]);

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function interpretSuffix(s: string): Suffix | undefined {
  if (has(decimalSuffixes, s)) return { base: 10, exponent: decimalSuffixes[s] ?? 0, format: 'DecimalSI' };
  if (has(binarySuffixes, s)) return { base: 2, exponent: binarySuffixes[s] ?? 0, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const v = BigInt(rest);
    if (v < int64Min || v > int64Max) return undefined;
    // Kubernetes keeps the exponent as an int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, v)), format: 'DecimalExponent' };
  }
  return undefined;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const suffixChars = 'eEinumkKMGTP';

interface Split {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
  /** Whether any digit precedes the suffix (Kubernetes' slow path needs one). */
  hasDigits: boolean;
}

// Splits `[+-]digits[.digits]suffix` the way Kubernetes' parseQuantityString does: leading zeros are dropped from
// `num`, an empty `num` is "0".
function splitQuantity(str: string): Split {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '', hasDigits: true };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  let hasDigits = i > (str[0] === '-' || str[0] === '+' ? 1 : 0);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (denom.length > 0) hasDigits = true;
    pos = i;
  }
  const suffixStart = pos;
  while (pos < end && suffixChars.includes(str[pos] ?? '')) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(quantityFormatErrorMessage);
  return { positive, num, denom, suffix: str.slice(suffixStart), hasDigits };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function digitCount(v: bigint): number {
  return v === 0n ? 1 : abs(v).toString().length;
}

// Rounds |unscaled| up (away from zero) to the given scale when it is finer; exact when already coarser.
function roundUpToScale(unscaled: bigint, scale: number, target: number): { unscaled: bigint; scale: number; exact: boolean } {
  if (scale >= target || unscaled === 0n) return { unscaled, scale, exact: true };
  const shift = target - scale;
  const sign = unscaled < 0n ? -1n : 1n;
  const mag = abs(unscaled);
  // Dividing by a power of ten longer than the number leaves 0 with a remainder: the result rounds to one unit.
  if (shift > digitCount(mag)) return { unscaled: sign, scale: target, exact: false };
  const d = pow10(shift);
  let q = mag / d;
  const exact = q * d === mag;
  if (!exact) q += 1n;
  return { unscaled: sign * q, scale: target, exact };
}

/**
 * Parses a quantity string as Kubernetes' ParseQuantity does. Throws QuantityError with Kubernetes' message
 * (`quantities must match the regular expression ...`) for malformed input.
 */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(quantityFormatErrorMessage);
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', raw: str };
  const { positive, num, denom, suffix, hasDigits } = splitQuantity(str);
  const sfx = interpretSuffix(suffix);
  if (!sfx) throw new QuantityError(quantitySuffixErrorMessage);
  let { format } = sfx;

  // Kubernetes' fast path: small values are kept as int64 and, when the input is already canonical, the input
  // string itself is what gets serialized. Reproduce both the result and that choice.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (sfx.exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(sfx.exponent);
      precision = 15 - num.length - Math.trunc((sfx.exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = sfx.exponent;
    precision = maxInt64Factors - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= nanoScale) {
      const shifted = num + denom;
      const value = BigInt(shifted);
      const result = value * mantissa;
      if (result <= int64Max) {
        const signed = positive ? result : -result;
        let keep: boolean;
        if (format === 'BinarySI') keep = sfx.exponent % 10 === 0 && (value & 7n) !== 0n;
        else keep = scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return keep ? { unscaled: signed, scale, format, raw: str } : { unscaled: signed, scale, format };
      }
    }
  }

  // The exact path: decimal value times the suffix, rounded up to nano units.
  if (!hasDigits) throw new QuantityError(quantityNumericErrorMessage);
  let unscaled = BigInt(num + denom);
  let exp10 = -denom.length;
  if (sfx.base === 10) exp10 += sfx.exponent;
  else unscaled <<= BigInt(sfx.exponent);
  const rounded = roundUpToScale(unscaled, exp10, nanoScale);
  unscaled = rounded.unscaled;
  exp10 = rounded.scale;
  if (format === 'BinarySI') {
    if (compareParts(unscaled, exp10, int64Max, 0) > 0) {
      unscaled = int64Max;
      exp10 = 0;
    }
    // Below one, binary suffixes make no sense: print it as a decimal.
    if (unscaled !== 0n && compareParts(unscaled, exp10, 1n, 0) < 0) format = 'DecimalSI';
  }
  return { unscaled: positive ? unscaled : -unscaled, scale: exp10, format };
}

/** Parses a quantity as it arrives in JSON: a string (surrounding spaces ignored) or a number. */
export function quantityFromJSON(v: string | number): Quantity {
  return parseQuantity(typeof v === 'number' ? String(v) : v.trim());
}

/** True when `s` parses as a quantity. */
export function isQuantity(s: string): boolean {
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

// Compares a×10^as with b×10^bs without building huge powers of ten when the magnitudes differ a lot.
function compareParts(a: bigint, as: number, b: bigint, bs: number): -1 | 0 | 1 {
  const sa = a === 0n ? 0 : a < 0n ? -1 : 1;
  const sb = b === 0n ? 0 : b < 0n ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const orderA = digitCount(a) + as;
  const orderB = digitCount(b) + bs;
  if (orderA !== orderB) return (orderA > orderB ? sa : -sa) as -1 | 1;
  const m = Math.min(as, bs);
  const x = a * pow10(as - m);
  const y = b * pow10(bs - m);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return compareParts(a.unscaled, a.scale, b.unscaled, b.scale);
}

/** True when both quantities have the same value (whatever their formats). */
export function quantitiesEqual(a: Quantity, b: Quantity): boolean {
  return compareQuantities(a, b) === 0;
}

/** True for a zero quantity. */
export function isZeroQuantity(q: Quantity): boolean {
  return q.unscaled === 0n;
}

/** -1, 0 or 1: the sign of the quantity. */
export function quantitySign(q: Quantity): -1 | 0 | 1 {
  return q.unscaled === 0n ? 0 : q.unscaled < 0n ? -1 : 1;
}

function addParts(a: Quantity, b: Quantity, negateB: boolean): Quantity {
  // As Kubernetes: adding to (or subtracting from) zero takes the other operand's format.
  const format = a.unscaled === 0n ? b.format : a.format;
  const bu = negateB ? -b.unscaled : b.unscaled;
  if (b.unscaled === 0n) return { unscaled: a.unscaled, scale: a.scale, format };
  if (a.unscaled === 0n) return { unscaled: bu, scale: b.scale, format };
  const m = Math.min(a.scale, b.scale);
  return { unscaled: a.unscaled * pow10(a.scale - m) + bu * pow10(b.scale - m), scale: m, format };
}

/** a + b, exactly. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return addParts(a, b, false);
}

/** a - b, exactly. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return addParts(a, b, true);
}

/** -q. */
export function negateQuantity(q: Quantity): Quantity {
  return { unscaled: -q.unscaled, scale: q.scale, format: q.format };
}

/** A quantity of `value` units in the given format (NewQuantity). */
export function newQuantity(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: BigInt(value), scale: 0, format };
}

/** A quantity of `value` thousandths (NewMilliQuantity): `newMilliQuantity(250)` is `250m`. */
export function newMilliQuantity(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: BigInt(value), scale: -3, format };
}

/** `value × 10^scale` in DecimalSI (NewScaledQuantity). */
export function newScaledQuantity(value: number | bigint, scale: number): Quantity {
  return { unscaled: BigInt(value), scale, format: 'DecimalSI' };
}

/** The value in units of 10^scale, rounded up away from zero (ScaledValue): scale 0 is Value, -3 MilliValue. */
export function quantityScaledValue(q: Quantity, scale: number): bigint {
  if (q.scale >= scale) return q.unscaled * pow10(q.scale - scale);
  return roundUpToScale(q.unscaled, q.scale, scale).unscaled;
}

/** The value in whole units, rounded up (Value()). */
export function quantityValue(q: Quantity): number {
  return Number(quantityScaledValue(q, 0));
}

/** The value in thousandths, rounded up (MilliValue()). */
export function quantityMilliValue(q: Quantity): number {
  return Number(quantityScaledValue(q, -3));
}

/** An approximate floating-point value, for display and ratios only. */
export function quantityToNumber(q: Quantity): number {
  return Number(`${q.unscaled}e${q.scale}`);
}

// The digits and a power-of-ten exponent that is a multiple of three (AsCanonicalBytes).
function canonicalDecimal(unscaled: bigint, scale: number): [string, number] {
  let m = unscaled;
  let e = scale;
  while (m !== 0n && m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  return [m.toString(), e];
}

/**
 * The canonical text of a quantity, exactly as Kubernetes serializes it: the original string when Kubernetes
 * keeps it, otherwise the shortest form in the quantity's format (`1`, `500m`, `1536Mi`, `1e3`).
 */
export function formatQuantity(q: Quantity): string {
  if (q.raw !== undefined) return q.raw;
  return canonicalQuantityString(q);
}

/** The canonical text, ignoring any kept input string. */
export function canonicalQuantityString(q: Quantity): string {
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  let integral: bigint | undefined;
  if (format === 'BinarySI') {
    // Small or fractional values print in decimal.
    if (compareParts(q.unscaled, q.scale, -1024n, 0) > 0 && compareParts(q.unscaled, q.scale, 1024n, 0) < 0) {
      format = 'DecimalSI';
    } else {
      const r = roundUpToScale(q.unscaled, q.scale, 0);
      if (!r.exact) format = 'DecimalSI';
      else integral = r.scale > 0 ? r.unscaled * pow10(r.scale) : r.unscaled;
    }
  }
  if (format === 'BinarySI' && integral !== undefined) {
    let n = integral;
    let times = 0;
    while (n !== 0n && n % 1024n === 0n) {
      n /= 1024n;
      times++;
    }
    // Beyond Ei Kubernetes finds no suffix and prints the bare number; so does kin.
    return n.toString() + (binaryByExponent.get(times * 10) ?? '');
  }
  const [digits, exponent] = canonicalDecimal(q.unscaled, q.scale);
  if (format === 'DecimalExponent') return exponent === 0 ? digits : `${digits}e${exponent}`;
  return digits + (decimalByExponent.get(exponent) ?? '');
}

/** Parses and prints in canonical form in one step: `canonicalizeQuantity('1024Mi')` is `1Gi`. */
export function canonicalizeQuantity(s: string): string {
  return formatQuantity(parseQuantity(s));
}
