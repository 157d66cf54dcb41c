// PodTopologySpread: DoNotSchedule constraints filter nodes whose domain would exceed maxSkew; ScheduleAnyway
// constraints score nodes with fewer matching pods in their domains higher.
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { matchesLabels, newRequirement, tryLabelSelectorFromObject, type LabelSelector } from '../../../machinery/index.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { maxNodeScore, rejected, type CycleState, type Plugin } from '../types.js';
import { firstUntoleratedTaint } from './helpers.js';
import { matchesRequiredNodeAffinity } from './node-affinity.js';

/** Kubernetes' reasons. */
export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = errReasonConstraintsNotMatch + ' (missing required label)';

const hostnameLabel = 'kubernetes.io/hostname';

/** A constraint with its selector compiled (matchLabelKeys folded in) and defaults applied. */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorTaints: boolean;
}

/** Compiles the constraints of one whenUnsatisfiable action. */
export function constraintsOf(state: CycleState, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  for (const c of (state.pod.spec?.topologySpreadConstraints ?? []) as TopologySpreadConstraint[]) {
    if (c.whenUnsatisfiable !== action) continue;
    const sel = tryLabelSelectorFromObject(c.labelSelector as never);
    let selector: LabelSelector = typeof sel === 'string' ? { requirements: [], nothing: true } : sel;
    const keys = c.matchLabelKeys ?? [];
    if (keys.length && !selector.nothing) {
      const reqs = [...selector.requirements];
      for (const k of keys) {
        const v = state.podInfo.labels[k];
        if (v === undefined) continue;
        const r = newRequirement(k, 'in', [v]);
        if (typeof r !== 'string') reqs.push(r);
      }
      selector = { requirements: reqs };
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

function hasAllKeys(node: NodeInfo, cs: readonly Constraint[]): boolean {
  for (const c of cs) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

function eligible(state: CycleState, c: Constraint, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && !matchesRequiredNodeAffinity(state.pod, node)) return false;
  if (c.honorTaints && firstUntoleratedTaint(node.taints, state.pod.spec?.tolerations)) return false;
  return true;
}

/** The system default constraints, used when a pod has none of its own (scoring only). */
export const systemDefaultConstraints = [
  { topologyKey: hostnameLabel, maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5 },
];

/** Pods on a node in the pod's namespace that a constraint's selector matches (terminating pods excluded). */
export function countMatching(state: CycleState, c: Constraint, node: NodeInfo): number {
  if (c.selector.nothing) return 0;
  // Walk only the pods carrying the rarest label an equality requirement asks for.
  let candidates: Iterable<PodInfo> = node.pods.values();
  let size = node.pods.size;
  for (const r of c.selector.requirements) {
    if (!(r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1))) continue;
    const set = node.byLabel.get(`${r.key}\u0000${r.values[0] ?? ''}`);
    if (!set) return 0;
    if (set.size < size) {
      candidates = set;
      size = set.size;
    }
  }
  let n = 0;
  const ns = state.podInfo.namespace;
  for (const p of candidates) {
    if (p.namespace !== ns || p.pod.metadata?.deletionTimestamp) continue;
    if (matchesLabels(c.selector, p.labels)) n++;
  }
  return n;
}

/** The constraints scoring uses: the pod's ScheduleAnyway ones, or the system defaults when it declares none. */
function scoringConstraints(state: CycleState): { constraints: Constraint[]; requireAll: boolean } {
  if ((state.pod.spec?.topologySpreadConstraints ?? []).length > 0) return { constraints: constraintsOf(state, 'ScheduleAnyway'), requireAll: true };
  const selector = state.defaultSpreadSelector?.();
  if (!selector || selector.nothing || selector.requirements.length === 0) return { constraints: [], requireAll: false };
  const constraints = systemDefaultConstraints.map((d) => ({ ...d, selector, minDomains: 1, honorNodeAffinity: true, honorTaints: false }));
  return { constraints, requireAll: false };
}

interface FilterData {
  constraints: Constraint[];
  counts: Map<string, number>[];
  minMatch: number[];
}

/** PodTopologySpread (weight 2). */
export const podTopologySpread: Plugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter(state) {
    const constraints = constraintsOf(state, 'DoNotSchedule');
    if (constraints.length === 0) return 'skip';
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of state.allNodes) {
      if (!hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!eligible(state, c, node)) return;
        const v = node.labels[c.topologyKey]!;
        counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(state, c, node));
      });
    }
    const minMatch = constraints.map((c, i) => {
      const m = counts[i]!;
      if (m.size < c.minDomains) return 0;
      let min = Infinity;
      for (const v of m.values()) if (v < min) min = v;
      return min === Infinity ? 0 : min;
    });
    state.data.set('PodTopologySpread', { constraints, counts, minMatch } satisfies FilterData);
    return undefined;
  },
  filter(state, node) {
    const d = state.data.get('PodTopologySpread') as FilterData | undefined;
    if (!d) return undefined;
    for (let i = 0; i < d.constraints.length; i++) {
      const c = d.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return rejected('PodTopologySpread', 'UnschedulableAndUnresolvable', errReasonNodeLabelNotMatch);
      const self = matchesLabels(c.selector, state.podInfo.labels) ? 1 : 0;
      const skew = (d.counts[i]!.get(v) ?? 0) + self - d.minMatch[i]!;
      if (skew > c.maxSkew) return rejected('PodTopologySpread', 'Unschedulable', errReasonConstraintsNotMatch);
    }
    return undefined;
  },
  preScore(state, nodes) {
    const { constraints, requireAll } = scoringConstraints(state);
    if (constraints.length === 0) return false;
    const ignored = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    let scored = 0;
    for (const n of nodes) {
      if (requireAll && !hasAllKeys(n, constraints)) {
        ignored.add(n.name);
        continue;
      }
      scored++;
      constraints.forEach((c, i) => {
        const v = n.labels[c.topologyKey];
        if (c.topologyKey !== hostnameLabel && v !== undefined) counts[i]!.set(v, 0);
      });
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === hostnameLabel ? scored : counts[i]!.size) + 2));
    // Domains seen among the feasible nodes count every matching pod of the cluster in them.
    if (constraints.some((c, i) => c.topologyKey !== hostnameLabel && counts[i]!.size > 0)) {
      for (const node of state.allNodes) {
        if (requireAll && !hasAllKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          if (c.topologyKey === hostnameLabel || !eligible(state, c, node)) return;
          const v = node.labels[c.topologyKey];
          if (v === undefined) return;
          const cur = counts[i]!.get(v);
          if (cur !== undefined) counts[i]!.set(v, cur + countMatching(state, c, node));
        });
      }
    }
    state.data.set('PodTopologySpread/score', { constraints, counts, weights, ignored });
    return true;
  },
  score(state, node) {
    const d = state.data.get('PodTopologySpread/score') as { constraints: Constraint[]; counts: Map<string, number>[]; weights: number[]; ignored: Set<string> };
    if (d.ignored.has(node.name)) return 0;
    let s = 0;
    d.constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === hostnameLabel ? countMatching(state, c, node) : (d.counts[i]!.get(v) ?? 0);
      s += cnt * d.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(s);
  },
  normalizeScore(state, scores, nodes) {
    const d = state.data.get('PodTopologySpread/score') as { ignored: Set<string> };
    let min = Infinity;
    let max = -Infinity;
    nodes.forEach((n, i) => {
      if (d.ignored.has(n.name)) return;
      const s = scores[i]!;
      if (s < min) min = s;
      if (s > max) max = s;
    });
    nodes.forEach((n, i) => {
      if (d.ignored.has(n.name)) scores[i] = 0;
      else if (max === 0) scores[i] = maxNodeScore;
      else scores[i] = Math.trunc((maxNodeScore * (max + min - scores[i]!)) / max);
    });
  },
};
