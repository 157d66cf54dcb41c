// Resource quantities for the core strategies: a thin view over machinery's exact resource.Quantity, holding each
// value as whole nano-units (rounded up) so comparisons and sums stay simple.
import {
  formatQuantity as formatExact, quantityFormatErrorMessage, quantityFromJSON, quantityScaledValue, type Quantity as ExactQuantity, type QuantityFormat,
} from '../../../machinery/index.js';

/** The regular expression Kubernetes quotes when a quantity does not parse. */
export const quantityFormatError = quantityFormatErrorMessage;

/** A parsed quantity: its value in nano-units and the notation it was written in. */
export interface Quantity {
  nanos: bigint;
  format: QuantityFormat;
}

function exact(input: unknown): ExactQuantity | undefined {
  if (typeof input !== 'string' && !(typeof input === 'number' && Number.isFinite(input))) return undefined;
  try {
    return quantityFromJSON(input);
  } catch {
    return undefined;
  }
}

/** Parses `500m`, `1Gi`, `1e3`, `0.5` or a JSON number; undefined when it is not a quantity. */
export function parseQuantity(input: unknown): Quantity | undefined {
  const q = exact(input);
  return q ? { nanos: quantityScaledValue(q, -9), format: q.format } : undefined;
}

/** -1, 0 or 1; undefined when either side does not parse. */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (!x || !y) return undefined;
  return x.nanos < y.nanos ? -1 : x.nanos > y.nanos ? 1 : 0;
}

/** The canonical text of a quantity (`1.5` → `1500m`, `1024Mi` → `1Gi`, `2000` → `2k`). */
export function formatQuantity(q: Quantity): string {
  return formatExact({ unscaled: q.nanos, scale: -9, format: q.format });
}

/** The text a resource list stores: rounded up to milli-units (SetDefaults_ResourceList), then canonical. */
export function canonicalQuantity(input: unknown): string | undefined {
  const q = exact(input);
  if (!q) return undefined;
  // Kubernetes keeps an already-canonical input string unless rounding changed the value.
  if (q.scale >= -3) return formatExact(q);
  return formatExact({ unscaled: quantityScaledValue(q, -3), scale: -3, format: q.format });
}

/** Adds two quantities; the result keeps the first one's notation. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.format };
}

/** The value as a JavaScript number of whole units (for ratios). */
export function quantityValue(q: Quantity): number {
  return Number(q.nanos) / 1e9;
}

/** True when the quantity is a whole number of units. */
export function isWholeQuantity(q: Quantity): boolean {
  return q.nanos % 1_000_000_000n === 0n;
}
