// Shared pieces of the plugins: taint toleration, node selector matching and score normalization.
import type { NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { maxNodeScore } from '../types.js';

/** True when a toleration tolerates a taint (empty effect: any effect; Exists with empty key: any key). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op !== 'Equal') return false;
  if ((t.key ?? '') === '') return false; // Equal needs a key
  return (t.value ?? '') === (taint.value ?? '');
}

/** True when some toleration tolerates the taint. */
export function toleratedBy(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  for (const t of tolerations ?? []) if (tolerates(t, taint)) return true;
  return false;
}

/** The first NoSchedule/NoExecute taint no toleration tolerates. */
export function firstUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!toleratedBy(tolerations, taint)) return taint;
  }
  return undefined;
}

function parseIntStrict(s: string): number | undefined {
  return /^-?\d+$/.test(s) ? Number(s) : undefined;
}

/** One node selector requirement against a value source (labels, or fields for matchFields). */
export function requirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = values[r.key];
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(v ?? '');
    case 'NotIn':
      return !has || !(r.values ?? []).includes(v ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || (r.values ?? []).length !== 1) return false;
      const a = parseIntStrict(v ?? '');
      const b = parseIntStrict(r.values![0]!);
      if (a === undefined || b === undefined) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A node selector term: every matchExpression on labels and every matchField (metadata.name) holds; an empty term matches nothing. */
export function termMatchesNode(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!requirementMatches(r, labels)) return false;
  if (fields.length) {
    const f = { 'metadata.name': nodeName };
    for (const r of fields) if (!requirementMatches(r, f)) return false;
  }
  return true;
}

/** Scales scores onto 0..max (DefaultNormalizeScore); `reverse` makes the highest raw score the lowest. */
export function defaultNormalizeScore(scores: number[], reverse: boolean, max = maxNodeScore): void {
  let top = 0;
  for (const s of scores) if (s > top) top = s;
  if (top === 0) {
    if (reverse) scores.fill(max);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((max * scores[i]!) / top);
    scores[i] = reverse ? max - s : s;
  }
}
