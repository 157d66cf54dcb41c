// The string formats a custom resource schema may name and how each is checked, as Kubernetes 1.32 does it
// (kube-openapi's strfmt registry). Formats Kubernetes does not support are dropped from schemas before
// validation, so they never fail a value.
import { isRequestURI, parseCIDR, parseIP, parseMAC } from './net-formats.js';

const hostnameRe =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5Re = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const creditCardRe = /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/;
const isbn10Re = /^(?:[0-9]{9}X|[0-9]{10})$/;
const isbn13Re = /^(?:[0-9]{13})$/;
const hexColorRe = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const rgbPart = '\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*';
const rgbColorRe = new RegExp(`^rgb\\(${rgbPart},${rgbPart},${rgbPart}\\)$`);
const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const ssnRe = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const dateTimeTimeRe = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const durationPartRe = /(\d+)\s*([A-Za-zµ]+)/g;

function isHostname(s: string): boolean {
  if (!hostnameRe.test(s)) return false;
  if (Buffer.byteLength(s) > 255) return false;
  return s.split('.').every((p) => Buffer.byteLength(p) <= 63);
}

/** Go's time.Parse with layout 2006-01-02: a real calendar date. */
export function isDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] as number;
  return d <= days;
}

function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0] as string)) return false;
  const m = dateTimeTimeRe.exec(parts[1] as string);
  if (!m) return false;
  return (m[1] as string) <= '23' && (m[2] as string) <= '59' && (m[3] as string) <= '59';
}

// Word forms kube-openapi accepts after a number when Go's time.ParseDuration refuses the text.
const durationUnits: readonly (readonly string[])[] = [
  ['ns', 'nano'],
  ['us', 'µs', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
];

// Go's time.ParseDuration grammar: [-+] then one or more <number><unit>, or a bare "0".
function isGoDuration(text: string): boolean {
  let s = text.replace(/^[-+]/, '');
  if (s === '0') return true;
  if (s === '') return false;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s) as RegExpExecArray;
    if ((m[1] ?? '') === '' && (m[2] ?? '') === '') return false;
    s = s.slice(m[0].length);
    const u = /^[^0-9.]*/.exec(s) as RegExpExecArray;
    if (!['ns', 'us', '\u00b5s', '\u03bcs', 'ms', 's', 'm', 'h'].includes(u[0])) return false;
    s = s.slice(u[0].length);
  }
  return true;
}

function isDuration(s: string): boolean {
  if (isGoDuration(s)) return true;
  for (const m of s.matchAll(durationPartRe)) {
    const unit = (m[2] as string).trim().toLowerCase();
    for (const variants of durationUnits) {
      const last = variants.length - 1;
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v === unit)) return true;
    }
  }
  return false;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let n = digits.charCodeAt(i) - 48;
    if (dbl) {
      n *= 2;
      sum += n >= 10 ? (n % 10) + 1 : n;
    } else sum += n;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

function isISBN(s: string, version: 10 | 13): boolean {
  const t = s.replace(/[\s-]+/g, '');
  if (version === 10) {
    if (!isbn10Re.test(t)) return false;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (i + 1) * (t.charCodeAt(i) - 48);
    sum += t[9] === 'X' ? 100 : 10 * (t.charCodeAt(9) - 48);
    return sum % 11 === 0;
  }
  if (!isbn13Re.test(t)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * (t.charCodeAt(i) - 48);
  return t.charCodeAt(12) - 48 - ((10 - (sum % 10)) % 10) === 0;
}

// net/mail.ParseAddress in outline: `Name <local@domain>` or `local@domain`, local part a dot-atom or quoted string.
const atext = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u0080-\\uffff]";
const dotAtom = `${atext}+(?:\\.${atext}+)*`;
const quoted = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const addrSpec = `(?:${dotAtom}|${quoted})@(?:${dotAtom}|\\[[^\\[\\]\\\\]*\\])`;
const emailRe = new RegExp(`^\\s*(?:${addrSpec}|(?:(?:${atext}|[ \\t.])+|${quoted})?\\s*<${addrSpec}>)\\s*$`, 'u');

/** Format name → check, keyed by name without dashes as kube-openapi normalizes them (`date-time` → `datetime`). */
const registry: ReadonlyMap<string, (s: string) => boolean> = new Map<string, (s: string) => boolean>([
  ['bsonobjectid', (s) => /^[0-9a-fA-F]{24}$/.test(s)],
  ['uri', isRequestURI],
  ['email', (s) => emailRe.test(s)],
  ['hostname', isHostname],
  ['ipv4', (s) => parseIP(s, true) && s.includes('.')],
  ['ipv6', (s) => parseIP(s) && s.includes(':')],
  ['cidr', parseCIDR],
  ['mac', parseMAC],
  ['uuid', (s) => uuidRe.test(s)],
  ['uuid3', (s) => uuid3Re.test(s)],
  ['uuid4', (s) => uuid4Re.test(s)],
  ['uuid5', (s) => uuid5Re.test(s)],
  ['isbn', (s) => isISBN(s, 10) || isISBN(s, 13)],
  ['isbn10', (s) => isISBN(s, 10)],
  ['isbn13', (s) => isISBN(s, 13)],
  [
    'creditcard',
    (s) => {
      const d = s.replace(/[^0-9]+/g, '');
      return creditCardRe.test(d) && luhn(d);
    },
  ],
  ['ssn', (s) => s.length === 11 && ssnRe.test(s)],
  ['hexcolor', (s) => hexColorRe.test(s)],
  ['rgbcolor', (s) => rgbColorRe.test(s)],
  ['byte', (s) => base64Re.test(s)],
  ['password', () => true],
  ['date', isDate],
  ['duration', isDuration],
  ['datetime', isDateTime],
]);

/** kube-openapi's name normalization: dashes are ignored (`date-time` is `datetime`). */
function normalize(format: string): string {
  return format.replace(/-/g, '');
}

/**
 * The format kept for validation after Kubernetes strips the ones it does not support for the schema's type:
 * string formats from the registry, int32/int64 for integers, float/double for numbers, none otherwise.
 */
export function supportedFormat(type: string, format: string | undefined): string {
  if (!format) return '';
  switch (type) {
    case '':
    case 'string':
      return registry.has(normalize(format)) ? format : '';
    case 'integer':
      return format === 'int32' || format === 'int64' ? format : '';
    case 'number':
      return format === 'float' || format === 'double' ? format : '';
    default:
      return '';
  }
}

/** The string check for a format name, or undefined when the registry does not know the name. */
export function formatChecker(format: string): ((s: string) => boolean) | undefined {
  return format ? registry.get(normalize(format)) : undefined;
}
