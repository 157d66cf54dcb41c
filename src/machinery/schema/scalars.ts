// Checks of the scalar types Kubernetes decodes with custom code (quantities, timestamps, base64 bytes), returning
// the messages its decoder gives for bad input.

/** The regular expression quantities must match, as Kubernetes quotes it in its error. */
const quantityPattern = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const errFormatWrong = `quantities must match the regular expression '${quantityPattern}'`;
const errNumeric = 'unable to parse numeric part of quantity';
const errSuffix = "unable to parse quantity's suffix";
const suffixes = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The error Kubernetes gives when decoding `raw` (a decoded JSON value) as a resource.Quantity, or undefined. */
export function quantityError(raw: unknown): string | undefined {
  const text = typeof raw === 'string' ? raw.trim() : JSON.stringify(raw);
  return parseQuantityError(text);
}

/** The error of parsing a quantity string, or undefined when it parses (mirrors Kubernetes' scanner). */
export function parseQuantityError(str: string): string | undefined {
  if (str.length === 0) return errFormatWrong;
  if (str === '0') return undefined;
  const scanned = scanQuantity(str);
  if (typeof scanned === 'string') return scanned;
  const { value, suffix } = scanned;
  if (!suffixes.has(suffix) && !/^[eE][-+]?[0-9]+$/.test(suffix)) return errSuffix;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value)) return errNumeric;
  return undefined;
}

/** Splits a quantity into its number and suffix, or returns the format error. */
function scanQuantity(str: string): { value: string; suffix: string } | string {
  const end = str.length;
  let pos = 0;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { value: '0', suffix: '' };
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { value: str, suffix: '' };
  if (str[pos] === '.') {
    pos++;
    while (pos < end && isDigit(str[pos])) pos++;
    if (pos >= end) return { value: str, suffix: '' };
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos] as string)) pos++;
  if (pos >= end) return { value, suffix: str.slice(suffixStart) };
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { value, suffix: str.slice(suffixStart) };
  return errFormatWrong;
}

/** Go's quoting of a string in time parse errors. */
const goQuote = (s: string): string => JSON.stringify(s);

interface Layout {
  /** The layout string Go names in the message. */
  text: string;
  /** Digits of fraction the layout demands after the seconds (0: optional, any count). */
  fraction: number;
}

/** Layout of metav1.Time (RFC 3339). */
export const rfc3339: Layout = { text: '2006-01-02T15:04:05Z07:00', fraction: 0 };
/** Layout of metav1.MicroTime. */
export const rfc3339Micro: Layout = { text: '2006-01-02T15:04:05.000000Z07:00', fraction: 6 };

/** The error Go's time.Parse gives for `value` with an RFC 3339 layout, or undefined when it parses. */
export function timeParseError(value: string, layout: Layout = rfc3339): string | undefined {
  let rest = value;
  const cannot = (elem: string): string => `parsing time ${goQuote(value)} as ${goQuote(layout.text)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  const range = (what: string): string => `parsing time ${goQuote(value)}: ${what} out of range`;
  const num = (n: number, fixed: boolean): number | undefined => {
    if (!isDigit(rest[0])) return undefined;
    if (!isDigit(rest[1])) {
      if (fixed) return undefined;
      const v = Number(rest[0]);
      rest = rest.slice(1);
      return v;
    }
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const lit = (s: string): boolean => {
    if (!rest.startsWith(s)) return false;
    rest = rest.slice(s.length);
    return true;
  };
  if (rest.length < 4 || !/^[0-9]{4}/.test(rest)) return cannot('2006');
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  if (!lit('-')) return cannot('-');
  const month = num(2, true);
  if (month === undefined) return cannot('01');
  if (month < 1 || month > 12) return range('month');
  if (!lit('-')) return cannot('-');
  const day = num(2, true);
  if (day === undefined) return cannot('02');
  if (!lit('T')) return cannot('T');
  const hour = num(2, false);
  if (hour === undefined) return cannot('15');
  if (hour > 23) return range('hour');
  if (!lit(':')) return cannot(':');
  const minute = num(2, true);
  if (minute === undefined) return cannot('04');
  if (minute > 59) return range('minute');
  if (!lit(':')) return cannot(':');
  const second = num(2, true);
  if (second === undefined) return cannot('05');
  if (second > 59) return range('second');
  if (layout.fraction > 0) {
    const elem = '.' + '0'.repeat(layout.fraction);
    if (rest.length < layout.fraction + 1 || (rest[0] !== '.' && rest[0] !== ',') || !/^[0-9]+$/.test(rest.slice(1, layout.fraction + 1))) {
      return cannot(elem);
    }
    rest = rest.slice(layout.fraction + 1);
  } else if ((rest[0] === '.' || rest[0] === ',') && isDigit(rest[1])) {
    let i = 1;
    while (isDigit(rest[i])) i++;
    rest = rest.slice(i);
  }
  if (!lit('Z')) {
    if (rest.length < 6 || (rest[0] !== '+' && rest[0] !== '-') || rest[3] !== ':' || !/^[0-9]{2}$/.test(rest.slice(1, 3)) || !/^[0-9]{2}$/.test(rest.slice(4, 6))) {
      return cannot('Z07:00');
    }
    rest = rest.slice(6);
  }
  if (rest.length > 0) return `parsing time ${goQuote(value)}: extra text: ${goQuote(rest)}`;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
  if (day < 1 || day > days) return `parsing time ${goQuote(value)}: day out of range`;
  return undefined;
}

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The error of decoding standard padded base64 as Go does, or undefined: `illegal base64 data at input byte N`. */
export function base64Error(s: string): string | undefined {
  const bad = (i: number): string => `illegal base64 data at input byte ${i}`;
  const skipNewlines = (i: number): number => {
    while (i < s.length && (s[i] === '\r' || s[i] === '\n')) i++;
    return i;
  };
  // Go skips \r and \n; positions count the original bytes. `start` is where the current quantum began.
  let quantum = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\r' || c === '\n') continue;
    if (quantum === 0) start = i;
    if (c === '=') {
      // Padding may only end a quantum after two or three characters.
      if (quantum < 2) return bad(i);
      let j = skipNewlines(i + 1);
      if (quantum === 2) {
        if (j >= s.length) return bad(s.length);
        if (s[j] !== '=') return bad(j - 1);
        j = skipNewlines(j + 1);
      }
      return j < s.length ? bad(j) : undefined;
    }
    if (!b64.includes(c)) return bad(i);
    quantum = (quantum + 1) % 4;
  }
  return quantum === 0 ? undefined : bad(start);
}
