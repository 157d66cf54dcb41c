// The pod-template-hash: FNV-32a over a stable printed form of the pod template (and the collision count), its
// decimal digits encoded with Kubernetes' vowel-free alphabet so the value never spells a word.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** The characters of SafeEncodeString: no vowels, no confusable digits or letters. */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every character of `s` into the safe alphabet (rand.SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/** FNV-1a, 32 bits, over bytes. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted at every level: the same template always prints the same way. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableStringify(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(',')}}`;
}

/**
 * The hash of a pod template (ComputeHash): FNV-32a over the printed template, then the collision count as 4
 * little-endian bytes when set, and the decimal value safe-encoded. kin prints the template as sorted JSON, not as
 * Go's spew output, so hashes are stable in kin but differ from a Kubernetes cluster's for the same template.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(stableStringify(template ?? {})));
  if (collisionCount !== undefined) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
