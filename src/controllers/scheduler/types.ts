// The scheduler's vocabulary: the pod and node shapes it reads, plugin statuses, and the plugin seam (kube-scheduler's
// framework extension points PreFilter, Filter, PreScore, Score, NormalizeScore, reduced to what kin runs).
import type { NodeSpec, NodeStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import type { LabelSelector } from '../../machinery/index.js';
import type { NodeInfo, PodInfo } from './node-info.js';

/** A Pod as the scheduler reads it. */
export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

/** A Node as the scheduler reads it. */
export interface Node extends KubeObject {
  spec?: NodeSpec;
  status?: NodeStatus;
}

/** A plugin's verdict on one node, as kube-scheduler's status codes. */
export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** Why a node was rejected: the code, the reasons (`Insufficient cpu`) and the plugin that said so. */
export interface Status {
  code: Exclude<Code, 'Success'>;
  reasons: string[];
  plugin: string;
}

/** The highest score a plugin gives a node (framework.MaxNodeScore). */
export const maxNodeScore = 100;

/** What every plugin of one scheduling attempt shares: the pod, its parsed info and per-plugin data. */
export interface CycleState {
  pod: Pod;
  podInfo: PodInfo;
  /** Every node the scheduler knows (for plugins that count pods across the cluster). */
  allNodes: readonly NodeInfo[];
  /** Labels of a namespace (for namespaceSelector in pod affinity terms). */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Every bound or assumed pod carrying a label (`key\0value`), cluster-wide. */
  podsWithLabel(labelKey: string): ReadonlySet<PodInfo> | undefined;
  /** A node by name. */
  nodeByName(name: string): NodeInfo | undefined;
  /** Pods with any affinity term, and with required anti-affinity, in the whole cluster (plugins skip work at 0). */
  clusterPodsWithAffinity: number;
  clusterPodsWithRequiredAntiAffinity: number;
  /**
   * The selector of the pod's spreading group for the system default topology spread constraints: what its
   * Services and its controller (ReplicaSet, StatefulSet, ReplicationController) select; undefined for none.
   */
  defaultSpreadSelector?: () => LabelSelector | undefined;
  /** Per-plugin data computed in PreFilter or PreScore. */
  data: Map<string, unknown>;
}

/**
 * What PreFilter may answer: nothing (filter all nodes), 'skip' (this plugin's Filter has nothing to check for
 * this pod), only these node names, or a rejection of every node.
 */
export type PreFilterResult = undefined | 'skip' | { nodeNames: Set<string> } | { status: Status };

/**
 * A scheduling plugin. Every hook is optional. PreFilter runs once per attempt (may store data in
 * `state.data` under the plugin's name, restrict the candidate nodes, or reject the pod); Filter runs per node
 * and returns undefined when the node fits; PreScore runs once over the feasible nodes (return false to skip
 * scoring); Score runs per feasible node; NormalizeScore maps the raw scores onto 0..100 in place.
 */
export interface Plugin {
  readonly name: string;
  /** The weight of this plugin's normalized score in the total (default profile weights; default 1). */
  readonly weight?: number;
  preFilter?(state: CycleState): PreFilterResult;
  filter?(state: CycleState, node: NodeInfo): Status | undefined;
  preScore?(state: CycleState, nodes: readonly NodeInfo[]): boolean;
  score?(state: CycleState, node: NodeInfo): number;
  normalizeScore?(state: CycleState, scores: number[], nodes: readonly NodeInfo[]): void;
  /**
   * PreFilter extensions (AddPod, RemovePod): keep this plugin's PreFilter data true when preemption removes a pod
   * from a node, or the filters count a nominated pod on one. They run on a copy of the CycleState whose `data` map
   * is its own but whose values are shared: replace a value with an updated copy, never change it in place.
   */
  addPod?(state: CycleState, pod: PodInfo, node: NodeInfo): void;
  removePod?(state: CycleState, pod: PodInfo, node: NodeInfo): void;
}

/** Builds a rejection. */
export function rejected(plugin: string, code: Status['code'], ...reasons: string[]): Status {
  return { code, reasons, plugin };
}
