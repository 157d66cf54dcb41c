// Resource quantities (resource.Quantity): parse, compare and print in Kubernetes' canonical form.
// Values are held as integers of nano-units, rounded up; enough for every quantity the core kinds carry.

const NANO = 1_000_000_000n;
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const quantityRe = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** The regular expression Kubernetes quotes when a quantity does not parse. */
export const quantityFormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** A parsed quantity: its value in nano-units and the notation it was written in. */
export interface Quantity {
  nanos: bigint;
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

function pow(base: bigint, exp: number): bigint {
  let r = 1n;
  for (let i = 0; i < exp; i++) r *= base;
  return r;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

/** Parses `500m`, `1Gi`, `1e3`, `0.5` or a JSON number; undefined when it is not a quantity. */
export function parseQuantity(input: unknown): Quantity | undefined {
  const s = typeof input === 'number' && Number.isFinite(input) ? String(input) : input;
  if (typeof s !== 'string') return undefined;
  const m = quantityRe.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  const suffix = m[4] ?? '';
  const digits = BigInt((intPart + fracPart) || '0');
  let num = digits * NANO;
  let den = pow(10n, fracPart.length);
  let format: Quantity['format'] = 'DecimalSI';
  const bi = binarySuffixes.indexOf(suffix);
  if (suffix !== '' && bi > 0) {
    num *= pow(1024n, bi);
    format = 'BinarySI';
  } else {
    const exp = suffix.startsWith('e') || suffix.startsWith('E') ? Number(suffix.slice(1)) : decimalSuffixes[suffix];
    if (exp === undefined || Math.abs(exp) > 40) return undefined;
    if (suffix.startsWith('e') || suffix.startsWith('E')) format = 'DecimalExponent';
    if (exp >= 0) num *= pow(10n, exp);
    else den *= pow(10n, -exp);
  }
  return { nanos: sign * ceilDiv(num, den), format };
}

/** -1, 0 or 1; undefined when either side does not parse. */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (!x || !y) return undefined;
  return x.nanos < y.nanos ? -1 : x.nanos > y.nanos ? 1 : 0;
}

/** Rounds a quantity up to milli-units, as Kubernetes does for every resource list. */
export function roundUpToMilli(q: Quantity): Quantity {
  const milli = 1_000_000n;
  return { nanos: ceilDiv(q.nanos, milli) * milli, format: q.format };
}

/** The canonical text of a quantity (`1.5` → `1500m`, `1024Mi` → `1Gi`, `2000` → `2k`). */
export function formatQuantity(q: Quantity): string {
  const v = q.nanos;
  if (v === 0n) return '0';
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const sign = neg ? '-' : '';
  if (q.format === 'BinarySI' && abs >= 1024n * NANO && abs % NANO === 0n) {
    let n = abs / NANO;
    let e = 0;
    while (e < 6 && n % 1024n === 0n) {
      n /= 1024n;
      e++;
    }
    return `${sign}${n}${binarySuffixes[e]}`;
  }
  let m = abs;
  let e = -9;
  while (e < 18 && m % 1000n === 0n) {
    m /= 1000n;
    e += 3;
  }
  if (q.format === 'DecimalExponent') return e === 0 ? `${sign}${m}` : `${sign}${m}e${e}`;
  const suffix = Object.entries(decimalSuffixes).find(([, x]) => x === e)?.[0] ?? '';
  return `${sign}${m}${suffix}`;
}

/** The canonical text of a quantity string as a resource list stores it (rounded up to milli-units). */
export function canonicalQuantity(input: unknown): string | undefined {
  const q = parseQuantity(input);
  return q ? formatQuantity(roundUpToMilli(q)) : undefined;
}

/** Adds two quantities (nano-units); the result keeps the first one's notation. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.format };
}

/** The value as a JavaScript number of whole units (for integer checks and ratios). */
export function quantityValue(q: Quantity): number {
  return Number(q.nanos) / 1e9;
}

/** True when the quantity is a whole number of units. */
export function isWholeQuantity(q: Quantity): boolean {
  return q.nanos % NANO === 0n;
}
