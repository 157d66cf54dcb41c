// DefaultPreemption, the PostFilter of kube-scheduler: when a pod fits no node, find nodes where removing pods of
// strictly lower priority would make it fit, keep as many of those pods as still allows it (PDB-violating ones get
// their reprieve first), and pick the node whose victims matter least. Pure decisions over the scheduler's NodeInfos;
// the API writes (victims' condition, deletion, events, nominations) live in preemption-actions.ts.
import { matchesLabels, tryLabelSelectorFromObject, type LabelSelectorObject } from '../../machinery/index.js';
import type { KubeObject } from '../../api/index.js';
import { preemptionFailureMessage, type FitError } from './fit-error.js';
import { addPod, cloneCycle, removePod, type FilterCycle } from './framework.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import { rejected, type Pod, type Status } from './types.js';

/** The plugin's name, as kube-scheduler registers it. */
export const defaultPreemptionName = 'DefaultPreemption';
/** The status of a node without a single pod of lower priority. */
export const noVictimsMessage = 'No preemption victims found for incoming pod';
/** minCandidateNodesPercentage and minCandidateNodesAbsolute of DefaultPreemptionArgs (their defaults). */
export const minCandidateNodesPercentage = 10;
export const minCandidateNodesAbsolute = 100;

/** A PodDisruptionBudget as preemption reads it. */
export interface PodDisruptionBudgetLike extends KubeObject {
  spec?: { selector?: LabelSelectorObject };
  status?: { disruptionsAllowed?: number; disruptedPods?: Record<string, string> };
}

/** A node where preemption makes the pod fit: its victims (most important first) and how many violate a PDB. */
export interface Candidate {
  node: string;
  victims: Pod[];
  pdbViolations: number;
}

/** A pod's priority (0 when the Priority admission plugin set none). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** When a pod started (ms): status.startTime, or `now` for a pod not started yet (GetPodStartTime). */
export function podStartTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** True when `a` matters more than `b`: higher priority, or equal priority and running longer (MoreImportantPod). */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** True for a pod being deleted because the scheduler preempted it (DisruptionTarget, PreemptionByScheduler). */
export function podTerminatingByPreemption(pod: Pod): boolean {
  if (!pod.metadata?.deletionTimestamp) return false;
  const c = pod.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/**
 * Splits pods (order kept) into those whose eviction would take a PDB below zero allowed disruptions, counting
 * the disruptions of the earlier pods in the list, and the others (filterPodsWithPDBViolation).
 */
export function splitByPdbViolation<T extends { pod: Pod }>(pods: readonly T[], pdbs: readonly PodDisruptionBudgetLike[]): { violating: T[]; nonViolating: T[] } {
  const allowed = pdbs.map((b) => b.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((b) => {
    const s = b.spec?.selector ? tryLabelSelectorFromObject(b.spec.selector) : undefined;
    // An invalid, absent or empty selector selects nothing.
    return !s || typeof s === 'string' || s.nothing || s.requirements.length === 0 ? undefined : s;
  });
  const violating: T[] = [];
  const nonViolating: T[] = [];
  for (const p of pods) {
    const labels = (p.pod.metadata?.labels ?? {}) as Record<string, string>;
    let violated = false;
    if (Object.keys(labels).length) {
      for (let i = 0; i < pdbs.length; i++) {
        const pdb = pdbs[i]!;
        const sel = selectors[i];
        if (!sel || pdb.metadata?.namespace !== p.pod.metadata?.namespace || !matchesLabels(sel, labels)) continue;
        // A pod the API server already counted as disrupted does not take from the budget again.
        if (pdb.status?.disruptedPods && (p.pod.metadata?.name ?? '') in pdb.status.disruptedPods) continue;
        if (--allowed[i]! < 0) violated = true;
      }
    }
    (violated ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/** What selecting victims on one node needs. */
export interface VictimSearch {
  pod: Pod;
  /** A copy of the node's info: victims are removed from and added back to it. */
  node: NodeInfo;
  pdbs: readonly PodDisruptionBudgetLike[];
  /** The filters (with nominated pods) on a node: undefined when the pod fits. */
  fits: (node: NodeInfo) => Status | undefined;
  /** Removes a pod from / adds it back to `node`, keeping the plugins' PreFilter data in step (default: the node only). */
  remove?: (pod: PodInfo, node: NodeInfo) => void;
  add?: (pod: PodInfo, node: NodeInfo) => void;
  now: number;
}

/**
 * The fewest pods of the node to evict for the pod to fit (SelectVictimsOnNode): remove every pod of lower
 * priority, check that the pod fits, then add them back most important first — PDB-violating ones before the
 * others — keeping each that still lets the pod fit. The rest are the victims, most important first.
 */
export function selectVictimsOnNode(s: VictimSearch): { victims: Pod[]; pdbViolations: number } | { status: Status } {
  const prio = podPriority(s.pod);
  const remove = s.remove ?? ((p: PodInfo, n: NodeInfo) => void n.removePod(p.key));
  const add = s.add ?? ((p: PodInfo, n: NodeInfo) => n.addPod(p));
  const potential: PodInfo[] = [];
  for (const p of s.node.pods.values()) if (podPriority(p.pod) < prio) potential.push(p);
  if (potential.length === 0) return { status: rejected(defaultPreemptionName, 'UnschedulableAndUnresolvable', noVictimsMessage) };
  for (const p of potential) remove(p, s.node);
  const status = s.fits(s.node);
  if (status) return { status };
  potential.sort((a, b) => (moreImportantPod(a.pod, b.pod, s.now) ? -1 : moreImportantPod(b.pod, a.pod, s.now) ? 1 : 0));
  const { violating, nonViolating } = splitByPdbViolation(potential, s.pdbs);
  const victims: PodInfo[] = [];
  const reprieve = (p: PodInfo): boolean => {
    add(p, s.node);
    if (!s.fits(s.node)) return true;
    remove(p, s.node);
    victims.push(p);
    return false;
  };
  let pdbViolations = 0;
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of nonViolating) reprieve(p);
  if (violating.length && nonViolating.length) {
    victims.sort((a, b) => (moreImportantPod(a.pod, b.pod, s.now) ? -1 : moreImportantPod(b.pod, a.pod, s.now) ? 1 : 0));
  }
  return { victims: victims.map((v) => v.pod), pdbViolations };
}

/**
 * Whether the pod may preempt at all (PodEligibleToPreemptOthers): undefined when it may, else why not. A pod
 * with preemptionPolicy Never may not; nor may one whose nominated node still has a lower-priority pod terminating
 * because of preemption (its earlier victims are still leaving), unless that node now rejects it for good.
 */
export function podEligibleToPreemptOthers(pod: Pod, nominated: { status: Status | undefined; node: NodeInfo | undefined } | undefined): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  if (!nominated || nominated.status?.code === 'UnschedulableAndUnresolvable') return undefined;
  const prio = podPriority(pod);
  for (const p of nominated.node?.pods.values() ?? []) {
    if (podPriority(p.pod) < prio && podTerminatingByPreemption(p.pod)) return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/**
 * The candidate to preempt on (pickOneNodeForPreemption): fewest PDB violations, then the lowest priority of the
 * most important victim, the smallest sum of victim priorities, the fewest victims, the latest start among the
 * most important victims; the first of the remaining ties.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): Candidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const earliestTopStart = (c: Candidate): number => {
    const top = podPriority(c.victims[0]!);
    let earliest = Infinity;
    for (const v of c.victims) if (podPriority(v) === top) earliest = Math.min(earliest, podStartTime(v, now));
    return earliest;
  };
  // Each score: higher is better. Priorities are shifted by 2^31 so negative ones sum the same way.
  const scores: ((c: Candidate) => number)[] = [
    (c) => -c.pdbViolations,
    (c) => -podPriority(c.victims[0]!),
    (c) => -c.victims.reduce((sum, v) => sum + podPriority(v) + 2 ** 31, 0),
    (c) => -c.victims.length,
    earliestTopStart,
  ];
  let left = [...candidates];
  for (const score of scores) {
    let best = -Infinity;
    let kept: Candidate[] = [];
    for (const c of left) {
      const v = score(c);
      if (v > best) {
        best = v;
        kept = [c];
      } else if (v === best) kept.push(c);
    }
    left = kept;
    if (left.length === 1) break;
  }
  return left[0];
}

/** How many nodes the dry run tries at least before stopping at enough candidates (calculateNumCandidates). */
export function numCandidates(numNodes: number): number {
  let n = Math.trunc((numNodes * minCandidateNodesPercentage) / 100);
  if (n < minCandidateNodesAbsolute) n = minCandidateNodesAbsolute;
  return Math.min(n, numNodes);
}

function hasPodBelow(node: NodeInfo, priority: number): boolean {
  for (const p of node.pods.values()) if (podPriority(p.pod) < priority) return true;
  return false;
}

/** What one preemption attempt needs. */
export interface PreemptionInput {
  fitError: FitError;
  cycle: FilterCycle;
  /** Every node, in the cache's order. */
  nodes: readonly NodeInfo[];
  /** The filters with nominated pods (Framework.filterNode). */
  filterNode: (cycle: FilterCycle, node: NodeInfo) => Status | undefined;
  pdbs: readonly PodDisruptionBudgetLike[];
  /** The node the pod is nominated to now, if any. */
  nominatedNode?: string;
  now: number;
  /** Random numbers in [0, 1): where the dry run starts among the potential nodes. */
  random: () => number;
}

/**
 * The outcome: a candidate to preempt on; or no preemption, with PostFilter's message and whether the pod's
 * nomination is to be cleared (only when no node could help: an ineligible pod keeps its nomination).
 */
export type PreemptionResult = { candidate: Candidate } | { message: string; clearNomination: boolean };

/** Runs DefaultPreemption's PostFilter over a failed attempt (Evaluator.Preempt without the API writes). */
export function preempt(input: PreemptionInput): PreemptionResult {
  const { fitError, cycle } = input;
  const pod = cycle.state.pod;
  // A nominated node the filters never saw (PreFilter narrowed the nodes) counts as rejected for good.
  const nominatedStatus = (n: string): Status => fitError.preFilter ?? fitError.statuses.get(n) ?? rejected(defaultPreemptionName, 'UnschedulableAndUnresolvable');
  const nominated = input.nominatedNode ? { status: nominatedStatus(input.nominatedNode), node: cycle.state.nodeByName(input.nominatedNode) } : undefined;
  const notEligible = podEligibleToPreemptOthers(pod, nominated);
  if (notEligible) return { message: `preemption: ${notEligible}`, clearNomination: false };

  // Only nodes rejected as Unschedulable may be helped by removing pods; a PreFilter rejection counts for every node.
  const potential = fitError.preFilter
    ? fitError.preFilter.code === 'Unschedulable' ? input.nodes : []
    : input.nodes.filter((n) => fitError.statuses.get(n.name)?.code === 'Unschedulable');
  const statuses = new Map<string, Status>();
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  const want = numCandidates(potential.length);
  const prio = podPriority(pod);
  const offset = Math.floor(input.random() * potential.length);
  for (let i = 0; i < potential.length && nonViolating.length + violating.length < want; i++) {
    const node = potential[(offset + i) % potential.length]!;
    if (!hasPodBelow(node, prio)) {
      // Nothing to remove: no need to copy the node and the cycle to find that out.
      statuses.set(node.name, rejected(defaultPreemptionName, 'UnschedulableAndUnresolvable', noVictimsMessage));
      continue;
    }
    // Every node gets its own copy of the node and of the plugins' PreFilter data.
    const c = cloneCycle(cycle);
    const r = selectVictimsOnNode({
      pod,
      node: node.clone(),
      pdbs: input.pdbs,
      fits: (n) => input.filterNode(c, n),
      remove: (p, n) => removePod(c, p, n),
      add: (p, n) => addPod(c, p, n),
      now: input.now,
    });
    if ('status' in r) {
      statuses.set(node.name, r.status);
      continue;
    }
    if (r.victims.length === 0) {
      // The pod fits with every pod kept: the filters disagree with the attempt that rejected the node.
      statuses.set(node.name, rejected(defaultPreemptionName, 'Unschedulable', `expected at least one victim pod on node "${node.name}"`));
      continue;
    }
    (r.pdbViolations === 0 ? nonViolating : violating).push({ node: node.name, ...r });
  }
  const candidate = pickOneNodeForPreemption([...nonViolating, ...violating], input.now);
  if (candidate) return { candidate };
  return { message: preemptionFailureMessage(fitError.numAllNodes, statuses), clearNomination: true };
}
