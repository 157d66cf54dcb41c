// InterPodAffinity: required pod affinity and anti-affinity (the incoming pod's and the existing pods') filter
// nodes by topology domain; preferred terms (both ways) and existing pods' required affinity score them.
import { termMatches, type AffinityTerm, type NodeInfo, type PodInfo } from '../node-info.js';
import { maxNodeScore, rejected, type CycleState, type Plugin } from '../types.js';

/** Kubernetes' reasons. */
export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";

/** The weight an existing pod's required affinity to the incoming pod adds to a domain's score (hardPodAffinityWeight). */
export const hardPodAffinityWeight = 1;

interface FilterData {
  /** `key\0value` → existing pods there whose required anti-affinity selects the incoming pod. */
  existingAnti: Map<string, number>;
  /** `key\0value` → existing pods there matching all the incoming pod's required affinity terms. */
  affinity: Map<string, number>;
  /** `key\0value` → existing pods there matching one of the incoming pod's required anti-affinity terms. */
  anti: Map<string, number>;
}

const pair = (k: string, v: string) => `${k}\u0000${v}`;

function bump(m: Map<string, number>, k: string, by = 1): void {
  const n = (m.get(k) ?? 0) + by;
  // A count taken back to zero leaves the map: "no pod anywhere matches" reads its size.
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

function matchesAll(terms: readonly AffinityTerm[], p: PodInfo, state: CycleState): boolean {
  for (const t of terms) if (!termMatches(t, p, state.namespaceLabels)) return false;
  return terms.length > 0;
}

/** Counts (sign 1) or uncounts (-1) an existing pod's required anti-affinity against the incoming pod. */
function countExistingAnti(state: CycleState, d: FilterData, node: NodeInfo, other: PodInfo, sign: number): void {
  for (const t of other.requiredAntiAffinity) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && termMatches(t, state.podInfo, state.namespaceLabels)) bump(d.existingAnti, pair(t.topologyKey, v), sign);
  }
}

/** Counts (or uncounts) an existing pod against the incoming pod's own required affinity and anti-affinity terms. */
function countOwn(state: CycleState, d: FilterData, node: NodeInfo, other: PodInfo, sign: number): void {
  const me = state.podInfo;
  if (other.key === me.key) return;
  if (me.requiredAffinity.length && matchesAll(me.requiredAffinity, other, state)) {
    for (const t of me.requiredAffinity) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined) bump(d.affinity, pair(t.topologyKey, v), sign);
    }
  }
  for (const t of me.requiredAntiAffinity) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && termMatches(t, other, state.namespaceLabels)) bump(d.anti, pair(t.topologyKey, v), sign);
  }
}

function preFilterData(state: CycleState): FilterData {
  const me = state.podInfo;
  const d: FilterData = { existingAnti: new Map(), affinity: new Map(), anti: new Map() };
  const own = me.requiredAffinity.length + me.requiredAntiAffinity.length > 0;
  for (const node of state.allNodes) {
    for (const other of node.podsWithRequiredAntiAffinity) countExistingAnti(state, d, node, other, 1);
    if (!own) continue;
    for (const other of node.pods.values()) countOwn(state, d, node, other, 1);
  }
  return d;
}

/** AddPod/RemovePod: the PreFilter counts with one pod more or less on a node (a fresh copy, the old one is shared). */
function updateWithPod(state: CycleState, pod: PodInfo, node: NodeInfo, sign: number): void {
  const old = state.data.get('InterPodAffinity') as FilterData | undefined;
  if (!old) return;
  const d: FilterData = { existingAnti: new Map(old.existingAnti), affinity: new Map(old.affinity), anti: new Map(old.anti) };
  countExistingAnti(state, d, node, pod, sign);
  countOwn(state, d, node, pod, sign);
  state.data.set('InterPodAffinity', d);
}

function satisfiesAffinity(state: CycleState, d: FilterData, node: NodeInfo): boolean {
  const terms = state.podInfo.requiredAffinity;
  let podsExist = true;
  for (const t of terms) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return false; // every topology label must exist on the node
    if ((d.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod anywhere matches and it matches its own terms.
  return d.affinity.size === 0 && matchesAll(terms, state.podInfo, state);
}

/** InterPodAffinity (weight 2). */
export const interPodAffinity: Plugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preFilter(state) {
    const me = state.podInfo;
    if (state.clusterPodsWithRequiredAntiAffinity === 0 && me.requiredAffinity.length + me.requiredAntiAffinity.length === 0) return 'skip';
    state.data.set('InterPodAffinity', preFilterData(state));
    return undefined;
  },
  addPod: (state, pod, node) => updateWithPod(state, pod, node, 1),
  removePod: (state, pod, node) => updateWithPod(state, pod, node, -1),
  filter(state, node) {
    const d = state.data.get('InterPodAffinity') as FilterData | undefined;
    if (!d) return undefined;
    const me = state.podInfo;
    if (me.requiredAffinity.length && !satisfiesAffinity(state, d, node)) {
      return rejected('InterPodAffinity', 'UnschedulableAndUnresolvable', errReasonAffinityRulesNotMatch);
    }
    for (const t of me.requiredAntiAffinity) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && (d.anti.get(pair(t.topologyKey, v)) ?? 0) > 0) return rejected('InterPodAffinity', 'Unschedulable', errReasonAntiAffinityRulesNotMatch);
    }
    if (d.existingAnti.size) {
      for (const k in node.labels) {
        if ((d.existingAnti.get(pair(k, node.labels[k]!)) ?? 0) > 0) return rejected('InterPodAffinity', 'Unschedulable', errReasonExistingAntiAffinityRulesNotMatch);
      }
    }
    return undefined;
  },
  preScore(state) {
    const me = state.podInfo;
    const mine = me.preferredAffinity.length + me.preferredAntiAffinity.length > 0;
    if (!mine && state.clusterPodsWithAffinity === 0) return false;
    const scores = new Map<string, number>();
    for (const node of state.allNodes) {
      const others = mine ? node.pods.values() : node.podsWithAffinity.values();
      for (const other of others) {
        if (other.key === me.key) continue;
        const add = (key: string, w: number) => {
          const v = node.labels[key];
          if (v !== undefined) bump(scores, pair(key, v), w);
        };
        for (const t of me.preferredAffinity) if (termMatches(t, other, state.namespaceLabels)) add(t.topologyKey, t.weight);
        for (const t of me.preferredAntiAffinity) if (termMatches(t, other, state.namespaceLabels)) add(t.topologyKey, -t.weight);
        for (const t of other.requiredAffinity) if (termMatches(t, me, state.namespaceLabels)) add(t.topologyKey, hardPodAffinityWeight);
        for (const t of other.preferredAffinity) if (termMatches(t, me, state.namespaceLabels)) add(t.topologyKey, t.weight);
        for (const t of other.preferredAntiAffinity) if (termMatches(t, me, state.namespaceLabels)) add(t.topologyKey, -t.weight);
      }
    }
    for (const [k, v] of scores) if (v === 0) scores.delete(k);
    if (scores.size === 0) return false;
    state.data.set('InterPodAffinity/score', scores);
    return true;
  },
  score(state, node) {
    const scores = state.data.get('InterPodAffinity/score') as Map<string, number> | undefined;
    if (!scores) return 0;
    let s = 0;
    for (const k in node.labels) s += scores.get(pair(k, node.labels[k]!)) ?? 0;
    return s;
  },
  normalizeScore(_state, scores) {
    if (scores.length === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((maxNodeScore * (scores[i]! - min)) / diff) : 0;
  },
};
