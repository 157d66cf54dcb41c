// Resource arithmetic of the scheduler: a pod's requests (containers, init containers, sidecars, overhead), the
// "non-zero" requests used for spreading scores, and a node's allocatable resources.
import { parseQuantity, quantityMilliValue, quantityValue } from '../../machinery/index.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Node, Pod } from './types.js';

/** Amounts of resources: CPU in millicores, memory and ephemeral storage in bytes, extended resources in units. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Pods a node may run (only meaningful for allocatable). */
  allowedPodNumber: number;
  /** Extended and hugepages resources by name. */
  scalar: Record<string, number>;
}

/** An empty resource list. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

/** The CPU a container without a CPU request counts as when spreading (100m, as kube-scheduler). */
export const defaultMilliCPURequest = 100;
/** The memory a container without a memory request counts as when spreading (200 MiB). */
export const defaultMemoryRequest = 200 * 1024 * 1024;

// Quantity strings repeat endlessly across pods and nodes: parse each one once.
const milliCache = new Map<string, number>();
const valueCache = new Map<string, number>();

function parsed(cache: Map<string, number>, q: string | number, milli: boolean): number {
  const key = String(q);
  let v = cache.get(key);
  if (v === undefined) {
    try {
      const quantity = parseQuantity(key);
      v = milli ? quantityMilliValue(quantity) : quantityValue(quantity);
    } catch {
      v = 0;
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/** Adds a ResourceList (`{cpu: '500m', memory: '1Gi'}`) into `r`, scaled by `sign`. */
export function addResourceList(r: Resource, list: Record<string, string | number> | undefined, sign = 1): void {
  if (!list) return;
  for (const name in list) {
    const q = list[name];
    if (q === undefined) continue;
    switch (name) {
      case 'cpu':
        r.milliCPU += sign * parsed(milliCache, q, true);
        break;
      case 'memory':
        r.memory += sign * parsed(valueCache, q, false);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += sign * parsed(valueCache, q, false);
        break;
      case 'pods':
        r.allowedPodNumber += sign * parsed(valueCache, q, false);
        break;
      default:
        if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + sign * parsed(valueCache, q, false);
    }
  }
}

/** Extended resources (`example.com/foo`), prefixed native ones (`kubernetes.io/x`) and hugepages count as scalars. */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  return name.includes('/') && !name.startsWith('requests.');
}

function maxInto(r: Resource, o: Resource): void {
  r.milliCPU = Math.max(r.milliCPU, o.milliCPU);
  r.memory = Math.max(r.memory, o.memory);
  r.ephemeralStorage = Math.max(r.ephemeralStorage, o.ephemeralStorage);
  for (const k in o.scalar) r.scalar[k] = Math.max(r.scalar[k] ?? 0, o.scalar[k]!);
}

function addInto(r: Resource, o: Resource): void {
  r.milliCPU += o.milliCPU;
  r.memory += o.memory;
  r.ephemeralStorage += o.ephemeralStorage;
  for (const k in o.scalar) r.scalar[k] = (r.scalar[k] ?? 0) + o.scalar[k]!;
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = emptyResource();
  const req = c.resources?.requests as Record<string, string> | undefined;
  addResourceList(r, req);
  if (nonZero) {
    // Only a missing request gets the default; an explicit zero stays zero.
    if (req?.['cpu'] === undefined) r.milliCPU = defaultMilliCPURequest;
    if (req?.['memory'] === undefined) r.memory = defaultMemoryRequest;
  }
  return r;
}

/**
 * A pod's effective requests (PodRequests): the larger of the app containers plus restartable init containers
 * (sidecars) and the largest init container (with the sidecars started before it), plus the pod overhead.
 * With `nonZero`, containers without a CPU or memory request count the defaults.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const total = emptyResource();
  for (const c of pod.spec?.containers ?? []) addInto(total, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      addInto(r, sidecars);
      maxInto(initMax, r);
    }
  }
  addInto(total, sidecars);
  maxInto(total, initMax);
  addResourceList(total, pod.spec?.overhead as Record<string, string> | undefined);
  return total;
}

/** A node's allocatable resources (status.allocatable, or capacity when allocatable is absent). */
export function nodeAllocatable(node: Node): Resource {
  const r = emptyResource();
  addResourceList(r, (node.status?.allocatable ?? node.status?.capacity) as Record<string, string> | undefined);
  return r;
}
