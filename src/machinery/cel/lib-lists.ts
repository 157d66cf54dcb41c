// Kubernetes' list and regex libraries, cel-go's sets, math and base64 extensions. Regular expressions always go
// through RE2 (see re2.ts), including the standard `matches`, whose library version uses JavaScript's
// backtracking engine and is replaced at evaluation time.
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { notHandled, overrideMethod } from './ast.js';
import { CelRuntimeError } from './errors.js';
import { RegexSyntaxError, regexFind, regexFindAll, regexMatches } from './re2.js';
import type { Registrar } from './registrar.js';
import { chargeCost, traversalCost } from './runtime-cost.js';
import { celEquals } from './values.js';

function numeric(v: unknown): bigint | number | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

/** Orders two CEL values of a comparable type (numbers across int/uint/double); throws for other types. */
export function compareValues(a: unknown, b: unknown): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Duration && b instanceof Duration) return Math.sign(a.valueOf() - b.valueOf());
  throw new CelRuntimeError('no such overload');
}

function withRegex<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new CelRuntimeError(e.message);
    throw e;
  }
}

function chargeRegex(s: string, pattern: string): void {
  // cel-go's estimate for RE2: the string's traversal cost times a factor for the pattern's size.
  chargeCost(traversalCost(s.length) * Math.ceil(1 + pattern.length * 0.25));
}

/** `matches` with RE2 semantics. */
export function celMatches(s: string, pattern: string): boolean {
  chargeRegex(s, pattern);
  return withRegex(() => regexMatches(s, pattern));
}

function extreme(list: readonly unknown[], sign: number, name: string): unknown {
  if (list.length === 0) throw new CelRuntimeError(`${name} called on empty list`);
  let best = list[0];
  for (const v of list.slice(1)) if (compareValues(v, best) * sign > 0) best = v;
  return best;
}

function sum(list: readonly unknown[]): unknown {
  if (list.length === 0) return 0n;
  let acc = list[0];
  for (const v of list.slice(1)) {
    if (typeof acc === 'bigint' && typeof v === 'bigint') acc = acc + v;
    else if (typeof acc === 'number' && typeof v === 'number') acc = acc + v;
    else if (acc instanceof UnsignedInt && v instanceof UnsignedInt) acc = new UnsignedInt(acc.valueOf() + v.valueOf());
    else if (acc instanceof Duration && v instanceof Duration) acc = acc.addDuration(v);
    else throw new CelRuntimeError('no such overload');
  }
  if (typeof acc === 'bigint' && (acc > 2n ** 63n - 1n || acc < -(2n ** 63n))) throw new CelRuntimeError('integer overflow');
  return acc;
}

function greatestOrLeast(args: readonly unknown[], sign: number, name: string): unknown {
  const first = args[0];
  const values = args.length === 1 && Array.isArray(first) ? first : args;
  if (values.length === 0) throw new CelRuntimeError(`${name}(list) argument must not be empty`);
  for (const v of values) if (numeric(v) === undefined) throw new CelRuntimeError(`${name}(list) argument must be numeric`);
  return extreme(values, sign, name);
}

function toInt(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

function decodeBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1 || (s.length !== clean.length && s.length % 4 !== 0)) {
    throw new CelRuntimeError('illegal base64 data at input byte 0');
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** Registers lists, regex, sets, math and base64. */
export function registerLists(r: Registrar): void {
  r.fn('list<A>.isSorted(): bool', (l: unknown[]) => {
    chargeCost(traversalCost(l.length));
    return l.every((v, i) => i === 0 || compareValues(l[i - 1], v) <= 0);
  })
    .fn('list<A>.sum(): A', (l: unknown[]) => sum(l))
    .fn('list<A>.min(): A', (l: unknown[]) => extreme(l, -1, 'min'))
    .fn('list<A>.max(): A', (l: unknown[]) => extreme(l, 1, 'max'))
    .fn('list<A>.indexOf(A): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => celEquals(x, v))))
    .fn('list<A>.lastIndexOf(A): int', (l: unknown[], v: unknown) => {
      for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
      return -1n;
    });

  // Regex: find/findAll from Kubernetes, matches from the standard library, all on RE2.
  r.fn('string.find(string): string', (s: string, p: string) => {
    chargeRegex(s, p);
    return withRegex(() => regexFind(s, p));
  })
    .fn('string.findAll(string): list<string>', (s: string, p: string) => {
      chargeRegex(s, p);
      return withRegex(() => regexFindAll(s, p));
    })
    .fn('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
      chargeRegex(s, p);
      return withRegex(() => regexFindAll(s, p, Number(n)));
    })
    .fn('matches(string, string): bool', (s: string, p: string) => celMatches(s, p));
  overrideMethod('matches', 1, (s, [p]) => (typeof s === 'string' && typeof p === 'string' ? celMatches(s, p) : notHandled));

  r.namespace('sets', 'kin.SetsNamespace')
    .fn('kin.SetsNamespace.contains(list<A>, list<A>): bool', (_n: unknown, a: unknown[], b: unknown[]) =>
      b.every((x) => a.some((y) => celEquals(x, y))),
    )
    .fn('kin.SetsNamespace.equivalent(list<A>, list<A>): bool', (_n: unknown, a: unknown[], b: unknown[]) =>
      b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))),
    )
    .fn('kin.SetsNamespace.intersects(list<A>, list<A>): bool', (_n: unknown, a: unknown[], b: unknown[]) =>
      a.some((x) => b.some((y) => celEquals(x, y))),
    );

  r.namespace('math', 'kin.MathNamespace');
  const ns = 'kin.MathNamespace';
  for (let n = 1; n <= 8; n++) {
    const params = Array.from({ length: n }, () => 'dyn').join(', ');
    r.fn(`${ns}.greatest(${params}): dyn`, (_m: unknown, ...a: unknown[]) => greatestOrLeast(a, 1, 'math.greatest'));
    r.fn(`${ns}.least(${params}): dyn`, (_m: unknown, ...a: unknown[]) => greatestOrLeast(a, -1, 'math.least'));
  }
  r.fn(`${ns}.ceil(double): double`, (_m: unknown, d: number) => Math.ceil(d))
    .fn(`${ns}.floor(double): double`, (_m: unknown, d: number) => Math.floor(d))
    .fn(`${ns}.round(double): double`, (_m: unknown, d: number) => (d < 0 ? -Math.round(-d) : Math.round(d)))
    .fn(`${ns}.trunc(double): double`, (_m: unknown, d: number) => Math.trunc(d))
    .fn(`${ns}.sqrt(double): double`, (_m: unknown, d: number) => Math.sqrt(d))
    .fn(`${ns}.sqrt(int): double`, (_m: unknown, d: bigint) => Math.sqrt(Number(d)))
    .fn(`${ns}.isInf(double): bool`, (_m: unknown, d: number) => d === Infinity || d === -Infinity)
    .fn(`${ns}.isNaN(double): bool`, (_m: unknown, d: number) => Number.isNaN(d))
    .fn(`${ns}.isFinite(double): bool`, (_m: unknown, d: number) => Number.isFinite(d))
    .fn(`${ns}.abs(int): int`, (_m: unknown, v: bigint) => {
      if (v === -(2n ** 63n)) throw new CelRuntimeError('integer overflow');
      return v < 0n ? -v : v;
    })
    .fn(`${ns}.abs(double): double`, (_m: unknown, v: number) => Math.abs(v))
    .fn(`${ns}.sign(int): int`, (_m: unknown, v: bigint) => (v > 0n ? 1n : v < 0n ? -1n : 0n))
    .fn(`${ns}.sign(double): double`, (_m: unknown, v: number) => Math.sign(v))
    .fn(`${ns}.bitOr(int, int): int`, (_m: unknown, a: bigint, b: bigint) => a | b)
    .fn(`${ns}.bitAnd(int, int): int`, (_m: unknown, a: bigint, b: bigint) => a & b)
    .fn(`${ns}.bitXor(int, int): int`, (_m: unknown, a: bigint, b: bigint) => a ^ b)
    .fn(`${ns}.bitNot(int): int`, (_m: unknown, a: bigint) => ~a)
    .fn(`${ns}.bitShiftLeft(int, int): int`, (_m: unknown, a: bigint, n: bigint) => {
      if (n < 0n) throw new CelRuntimeError(`math.bitShiftLeft() negative offset: ${n}`);
      return n > 63n ? 0n : toInt(a << n);
    })
    .fn(`${ns}.bitShiftRight(int, int): int`, (_m: unknown, a: bigint, n: bigint) => {
      if (n < 0n) throw new CelRuntimeError(`math.bitShiftRight() negative offset: ${n}`);
      // Go shifts the int64 bits as unsigned: the result is never negative.
      return n > 63n ? 0n : toInt(BigInt.asUintN(64, a) >> n);
    });

  r.namespace('base64', 'kin.Base64Namespace')
    .fn('kin.Base64Namespace.encode(bytes): string', (_n: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'))
    .fn('kin.Base64Namespace.decode(string): bytes', (_n: unknown, s: string) => decodeBase64(s));
}
