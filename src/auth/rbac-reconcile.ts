// Reconciling the bootstrap RBAC objects on start-up, as kube-apiserver does: an existing role or binding marked
// for auto-update gets what the defaults add (labels, annotations, rules it does not cover yet, aggregation
// selectors, subjects) and keeps everything else; one annotated `autoupdate: "false"` is left alone; a binding
// whose roleRef differs is replaced.
import type { KubeObject } from '../api/index.js';
import type { PolicyRule } from './bootstrap-policy.js';

const autoupdateKey = 'rbac.authorization.kubernetes.io/autoupdate';

const has = (set: readonly string[] | undefined, v: string): boolean => (set ?? []).includes(v);
const hasAll = (set: readonly string[] | undefined, vs: readonly string[] | undefined): boolean => (vs ?? []).every((v) => has(set, v));

/** A rule split into rules of one verb, group, resource and resource name (or one verb and non-resource URL). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourcesCover(owner: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  if (has(owner, '*') || hasAll(owner, wanted)) return true;
  for (const path of wanted ?? []) {
    if (has(owner, path)) continue;
    const slash = path.indexOf('/');
    // A subresource is covered by `*/<subresource>`.
    if (slash < 0 || !has(owner, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function urlCovers(owner: string, path: string): boolean {
  return owner === path || (owner.endsWith('*') && path.startsWith(owner.replace(/\*+$/, '')));
}

/** Whether one rule grants everything another (broken-down) rule does. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const urls = (sub.nonResourceURLs ?? []).every((p) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, p)));
  const names = sub.resourceNames?.length ? !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames) : !owner.resourceNames?.length;
  return verbs && groups && resourcesCover(owner.resources, sub.resources) && names && urls;
}

/** The broken-down rules of `wanted` that no rule of `owner` covers (empty when `owner` covers them all). */
export function uncoveredRules(owner: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const rule of wanted) for (const sub of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, sub))) out.push(sub);
  return out;
}

/** `existing` with the keys of `expected` it lacks (existing values win); the same object when none lack. */
function mergeMap(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> | undefined {
  const missing = Object.keys(expected ?? {}).filter((k) => !existing || !(k in existing));
  if (missing.length === 0) return existing;
  return { ...expected, ...existing };
}

const isProtected = (o: KubeObject): boolean => o.metadata?.annotations?.[autoupdateKey] === 'false';

function mergeMeta(existing: KubeObject, expected: KubeObject): { obj: KubeObject; changed: boolean } {
  const labels = mergeMap(expected.metadata?.labels, existing.metadata?.labels);
  const annotations = mergeMap(expected.metadata?.annotations, existing.metadata?.annotations);
  const changed = labels !== existing.metadata?.labels || annotations !== existing.metadata?.annotations;
  if (!changed) return { obj: existing, changed };
  const metadata = { ...existing.metadata };
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  return { obj: { ...existing, metadata }, changed };
}

type Selector = Record<string, unknown>;
/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}
const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/**
 * The role (ClusterRole or Role) as reconciliation leaves it, or undefined when it needs no write (or is
 * protected): rules the defaults have and it does not cover are appended, missing aggregation selectors added, an
 * aggregation rule the defaults do not have removed.
 */
export function reconcileRole(existing: KubeObject, expected: KubeObject): KubeObject | undefined {
  if (isProtected(existing)) return undefined;
  let { obj, changed } = mergeMeta(existing, expected);
  const haveRules = (obj['rules'] as PolicyRule[] | undefined) ?? [];
  const wantRules = (expected['rules'] as PolicyRule[] | undefined) ?? [];
  // The usual case on a restart: the rules are still the defaults, nothing to break down.
  const missing = sameJson(haveRules, wantRules) ? [] : uncoveredRules(haveRules, wantRules);
  if (missing.length > 0) {
    obj = { ...obj, rules: [...((obj['rules'] as PolicyRule[] | undefined) ?? []), ...missing] };
    changed = true;
  }
  const want = expected['aggregationRule'] as { clusterRoleSelectors?: Selector[] } | undefined;
  const have = obj['aggregationRule'] as { clusterRoleSelectors?: Selector[] } | undefined;
  if (!want && have) {
    const { aggregationRule: _, ...rest } = obj;
    obj = rest as KubeObject;
    changed = true;
  } else if (want) {
    const current = have?.clusterRoleSelectors ?? [];
    const add = (want.clusterRoleSelectors ?? []).filter((s) => !current.some((c) => sameJson(c, s)));
    if (add.length > 0) {
      obj = { ...obj, aggregationRule: { ...have, clusterRoleSelectors: [...current, ...add] } };
      changed = true;
    }
  }
  return changed ? obj : undefined;
}

type Subject = { kind?: string; apiGroup?: string; name?: string; namespace?: string };
const sameSubject = (a: Subject, b: Subject): boolean => a.kind === b.kind && (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

/** What a binding needs: nothing, an update (missing subjects, labels, annotations) or replacing (another roleRef). */
export function reconcileBinding(existing: KubeObject, expected: KubeObject): { update: KubeObject } | { recreate: KubeObject } | undefined {
  if (isProtected(existing)) return undefined;
  if (!sameJson(existing['roleRef'], expected['roleRef'])) return { recreate: expected };
  let { obj, changed } = mergeMeta(existing, expected);
  const current = (obj['subjects'] as Subject[] | undefined) ?? [];
  const missing = ((expected['subjects'] as Subject[] | undefined) ?? []).filter((s) => !current.some((c) => sameSubject(c, s)));
  if (missing.length > 0) {
    obj = { ...obj, subjects: [...current, ...missing] };
    changed = true;
  }
  return changed ? { update: obj } : undefined;
}
