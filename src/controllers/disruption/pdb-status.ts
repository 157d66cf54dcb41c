// Pure rules of PodDisruptionBudget status: scaled int-or-percent values, healthy pods, the disrupted-pods map
// and the DisruptionAllowed condition.
import type { KubeObject } from '../../api/index.js';
import { isPodReady, type Pod } from '../endpointslice/index.js';
import type { LabelSelectorObject } from '../../machinery/index.js';

/** How long an eviction's entry in disruptedPods counts before the pod is expected gone (2 minutes). */
export const deletionTimeoutMs = 2 * 60 * 1000;
/** The condition type of a PDB's verdict. */
export const disruptionAllowedCondition = 'DisruptionAllowed';

/** A metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** policy/v1 PodDisruptionBudget status. */
export interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

/** policy/v1 PodDisruptionBudget. */
export interface PodDisruptionBudget extends KubeObject {
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: LabelSelectorObject; unhealthyPodEvictionPolicy?: string };
  status?: PdbStatus;
}

/** An int-or-percent against a total (IntOrString's GetScaledValueFromIntOrPercent); throws on a bad string. */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const text = v.slice(0, -1);
  if (!/^-?\d+$/.test(text)) throw new Error(`invalid value "${v}": strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const x = (Number(text) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** Pods that count as healthy: ready, not being deleted, and not just evicted (in disruptedPods within the timeout). */
export function countHealthyPods(pods: readonly Pod[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const t = disrupted[p.metadata?.name ?? ''];
    if (t !== undefined && Date.parse(t) + deletionTimeoutMs > now) continue;
    if (isPodReady(p)) n++;
  }
  return n;
}

/**
 * The disruptedPods entries that still stand: their pod exists, is not yet being deleted and the timeout has not
 * run out. Also the pods whose entry ran out (for a NotDeleted event) and when to look again.
 */
export function buildDisruptedPodMap(pods: readonly Pod[], pdb: PodDisruptionBudget, now: number): { disrupted: Record<string, string>; expired: Pod[]; recheckAt?: number } {
  const given = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const expired: Pod[] = [];
  let recheckAt: number | undefined;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const t = given[p.metadata?.name ?? ''];
    if (t === undefined) continue;
    const due = Date.parse(t) + deletionTimeoutMs;
    if (due < now) expired.push(p);
    else {
      if (recheckAt === undefined || due < recheckAt) recheckAt = due;
      disrupted[p.metadata?.name ?? ''] = t;
    }
  }
  return recheckAt === undefined ? { disrupted, expired } : { disrupted, expired, recheckAt };
}

/** Sets a condition as apimeta.SetStatusCondition does: lastTransitionTime moves only when the status changes. */
export function setCondition(conditions: readonly Condition[], c: Omit<Condition, 'lastTransitionTime'>, nowIso: string): Condition[] {
  const out = conditions.map((x) => ({ ...x }));
  const i = out.findIndex((x) => x.type === c.type);
  if (i < 0) return [...out, { ...c, lastTransitionTime: nowIso }];
  const old = out[i]!;
  out[i] = { ...old, ...c, lastTransitionTime: old.status !== c.status ? nowIso : old.lastTransitionTime };
  return out;
}

/** The DisruptionAllowed condition a status implies: SufficientPods when an eviction may go ahead, else InsufficientPods. */
export function disruptionAllowedConditionOf(status: PdbStatus): Omit<Condition, 'lastTransitionTime'> {
  const allowed = status.disruptionsAllowed > 0;
  return {
    type: disruptionAllowedCondition,
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
  };
}

/** True when the DisruptionAllowed condition says what the status implies (ConditionsAreUpToDate). */
export function conditionsUpToDate(pdb: PodDisruptionBudget): boolean {
  const c = pdb.status?.conditions?.find((x) => x.type === disruptionAllowedCondition);
  if (!c || c.observedGeneration !== pdb.status?.observedGeneration) return false;
  const want = disruptionAllowedConditionOf(pdb.status!);
  return c.status === want.status && c.reason === want.reason;
}

/** Go's `%v` of a *metav1.LabelSelector, as events quote it. */
export function goLabelSelectorString(ls: LabelSelectorObject | undefined): string {
  if (!ls) return '<nil>';
  const labels = Object.keys(ls.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${ls.matchLabels![k]},`)
    .join('');
  const exprs = (ls.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
