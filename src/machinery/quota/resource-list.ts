// ResourceLists (`{cpu: "500m", pods: "3"}`) and the arithmetic quota needs on them: add, subtract, compare,
// mask and print, with exact quantities.
import { addQuantities, canonicalQuantityString, compareQuantities, parseQuantity, subtractQuantities, type Quantity } from '../quantity.js';

/** A resource name → quantity map, as in ResourceQuota.spec.hard or a container's requests. */
export type ResourceList = Record<string, Quantity>;

/** Parses a JSON resource list; entries that are not quantities are left out. */
export function parseResourceList(v: unknown): ResourceList {
  const out: ResourceList = {};
  if (!v || typeof v !== 'object') return out;
  for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
    if (typeof s !== 'string' && typeof s !== 'number') continue;
    try {
      out[k] = parseQuantity(String(s));
    } catch {
      // Validation refuses bad quantities before anything here runs.
    }
  }
  return out;
}

/** The JSON form of a resource list, each quantity in canonical text. */
export function formatResourceList(l: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) out[k] = canonicalQuantityString(l[k]!);
  return out;
}

/** a + b over the union of their keys. */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, q] of Object.entries(b)) out[k] = out[k] ? addQuantities(out[k]!, q) : q;
  return out;
}

/** a - b over the union of their keys. */
export function subtractLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, q] of Object.entries(b)) out[k] = out[k] ? subtractQuantities(out[k]!, q) : subtractQuantities(parseQuantity('0'), q);
  return out;
}

/** Only the entries of `l` whose names are in `names`. */
export function maskList(l: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (l[n]) out[n] = l[n]!;
  return out;
}

/** Whether every entry of `a` that `b` also has is ≤ b's; the names that are not. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [k, q] of Object.entries(a)) {
    const limit = b[k];
    if (limit && compareQuantities(q, limit) > 0) exceeded.push(k);
  }
  return { ok: exceeded.length === 0, exceeded };
}

/** Whether two lists hold the same names with equal quantities. */
export function listsEqual(a: ResourceList, b: ResourceList): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && compareQuantities(a[k]!, b[k]!) === 0);
}

/** `cpu=1,memory=1Gi`: names sorted, as quota messages print a list. */
export function printList(l: ResourceList): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${canonicalQuantityString(l[k]!)}`)
    .join(',');
}

/** Every entry set to zero. */
export function zeroList(names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) out[n] = parseQuantity('0');
  return out;
}
