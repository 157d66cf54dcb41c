// NodeResourcesFit (requests against allocatable, pod count; LeastAllocated scoring) and
// NodeResourcesBalancedAllocation (prefer nodes whose CPU and memory use stay even).
import type { NodeInfo } from '../node-info.js';
import type { Resource } from '../resources.js';
import { rejected, maxNodeScore, type CycleState, type Plugin, type Status } from '../types.js';

/** The reasons NodeResourcesFit gives for one node (empty when the pod fits): `Too many pods`, `Insufficient cpu`, ... */
export function insufficientResources(state: Pick<CycleState, 'podInfo'>, node: NodeInfo): string[] {
  const out: string[] = [];
  const a = node.allocatable;
  const used = node.requested;
  const req = state.podInfo.requests;
  if (node.pods.size + 1 > a.allowedPodNumber) out.push('Too many pods');
  if (req.milliCPU > 0 && req.milliCPU > a.milliCPU - used.milliCPU) out.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > a.memory - used.memory) out.push('Insufficient memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > a.ephemeralStorage - used.ephemeralStorage) out.push('Insufficient ephemeral-storage');
  for (const name in req.scalar) {
    const v = req.scalar[name]!;
    if (v > 0 && v > (a.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) out.push(`Insufficient ${name}`);
  }
  return out;
}

/** True when a request is larger than the node's allocatable amount of that resource (or it takes no pods at all). */
export function exceedsAllocatable(req: Resource, node: NodeInfo): boolean {
  const a = node.allocatable;
  if (a.allowedPodNumber < 1) return true;
  if (req.milliCPU > a.milliCPU || req.memory > a.memory || req.ephemeralStorage > a.ephemeralStorage) return true;
  for (const name in req.scalar) if (req.scalar[name]! > (a.scalar[name] ?? 0)) return true;
  return false;
}

// The common case without allocating: cpu, memory, pods and no extended resources fit.
function fitsQuickly(req: Resource, hasScalar: boolean, node: NodeInfo): boolean {
  const a = node.allocatable;
  const used = node.requested;
  return (
    !hasScalar &&
    node.pods.size + 1 <= a.allowedPodNumber &&
    (req.milliCPU <= 0 || req.milliCPU <= a.milliCPU - used.milliCPU) &&
    (req.memory <= 0 || req.memory <= a.memory - used.memory) &&
    (req.ephemeralStorage <= 0 || req.ephemeralStorage <= a.ephemeralStorage - used.ephemeralStorage)
  );
}

function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

/** NodeResourcesFit (weight 1): filter on requests; score with the LeastAllocated strategy over cpu and memory. */
export const nodeResourcesFit: Plugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(state, node): Status | undefined {
    const req = state.podInfo.requests;
    if (fitsQuickly(req, state.podInfo.hasScalarRequests, node)) return undefined;
    const reasons = insufficientResources(state, node);
    if (!reasons.length) return undefined;
    // A request beyond what the node has at all cannot be met by evicting anything (preemption would not help).
    return rejected('NodeResourcesFit', exceedsAllocatable(req, node) ? 'UnschedulableAndUnresolvable' : 'Unschedulable', ...reasons);
  },
  score(state, node) {
    const p = state.podInfo;
    const cpu = leastAllocated(node.nonZeroCPU + p.nonZeroCPU, node.allocatable.milliCPU);
    const mem = leastAllocated(node.nonZeroMemory + p.nonZeroMemory, node.allocatable.memory);
    return Math.trunc((cpu + mem) / 2);
  },
};

/** NodeResourcesBalancedAllocation (weight 1): 100 × (1 − the spread of the cpu and memory fractions). */
export const nodeResourcesBalancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  preScore: (state) => state.podInfo.requests.milliCPU > 0 || state.podInfo.requests.memory > 0,
  score(state, node) {
    const p = state.podInfo.requests;
    const a = node.allocatable;
    // With cpu and memory the standard deviation of the two fractions is half their difference; with one it is 0.
    if (a.milliCPU <= 0 || a.memory <= 0) return maxNodeScore;
    const cpu = Math.min(1, (node.requested.milliCPU + p.milliCPU) / a.milliCPU);
    const mem = Math.min(1, (node.requested.memory + p.memory) / a.memory);
    return Math.trunc((1 - Math.abs(cpu - mem) / 2) * maxNodeScore);
  },
};
