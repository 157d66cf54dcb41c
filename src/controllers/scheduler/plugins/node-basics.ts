// The simple node filters: NodeName, NodeUnschedulable, NodePorts, and TaintToleration (filter and score).
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../node-info.js';
import { rejected, type CycleState, type Plugin } from '../types.js';
import { defaultNormalizeScore, firstUntoleratedTaint, toleratedBy } from './helpers.js';

/** NodeName: a pod naming a node in spec.nodeName fits only there. */
export const nodeName: Plugin = {
  name: 'NodeName',
  preFilter: (state) => (state.pod.spec?.nodeName ? undefined : 'skip'),
  filter(state, node) {
    const want = state.pod.spec?.nodeName;
    if (want && want !== node.name) return rejected('NodeName', 'UnschedulableAndUnresolvable', "node(s) didn't match the requested node name");
    return undefined;
  },
};

const unschedulableTaint: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods tolerating the unschedulable taint. */
export const nodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  filter(state, node) {
    if (!node.unschedulable) return undefined;
    if (toleratedBy(state.pod.spec?.tolerations, unschedulableTaint)) return undefined;
    return rejected('NodeUnschedulable', 'UnschedulableAndUnresolvable', 'node(s) were unschedulable');
  },
};

/** NodePorts: a host port (protocol, port) may be used once per node IP; 0.0.0.0 conflicts with every IP. */
export const nodePorts: Plugin = {
  name: 'NodePorts',
  preFilter: (state) => (state.podInfo.hostPorts.length ? undefined : 'skip'),
  filter(state, node) {
    const want = state.podInfo.hostPorts;
    if (want.length === 0 || node.usedPorts.size === 0) return undefined;
    for (const p of want) {
      const ips = node.usedPorts.get(`${p.protocol}/${p.port}`);
      if (!ips) continue;
      if (p.ip === '0.0.0.0' || ips.includes('0.0.0.0') || ips.includes(p.ip)) {
        return rejected('NodePorts', 'Unschedulable', "node(s) didn't have free ports for the requested pod ports");
      }
    }
    return undefined;
  },
};

function intolerablePreferNoSchedule(state: CycleState, node: NodeInfo): number {
  const tolerations = (state.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  let n = 0;
  for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !toleratedBy(tolerations, taint)) n++;
  return n;
}

/** TaintToleration: NoSchedule/NoExecute taints must be tolerated; fewer untolerated PreferNoSchedule taints score higher. */
export const taintToleration: Plugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(state, node) {
    if (node.taints.length === 0) return undefined;
    const t = firstUntoleratedTaint(node.taints, state.pod.spec?.tolerations);
    if (!t) return undefined;
    return rejected('TaintToleration', 'UnschedulableAndUnresolvable', `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`);
  },
  preScore: (_state, nodes) => nodes.some((n) => n.taints.some((t) => t.effect === 'PreferNoSchedule')),
  score: (state, node) => (node.taints.length ? intolerablePreferNoSchedule(state, node) : 0),
  normalizeScore: (_state, scores) => defaultNormalizeScore(scores, true),
};
