// `string.format(list)` from cel-go's strings extension: %s, %d, %f, %e, %b, %o, %x, %X and %% with an optional
// precision (`%.2f`). Values print as cel-go prints them: strings inside lists and maps are quoted, map keys sorted.
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { CelRuntimeError } from './errors.js';
import { celToJson } from './values.js';

function fail(msg: string): CelRuntimeError {
  return new CelRuntimeError(`error during formatting: ${msg}`);
}

function typeName(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null_type';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof UnsignedInt) return 'uint';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'map';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  if (v instanceof Duration) return 'google.protobuf.Duration';
  return 'object';
}

function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  return String(d);
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

/** How `%s` prints a value (nested strings quoted). */
export function formatValue(v: unknown, nested = false): string {
  if (typeof v === 'string') return nested ? quoted(v) : v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatDouble(v);
  if (v === null || v === undefined) return 'null';
  if (v instanceof UnsignedInt) return String(v.valueOf());
  if (v instanceof Uint8Array) return nested ? quoted(Buffer.from(v).toString('utf8')) : Buffer.from(v).toString('utf8');
  if (v instanceof Date || v instanceof Duration) return String(celToJson(v));
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, true)).join(', ')}]`;
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, x]) => [formatValue(k, true), formatValue(x, true)] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${entries.map(([k, x]) => `${k}: ${x}`).join(', ')}}`;
  }
  if (typeof v === 'object' && typeof (v as { toString?: unknown }).toString === 'function') {
    const s = String(v);
    const m = /^Type<(.*)>$/.exec(s);
    return m ? (m[1] ?? s) : s;
  }
  return String(v);
}

function integer(v: unknown, clause: string): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  throw fail(`${clause} clause can only be used on integers, was given ${typeName(v)}`);
}

function fixed(v: unknown, precision: number): string {
  const d = typeof v === 'bigint' ? Number(v) : v instanceof UnsignedInt ? Number(v.valueOf()) : v;
  if (typeof d !== 'number') throw fail(`fixed-point clause can only be used on doubles, was given ${typeName(v)}`);
  if (!Number.isFinite(d)) return formatDouble(d);
  return d.toFixed(precision);
}

function scientific(v: unknown, precision: number): string {
  const d = typeof v === 'bigint' ? Number(v) : v instanceof UnsignedInt ? Number(v.valueOf()) : v;
  if (typeof d !== 'number') throw fail(`scientific clause can only be used on doubles, was given ${typeName(v)}`);
  if (!Number.isFinite(d)) return formatDouble(d);
  // Go prints at least two exponent digits: 1.000000e+03.
  return d.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

function hex(v: unknown, upper: boolean): string {
  let out: string;
  if (typeof v === 'string') out = Buffer.from(v, 'utf8').toString('hex');
  else if (v instanceof Uint8Array) out = Buffer.from(v).toString('hex');
  else {
    const n = integer(v, 'hex');
    out = n < 0n ? `-${(-n).toString(16)}` : n.toString(16);
  }
  return upper ? out.toUpperCase() : out;
}

function radix(v: unknown, base: number, clause: string): string {
  if (typeof v === 'boolean' && base === 2) return v ? '1' : '0';
  const n = integer(v, clause);
  return n < 0n ? `-${(-n).toString(base)}` : n.toString(base);
}

/** Formats `template` with `args` as cel-go's `format` does. */
export function formatString(template: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    if (template[i] === '%') {
      out += '%';
      continue;
    }
    let precision: number | undefined;
    if (template[i] === '.') {
      let digits = '';
      i++;
      while (i < template.length && /[0-9]/.test(template[i] ?? '')) digits += template[i++];
      precision = Number(digits || '0');
    }
    const verb = template[i];
    if (verb === undefined) throw fail('unexpected end of format string');
    if (argIndex >= args.length) throw new CelRuntimeError(`index ${argIndex} out of range`);
    const arg = args[argIndex++];
    switch (verb) {
      case 's':
        out += formatValue(arg);
        break;
      case 'd':
        out += String(integer(arg, 'decimal'));
        break;
      case 'f':
        out += fixed(arg, precision ?? 6);
        break;
      case 'e':
        out += scientific(arg, precision ?? 6);
        break;
      case 'b':
        out += radix(arg, 2, 'binary');
        break;
      case 'o':
        out += radix(arg, 8, 'octal');
        break;
      case 'x':
      case 'X':
        out += hex(arg, verb === 'X');
        break;
      default:
        throw fail(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    }
  }
  return out;
}
