// Kubernetes' quantity library: quantity(), isQuantity() and the methods of kubernetes.Quantity, computed exactly
// with kin's resource.Quantity implementation (no floating point except asApproximateFloat).
import {
  addQuantities,
  compareQuantities,
  formatQuantity,
  newQuantity,
  parseQuantity,
  quantitySign,
  quantityToNumber,
  QuantityError,
  subtractQuantities,
  type Quantity,
} from '../quantity.js';
import { CelRuntimeError } from './errors.js';
import type { Registrar } from './registrar.js';
import type { Equatable, JsonConvertible } from './values.js';

/** A quantity as a CEL value (`kubernetes.Quantity`). */
export class CelQuantity implements Equatable, JsonConvertible {
  constructor(readonly q: Quantity) {}
  celEquals(other: unknown): boolean {
    return other instanceof CelQuantity && compareQuantities(this.q, other.q) === 0;
  }
  toJSON(): string {
    return formatQuantity(this.q);
  }
  toString(): string {
    return formatQuantity(this.q);
  }
}

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** The exact integer value, when the quantity is a whole number within int64 (Kubernetes' AsInt64). */
function asInt64(q: Quantity): bigint | undefined {
  let v: bigint;
  if (q.scale >= 0) {
    if (q.scale > 18 && q.unscaled !== 0n) return undefined;
    v = q.unscaled * 10n ** BigInt(q.scale);
  } else {
    const d = 10n ** BigInt(-q.scale);
    if (q.unscaled % d !== 0n) return undefined;
    v = q.unscaled / d;
  }
  return v >= int64Min && v <= int64Max ? v : undefined;
}

function parse(s: string): CelQuantity {
  try {
    return new CelQuantity(parseQuantity(s));
  } catch (e) {
    if (e instanceof QuantityError) throw new CelRuntimeError(e.message);
    throw e;
  }
}

/** Registers the quantity library. */
export function registerQuantity(r: Registrar): void {
  const Q = 'kubernetes.Quantity';
  r.type(Q, CelQuantity)
    .fn(`quantity(string): ${Q}`, (s: string) => parse(s))
    .fn('isQuantity(string): bool', (s: string) => {
      try {
        parseQuantity(s);
        return true;
      } catch {
        return false;
      }
    })
    .fn(`${Q}.sign(): int`, (a: CelQuantity) => BigInt(quantitySign(a.q)))
    .fn(`${Q}.isInteger(): bool`, (a: CelQuantity) => asInt64(a.q) !== undefined)
    .fn(`${Q}.asInteger(): int`, (a: CelQuantity) => {
      const v = asInt64(a.q);
      if (v === undefined) throw new CelRuntimeError('cannot convert value to integer');
      return v;
    })
    .fn(`${Q}.asApproximateFloat(): double`, (a: CelQuantity) => quantityToNumber(a.q))
    .fn(`${Q}.compareTo(${Q}): int`, (a: CelQuantity, b: CelQuantity) => BigInt(compareQuantities(a.q, b.q)))
    .fn(`${Q}.isGreaterThan(${Q}): bool`, (a: CelQuantity, b: CelQuantity) => compareQuantities(a.q, b.q) > 0)
    .fn(`${Q}.isLessThan(${Q}): bool`, (a: CelQuantity, b: CelQuantity) => compareQuantities(a.q, b.q) < 0)
    .fn(`${Q}.add(${Q}): ${Q}`, (a: CelQuantity, b: CelQuantity) => new CelQuantity(addQuantities(a.q, b.q)))
    .fn(`${Q}.add(int): ${Q}`, (a: CelQuantity, b: bigint) => new CelQuantity(addQuantities(a.q, newQuantity(b, a.q.format))))
    .fn(`${Q}.sub(${Q}): ${Q}`, (a: CelQuantity, b: CelQuantity) => new CelQuantity(subtractQuantities(a.q, b.q)))
    .fn(`${Q}.sub(int): ${Q}`, (a: CelQuantity, b: bigint) => new CelQuantity(subtractQuantities(a.q, newQuantity(b, a.q.format))))
    .op(`${Q} == ${Q}`, (a: CelQuantity, b: CelQuantity) => a.celEquals(b));
}
