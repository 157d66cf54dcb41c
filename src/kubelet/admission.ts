// The kubelet's own admission of a pod bound to it: the pod must fit in what the node has left (pods, cpu,
// memory), else it is rejected with Failed and the reason a kubelet gives (`OutOfcpu`, ...).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity, type Quantity } from '../machinery/index.js';

/** What a pod asks of a node: cpu in millicores, memory in bytes. */
export interface PodRequests {
  cpuMilli: number;
  memoryBytes: number;
}

function amount(q: string | number | undefined, milli: boolean): number {
  if (q === undefined) return 0;
  let parsed: Quantity;
  try {
    parsed = parseQuantity(String(q));
  } catch {
    return 0;
  }
  return Math.ceil(Number(parsed.unscaled) * 10 ** (parsed.scale + (milli ? 3 : 0)));
}

/** A pod's effective requests: the sum of its containers' (and sidecars'), or the largest init container's if more. */
export function podRequests(pod: Pod): PodRequests {
  const sum = { cpuMilli: 0, memoryBytes: 0 };
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    sum.cpuMilli += amount(c.resources?.requests?.['cpu'], true);
    sum.memoryBytes += amount(c.resources?.requests?.['memory'], false);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') continue;
    sum.cpuMilli = Math.max(sum.cpuMilli, amount(c.resources?.requests?.['cpu'], true));
    sum.memoryBytes = Math.max(sum.memoryBytes, amount(c.resources?.requests?.['memory'], false));
  }
  const overhead = pod.spec?.overhead ?? {};
  sum.cpuMilli += amount(overhead['cpu'], true);
  sum.memoryBytes += amount(overhead['memory'], false);
  return sum;
}

/** Why a pod does not fit, as the kubelet reports it (reason and message), or undefined when it fits. */
export function admitPod(
  pod: Pod,
  running: readonly Pod[],
  allocatable: { pods: number; cpuMilli: number; memoryBytes: number },
): { reason: string; message: string } | undefined {
  const want = podRequests(pod);
  const used = { pods: running.length, cpuMilli: 0, memoryBytes: 0 };
  for (const p of running) {
    const r = podRequests(p);
    used.cpuMilli += r.cpuMilli;
    used.memoryBytes += r.memoryBytes;
  }
  const checks: [string, number, number, number][] = [
    ['pods', 1, used.pods, allocatable.pods],
    ['cpu', want.cpuMilli, used.cpuMilli, allocatable.cpuMilli],
    ['memory', want.memoryBytes, used.memoryBytes, allocatable.memoryBytes],
  ];
  for (const [resource, requested, inUse, capacity] of checks) {
    if (requested > 0 && inUse + requested > capacity) {
      return { reason: `OutOf${resource}`, message: `Pod was rejected: Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${inUse}, capacity: ${capacity}` };
    }
  }
  return undefined;
}
