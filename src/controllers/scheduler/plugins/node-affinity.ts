// NodeAffinity: spec.nodeSelector and required node affinity filter nodes; preferred terms score them. A pod whose
// every required term names nodes with `matchFields metadata.name In` (DaemonSet pods) is only tried on those nodes.
import type { NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../node-info.js';
import { rejected, type Plugin, type Pod } from '../types.js';
import { defaultNormalizeScore, termMatchesNode } from './helpers.js';

/** Kubernetes' reason for a node failing the pod's node selector or required node affinity. */
export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

/** True when a node satisfies the pod's nodeSelector and required node affinity (GetRequiredNodeAffinity.Match). */
export function matchesRequiredNodeAffinity(pod: Pod, node: NodeInfo): boolean {
  const sel = pod.spec?.nodeSelector;
  if (sel) for (const k in sel) if (node.labels[k] !== sel[k]) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  for (const t of terms) if (termMatchesNode(t, node.labels, node.name)) return true;
  return false;
}

/** The node names the required terms allow, when every term restricts metadata.name with In; otherwise undefined. */
export function nodeNamesOfTerms(terms: readonly NodeSelectorTerm[] | undefined): Set<string> | undefined {
  if (!terms || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    let restricted: Set<string> | undefined;
    for (const f of t.matchFields ?? []) {
      if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
      const vals = new Set(f.values ?? []);
      restricted = restricted ? new Set([...restricted].filter((v) => vals.has(v))) : vals;
    }
    // A term without such a field can match any node.
    if (!restricted) return undefined;
    for (const n of restricted) names.add(n);
  }
  return names;
}

/** NodeAffinity (weight 2). */
export const nodeAffinity: Plugin = {
  name: 'NodeAffinity',
  weight: 2,
  preFilter(state) {
    const spec = state.pod.spec;
    const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (!terms && Object.keys(spec?.nodeSelector ?? {}).length === 0) return 'skip';
    const names = nodeNamesOfTerms(terms);
    return names ? { nodeNames: names } : undefined;
  },
  filter(state, node) {
    if (matchesRequiredNodeAffinity(state.pod, node)) return undefined;
    return rejected('NodeAffinity', 'UnschedulableAndUnresolvable', errReasonNodeAffinity);
  },
  preScore: (state) => (state.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
  score(state, node) {
    let s = 0;
    for (const p of state.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (p.weight !== 0 && termMatchesNode(p.preference, node.labels, node.name)) s += p.weight;
    }
    return s;
  },
  normalizeScore: (_state, scores) => defaultNormalizeScore(scores, false),
};
