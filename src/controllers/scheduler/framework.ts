// One scheduling attempt (kube-scheduler's SchedulePod): PreFilter, Filter over a round-robin sample of the nodes
// until enough feasible ones are found (percentageOfNodesToScore), then PreScore/Score/NormalizeScore and the
// best total wins (ties broken at random). Synchronous: the cache cannot change while an attempt runs.
import type { LabelSelector } from '../../machinery/index.js';
import type { SchedulerCache } from './cache.js';
import type { FitError } from './fit-error.js';
import type { Nominator } from './nominator.js';
import { newPodInfo, type NodeInfo, type PodInfo } from './node-info.js';
import { defaultPlugins } from './plugins/index.js';
import type { CycleState, Plugin, Pod, Status } from './types.js';

/** Fewer nodes than this are always all evaluated (minFeasibleNodesToFind). */
export const minFeasibleNodesToFind = 100;
/** The adaptive percentage never drops below this (minFeasibleNodesPercentageToFind). */
export const minFeasibleNodesPercentageToFind = 5;

/** How many feasible nodes to look for before scoring (numFeasibleNodesToFind); `percentage` 0 is adaptive. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let p = percentage;
  if (p <= 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < minFeasibleNodesPercentageToFind) p = minFeasibleNodesPercentageToFind;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
}

/** How the framework is built. */
export interface FrameworkOptions {
  plugins?: readonly Plugin[];
  /** percentageOfNodesToScore (0, the default: adaptive). */
  percentageOfNodesToScore?: number;
  /** Labels of a namespace (namespaceSelector of pod affinity terms). */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /** The selector of a pod's spreading group (Services and controller) for the system default spread constraints. */
  defaultSpreadSelector?: (pod: Pod) => LabelSelector | undefined;
  /** Random numbers in [0, 1) for tie breaks. */
  random?: () => number;
  /** Pods nominated to nodes by preemption (counted when filtering other pods of lower or equal priority). */
  nominator?: Nominator;
}

/** What a failed attempt leaves for PostFilter (preemption): its CycleState and the filters that ran. */
export interface FilterCycle {
  state: CycleState;
  filters: readonly Plugin[];
}

/** What an attempt found: a node, or why there is none. */
export type ScheduleResult = { node: string; evaluatedNodes: number; feasibleNodes: number } | { fitError: FitError; cycle?: FilterCycle };

/** Runs the plugins over the cache. */
export class Framework {
  private nextStartNodeIndex = 0;
  private readonly plugins: readonly Plugin[];
  private readonly random: () => number;

  constructor(
    private readonly cache: SchedulerCache,
    private readonly opts: FrameworkOptions = {},
  ) {
    this.plugins = opts.plugins ?? defaultPlugins;
    this.random = opts.random ?? Math.random;
  }

  /** Finds a node for a pod (or the FitError saying why none fits). Throws only on programming errors. */
  schedule(pod: Pod): ScheduleResult {
    const all = this.cache.nodeList();
    const state: CycleState = {
      pod,
      podInfo: newPodInfo(pod),
      allNodes: all,
      namespaceLabels: this.opts.namespaceLabels ?? (() => undefined),
      podsWithLabel: (k) => this.cache.byLabel.get(k),
      nodeByName: (name) => this.cache.node(name),
      data: new Map(),
      clusterPodsWithAffinity: this.cache.podsWithAffinity,
      clusterPodsWithRequiredAntiAffinity: this.cache.podsWithRequiredAntiAffinity,
    };
    const dss = this.opts.defaultSpreadSelector;
    if (dss) {
      let memo: { sel: LabelSelector | undefined } | undefined;
      state.defaultSpreadSelector = () => (memo ??= { sel: dss(pod) }).sel;
    }
    const fitError = (statuses: Map<string, Status>, extra: Partial<FitError> = {}, cycle?: FilterCycle): ScheduleResult => ({ fitError: { pod, numAllNodes: all.length, statuses, ...extra }, ...(cycle ? { cycle } : {}) });

    let candidates: readonly NodeInfo[] = all;
    let restrictedBy: string[] = [];
    const filters: Plugin[] = [];
    for (const p of this.plugins) {
      const r = p.preFilter?.(state);
      if (r === 'skip') continue;
      if (p.filter) filters.push(p);
      if (!r) continue;
      if ('status' in r) return fitError(new Map(), { preFilter: r.status }, { state, filters });
      const names = r.nodeNames;
      candidates = candidates.filter((n) => names.has(n.name));
      restrictedBy.push(p.name);
    }
    restrictedBy = [...new Set(restrictedBy)].sort();
    const cycle: FilterCycle = { state, filters };

    // A node nominated by an earlier preemption is most likely the one that fits: it is tried alone first.
    const nominated = this.opts.nominator?.nodeOf(state.podInfo.key) ?? pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = candidates.find((c) => c.name === nominated);
      if (ni && !this.filterNode(cycle, ni)) return { node: ni.name, evaluatedNodes: 1, feasibleNodes: 1 };
    }

    const statuses = new Map<string, Status>();
    const feasible: NodeInfo[] = [];
    const n = candidates.length;
    const want = numFeasibleNodesToFind(n, this.opts.percentageOfNodesToScore);
    const start = candidates === all && n > 0 ? this.nextStartNodeIndex % n : 0;
    let processed = 0;
    let i = start;
    for (; processed < n && feasible.length < want; processed++) {
      const node = candidates[i]!;
      if (++i === n) i = 0;
      const rejection = this.filterNode(cycle, node);
      if (rejection) statuses.set(node.name, rejection);
      else feasible.push(node);
    }
    if (candidates === all && n > 0) this.nextStartNodeIndex = (start + processed) % n;

    if (feasible.length === 0) {
      const skipped = all.length - candidates.length;
      return fitError(statuses, skipped > 0 ? { skipped: { count: skipped, plugins: restrictedBy } } : {}, cycle);
    }
    const result = { evaluatedNodes: processed, feasibleNodes: feasible.length };
    if (feasible.length === 1) return { node: feasible[0]!.name, ...result };
    return { node: this.selectHost(state, feasible), ...result };
  }

  /**
   * Runs the filters on one node (RunFilterPluginsWithNominatedPods): when pods of at least this pod's priority are
   * nominated to the node, the node must fit with them added and also without them (a nominated pod may go elsewhere).
   */
  filterNode(cycle: FilterCycle, node: NodeInfo): Status | undefined {
    const withNominated = this.withNominatedPods(cycle, node);
    if (withNominated) {
      const s = runFilters(withNominated.cycle, withNominated.node);
      if (s) return s;
    }
    return runFilters(cycle, node);
  }

  /** The node and cycle with the nominated pods of equal or higher priority added, or undefined when there are none. */
  private withNominatedPods(cycle: FilterCycle, node: NodeInfo): { cycle: FilterCycle; node: NodeInfo } | undefined {
    const nominator = this.opts.nominator;
    if (!nominator || nominator.size === 0) return undefined;
    const { state } = cycle;
    const prio = state.pod.spec?.priority ?? 0;
    let out: { cycle: FilterCycle; node: NodeInfo } | undefined;
    for (const p of nominator.podsOn(node.name)) {
      if ((p.pod.spec?.priority ?? 0) < prio || p.key === state.podInfo.key) continue;
      out ??= { cycle: cloneCycle(cycle), node: node.clone() };
      addPod(out.cycle, p, out.node);
    }
    return out;
  }

  private selectHost(state: CycleState, nodes: readonly NodeInfo[]): string {
    const len = nodes.length;
    const totals = new Float64Array(len);
    const scores: number[] = new Array<number>(len);
    for (const p of this.plugins) {
      if (!p.score) continue;
      if (p.preScore && !p.preScore(state, nodes)) continue;
      for (let i = 0; i < len; i++) scores[i] = p.score(state, nodes[i]!);
      p.normalizeScore?.(state, scores, nodes);
      const w = p.weight ?? 1;
      for (let i = 0; i < len; i++) totals[i]! += scores[i]! * w;
    }
    // The best total; among equals each is picked with the same probability (reservoir sampling).
    let best = 0;
    let ties = 1;
    for (let i = 1; i < len; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return nodes[best]!.name;
  }
}

/** Runs every filter of a cycle on a node; the first rejection, or undefined when the node fits. */
function runFilters(cycle: FilterCycle, node: NodeInfo): Status | undefined {
  const { filters, state } = cycle;
  for (let f = 0; f < filters.length; f++) {
    const s = filters[f]!.filter!(state, node);
    if (s) return s;
  }
  return undefined;
}

/** A copy of a cycle whose PreFilter data may be updated by AddPod/RemovePod without touching the original. */
export function cloneCycle(cycle: FilterCycle): FilterCycle {
  return { state: { ...cycle.state, data: new Map(cycle.state.data) }, filters: cycle.filters };
}

/** Adds a pod to a node and tells the cycle's plugins (RunPreFilterExtensionAddPod). */
export function addPod(cycle: FilterCycle, pod: PodInfo, node: NodeInfo): void {
  node.addPod(pod);
  for (const p of cycle.filters) p.addPod?.(cycle.state, pod, node);
}

/** Removes a pod from a node and tells the cycle's plugins (RunPreFilterExtensionRemovePod). */
export function removePod(cycle: FilterCycle, pod: PodInfo, node: NodeInfo): void {
  node.removePod(pod.key);
  for (const p of cycle.filters) p.removePod?.(cycle.state, pod, node);
}
