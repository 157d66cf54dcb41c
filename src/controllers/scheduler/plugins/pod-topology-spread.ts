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
  /** Label index keys (`key\0value`) of the selector's equality requirements, computed once. */
  indexKeys?: string[];
}

/** The label index keys of a selector's equality requirements. */
export function indexKeysOf(selector: LabelSelector): string[] {
  const keys: string[] = [];
  for (const r of selector.requirements) {
    if (r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1)) keys.push(`${r.key}\u0000${r.values[0] ?? ''}`);
  }
  return keys;
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
  for (const k of (c.indexKeys ??= indexKeysOf(c.selector))) {
    const set = node.byLabel.get(k);
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

/** True when a pod counts for a constraint: same namespace as the incoming pod, not terminating, selected. */
function counts(state: CycleState, c: Constraint, p: PodInfo): boolean {
  return p.namespace === state.podInfo.namespace && !p.pod.metadata?.deletionTimestamp && matchesLabels(c.selector, p.labels);
}

/**
 * Adds the matching pods of every node that `include` accepts to `byDomain` (only domains already in it when
 * `onlyKnown`). With an equality requirement it walks the cluster's pods carrying that label, not every node.
 */
function countDomains(state: CycleState, c: Constraint, byDomain: Map<string, number>, include: (n: NodeInfo) => boolean, onlyKnown: boolean): void {
  const keys = (c.indexKeys ??= indexKeysOf(c.selector));
  if (c.selector.nothing) return;
  const add = (node: NodeInfo, by: number) => {
    const v = node.labels[c.topologyKey];
    if (v === undefined) return;
    const cur = byDomain.get(v);
    if (cur === undefined && onlyKnown) return;
    byDomain.set(v, (cur ?? 0) + by);
  };
  if (keys.length === 0) {
    for (const node of state.allNodes) if (include(node)) add(node, countMatching(state, c, node));
    return;
  }
  let rarest: ReadonlySet<PodInfo> | undefined;
  for (const k of keys) {
    const set = state.podsWithLabel(k);
    if (!set) return;
    if (!rarest || set.size < rarest.size) rarest = set;
  }
  const included = new Map<string, boolean>();
  for (const p of rarest!) {
    if (!counts(state, c, p)) continue;
    const node = state.nodeByName(p.nodeName);
    if (!node) continue;
    let ok = included.get(node.name);
    if (ok === undefined) included.set(node.name, (ok = include(node)));
    if (ok) add(node, 1);
  }
}

/** Matching pods per node name, through the label index; undefined when the selector has no equality requirement. */
function countByNodeName(state: CycleState, c: Constraint): Map<string, number> | undefined {
  const keys = (c.indexKeys ??= indexKeysOf(c.selector));
  if (keys.length === 0) return undefined;
  const out = new Map<string, number>();
  if (c.selector.nothing) return out;
  let rarest: ReadonlySet<PodInfo> | undefined;
  for (const k of keys) {
    const set = state.podsWithLabel(k);
    if (!set) return out;
    if (!rarest || set.size < rarest.size) rarest = set;
  }
  for (const p of rarest!) if (counts(state, c, p)) out.set(p.nodeName, (out.get(p.nodeName) ?? 0) + 1);
  return out;
}

interface ScoreData {
  constraints: Constraint[];
  counts: Map<string, number>[];
  weights: number[];
  ignored: Set<string>;
  hostCounts: (Map<string, number> | undefined)[];
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

/** The smallest count of matching pods over the domains (0 when there are fewer domains than minDomains). */
function minMatchOf(c: Constraint, m: ReadonlyMap<string, number>): number {
  if (m.size < c.minDomains) return 0;
  let min = Infinity;
  for (const v of m.values()) if (v < min) min = v;
  return min === Infinity ? 0 : min;
}

/** AddPod/RemovePod: the PreFilter counts with one pod more or less on a node (a fresh copy, the old one is shared). */
function updateWithPod(state: CycleState, pod: PodInfo, node: NodeInfo, delta: number): void {
  const old = state.data.get('PodTopologySpread') as FilterData | undefined;
  if (!old || !hasAllKeys(node, old.constraints)) return;
  let d: FilterData | undefined;
  old.constraints.forEach((c, i) => {
    const v = node.labels[c.topologyKey]!;
    if (!old.counts[i]!.has(v) || !counts(state, c, pod)) return;
    d ??= { constraints: old.constraints, counts: old.counts.map((m) => new Map(m)), minMatch: [...old.minMatch] };
    d.counts[i]!.set(v, d.counts[i]!.get(v)! + delta);
    d.minMatch[i] = minMatchOf(c, d.counts[i]!);
  });
  if (d) state.data.set('PodTopologySpread', d);
}

/** PodTopologySpread (weight 2). */
export const podTopologySpread: Plugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter(state) {
    const constraints = constraintsOf(state, 'DoNotSchedule');
    if (constraints.length === 0) return 'skip';
    const counts = constraints.map(() => new Map<string, number>());
    // Every domain of an eligible node counts (with 0 pods too, for the minimum); then the matching pods in them.
    for (const node of state.allNodes) {
      if (!hasAllKeys(node, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!eligible(state, c, node)) continue;
        const v = node.labels[c.topologyKey]!;
        if (!counts[i]!.has(v)) counts[i]!.set(v, 0);
      }
    }
    constraints.forEach((c, i) => countDomains(state, c, counts[i]!, (n) => hasAllKeys(n, constraints) && eligible(state, c, n), true));
    const minMatch = constraints.map((c, i) => minMatchOf(c, counts[i]!));
    state.data.set('PodTopologySpread', { constraints, counts, minMatch } satisfies FilterData);
    return undefined;
  },
  addPod: (state, pod, node) => updateWithPod(state, pod, node, 1),
  removePod: (state, pod, node) => updateWithPod(state, pod, node, -1),
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
    constraints.forEach((c, i) => {
      if (c.topologyKey === hostnameLabel || counts[i]!.size === 0) return;
      countDomains(state, c, counts[i]!, (n) => (!requireAll || hasAllKeys(n, constraints)) && eligible(state, c, n), true);
    });
    // Per node counts for hostname constraints, from the cluster's pods carrying the selector's labels.
    const hostCounts = constraints.map((c) => (c.topologyKey === hostnameLabel ? countByNodeName(state, c) : undefined));
    state.data.set('PodTopologySpread/score', { constraints, counts, weights, ignored, hostCounts } satisfies ScoreData);
    return true;
  },
  score(state, node) {
    const d = state.data.get('PodTopologySpread/score') as ScoreData;
    if (d.ignored.has(node.name)) return 0;
    let s = 0;
    for (let i = 0; i < d.constraints.length; i++) {
      const c = d.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) continue;
      const byNode = d.hostCounts[i];
      const cnt = c.topologyKey === hostnameLabel ? (byNode ? (byNode.get(node.name) ?? 0) : countMatching(state, c, node)) : (d.counts[i]!.get(v) ?? 0);
      s += cnt * d.weights[i]! + (c.maxSkew - 1);
    }
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
