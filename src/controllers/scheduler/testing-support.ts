// Builders for the scheduler's tests: nodes, pods and the CycleState of one attempt.
import { newPodInfo, NodeInfo, nodeInfoOf, type PodInfo } from './node-info.js';
import type { CycleState, Node, Pod } from './types.js';

/** What a test node is made of. */
export interface NodeSpecLite {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  extra?: Record<string, string>;
}

/** A Node with allocatable resources (default 4 CPU, 8Gi, 110 pods) and a hostname label. */
export function makeNode(name: string, o: NodeSpecLite = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...o.extra };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable },
  };
}

/** What a test pod is made of. */
export interface PodSpecLite {
  namespace?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  node?: string;
  spec?: Record<string, unknown>;
}

/** A Pod with one container requesting `cpu`/`memory` (none when absent). */
export function makePod(name: string, o: PodSpecLite = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests['cpu'] = o.cpu;
  if (o.memory) requests['memory'] = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, labels: o.labels ?? {} },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(Object.keys(requests).length ? { resources: { requests } } : {}) }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...o.spec,
    },
  } as Pod;
}

/** NodeInfos of nodes with the pods bound to each (`pod.spec.nodeName`). */
export function nodeInfos(nodes: Node[], pods: Pod[] = []): NodeInfo[] {
  return nodes.map((n) => nodeInfoOf(n, pods.filter((p) => p.spec?.nodeName === n.metadata?.name)));
}

/** The CycleState of scheduling `pod` over `nodes`. */
export function cycleState(pod: Pod, nodes: NodeInfo[] = [], namespaceLabels: Record<string, Record<string, string>> = {}): CycleState {
  const byLabel = new Map<string, Set<PodInfo>>();
  for (const n of nodes) {
    for (const p of n.pods.values()) {
      for (const k in p.labels) {
        const lk = `${k}\u0000${p.labels[k]}`;
        if (!byLabel.has(lk)) byLabel.set(lk, new Set());
        byLabel.get(lk)!.add(p);
      }
    }
  }
  let withAffinity = 0;
  let withAnti = 0;
  for (const n of nodes) {
    withAffinity += n.podsWithAffinity.size;
    withAnti += n.podsWithRequiredAntiAffinity.size;
  }
  return {
    pod,
    podInfo: newPodInfo(pod),
    allNodes: nodes,
    namespaceLabels: (ns) => namespaceLabels[ns],
    podsWithLabel: (k) => byLabel.get(k),
    nodeByName: (name) => nodes.find((n) => n.name === name),
    data: new Map(),
    clusterPodsWithAffinity: withAffinity,
    clusterPodsWithRequiredAntiAffinity: withAnti,
  };
}
