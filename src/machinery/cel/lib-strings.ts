// cel-go's extended strings library as Kubernetes enables it: charAt, indexOf, lastIndexOf, lowerAscii,
// upperAscii, replace, split, join, substring, trim, format, strings.quote, reverse. Indices count Unicode code
// points (cel-go counts runes), not UTF-16 units, so the library's own versions of the overlapping functions are
// overridden at evaluation time.
import { CelRuntimeError } from './errors.js';
import { notHandled, overrideMethod } from './ast.js';
import { chargeCost, traversalCost } from './runtime-cost.js';
import type { Registrar } from './registrar.js';
import { formatString } from './string-format.js';

function runes(s: string): string[] {
  return Array.from(s);
}

function outOfRange(i: number | bigint): CelRuntimeError {
  return new CelRuntimeError(`index out of range: ${i}`);
}

function charAt(s: string, i: bigint): string {
  const r = runes(s);
  if (i < 0n || i > BigInt(r.length)) throw outOfRange(i);
  return r[Number(i)] ?? '';
}

function matchAt(r: string[], sub: string[], i: number): boolean {
  for (let j = 0; j < sub.length; j++) if (r[i + j] !== sub[j]) return false;
  return true;
}

function indexOf(s: string, sub: string, offset: bigint): bigint {
  if (sub === '') return offset;
  const r = runes(s);
  const t = runes(sub);
  const off = Number(offset);
  if (off < 0 || off >= r.length) throw outOfRange(off);
  for (let i = off; i < r.length - (t.length - 1); i++) if (matchAt(r, t, i)) return BigInt(i);
  return -1n;
}

function lastIndexOf(s: string, sub: string, offset: bigint | undefined): bigint {
  const r = runes(s);
  if (sub === '') return offset ?? BigInt(r.length);
  const t = runes(sub);
  let off = offset === undefined ? r.length - 1 : Number(offset);
  if (off < 0 || off >= r.length) {
    if (offset === undefined) return -1n;
    throw outOfRange(off);
  }
  if (off > r.length - t.length) off = r.length - t.length;
  for (let i = off; i >= 0; i--) if (matchAt(r, t, i)) return BigInt(i);
  return -1n;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const r = runes(s);
  const e = end ?? BigInt(r.length);
  if (start < 0n || start > BigInt(r.length)) throw outOfRange(start);
  if (e < 0n || e > BigInt(r.length)) throw outOfRange(e);
  if (start > e) throw new CelRuntimeError(`invalid substring range. start: ${start}, end: ${e}`);
  return r.slice(Number(start), Number(e)).join('');
}

function asciiCase(s: string, upper: boolean): string {
  return s.replace(upper ? /[a-z]+/g : /[A-Z]+/g, (m) => (upper ? m.toUpperCase() : m.toLowerCase()));
}

// Go's strings.Replace: n < 0 replaces every occurrence; an empty `old` matches before each rune and at the end.
function replace(s: string, old: string, rep: string, n: bigint): string {
  if (n === 0n || old === rep) return s;
  let count = 0n;
  const max = n < 0n ? -1n : n;
  if (old === '') {
    const r = runes(s);
    let out = '';
    for (let i = 0; i <= r.length; i++) {
      if (max < 0n || count < max) {
        out += rep;
        count++;
      }
      if (i < r.length) out += r[i];
    }
    return out;
  }
  let out = '';
  let pos = 0;
  while (max < 0n || count < max) {
    const i = s.indexOf(old, pos);
    if (i < 0) break;
    out += s.slice(pos, i) + rep;
    pos = i + old.length;
    count++;
  }
  return out + s.slice(pos);
}

// Go's strings.SplitN: n == 0 gives no parts, n < 0 all of them; an empty separator splits into runes.
function split(s: string, sep: string, n: bigint): string[] {
  if (n === 0n) return [];
  if (sep === '') {
    const r = runes(s);
    if (n < 0n || BigInt(r.length) <= n) return r;
    const k = Number(n);
    return [...r.slice(0, k - 1), r.slice(k - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0n || BigInt(parts.length) <= n) return parts;
  const k = Number(n);
  return [...parts.slice(0, k - 1), parts.slice(k - 1).join(sep)];
}

// Go's strings.TrimSpace: Unicode white space at both ends.
function trim(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

const quoteEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** strings.quote: the string in double quotes with CEL escapes, so it can be pasted back into an expression. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (quoteEscapes[ch] !== undefined) out += quoteEscapes[ch];
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

function str(v: unknown): v is string {
  return typeof v === 'string';
}

/** Registers the strings extension and the rune-correct overrides of the library's string functions. */
export function registerStrings(r: Registrar): void {
  r.fn('string.charAt(int): string', (s: string, i: bigint) => charAt(s, i))
    .fn('string.replace(string, string): string', (s: string, a: string, b: string) => {
      chargeCost(traversalCost(s.length));
      return replace(s, a, b, -1n);
    })
    .fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
      chargeCost(traversalCost(s.length));
      return replace(s, a, b, n);
    })
    .fn('string.reverse(): string', (s: string) => runes(s).reverse().join(''))
    .fn('string.format(list): string', (s: string, args: unknown[]) => {
      chargeCost(traversalCost(s.length));
      return formatString(s, args);
    });
  r.namespace('strings', 'kin.StringsNamespace').fn('kin.StringsNamespace.quote(string): string', (_ns: unknown, s: string) => quoteString(s));

  // The library declares these already (so type checking is its own); their evaluation is kin's.
  overrideMethod('indexOf', 1, (s, [sub]) => {
    if (!str(s) || !str(sub)) return notHandled;
    if (s === '' && sub !== '') return -1n;
    return indexOf(s, sub, 0n);
  });
  overrideMethod('indexOf', 2, (s, [sub, off]) => (str(s) && str(sub) && typeof off === 'bigint' ? indexOf(s, sub, off) : notHandled));
  overrideMethod('lastIndexOf', 1, (s, [sub]) => (str(s) && str(sub) ? lastIndexOf(s, sub, undefined) : notHandled));
  overrideMethod('lastIndexOf', 2, (s, [sub, off]) =>
    str(s) && str(sub) && typeof off === 'bigint' ? lastIndexOf(s, sub, off) : notHandled,
  );
  overrideMethod('substring', 1, (s, [a]) => (str(s) && typeof a === 'bigint' ? substring(s, a) : notHandled));
  overrideMethod('substring', 2, (s, [a, b]) =>
    str(s) && typeof a === 'bigint' && typeof b === 'bigint' ? substring(s, a, b) : notHandled,
  );
  overrideMethod('lowerAscii', 0, (s) => (str(s) ? asciiCase(s, false) : notHandled));
  overrideMethod('upperAscii', 0, (s) => (str(s) ? asciiCase(s, true) : notHandled));
  overrideMethod('trim', 0, (s) => (str(s) ? trim(s) : notHandled));
  overrideMethod('split', 1, (s, [sep]) => {
    if (!str(s) || !str(sep)) return notHandled;
    chargeCost(traversalCost(s.length));
    return split(s, sep, -1n);
  });
  overrideMethod('split', 2, (s, [sep, n]) => {
    if (!str(s) || !str(sep) || typeof n !== 'bigint') return notHandled;
    chargeCost(traversalCost(s.length));
    return split(s, sep, n);
  });
}
