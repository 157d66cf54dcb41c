// The pod's quality-of-service class (ComputePodQOS), set once at creation.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { addQuantities, entries, list, parseQuantity, type Quantity } from '../shared/index.js';

const qosResources = new Set(['cpu', 'memory']);

/** Guaranteed, Burstable or BestEffort, from the cpu and memory requests and limits of every container. */
export function computePodQOS(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (m: Map<string, Quantity>, k: string, q: Quantity) => {
    const prev = m.get(k);
    m.set(k, prev ? addQuantities(prev, q) : q);
  };
  for (const c of [...list(pod.spec?.containers), ...list(pod.spec?.initContainers)]) {
    for (const [name, v] of entries(c.resources?.requests)) {
      const q = parseQuantity(v);
      if (qosResources.has(name) && q && q.nanos > 0n) add(requests, name, q);
    }
    const found = new Set<string>();
    for (const [name, v] of entries(c.resources?.limits)) {
      const q = parseQuantity(v);
      if (qosResources.has(name) && q && q.nanos > 0n) {
        found.add(name);
        add(limits, name, q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.nanos !== req.nanos) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
