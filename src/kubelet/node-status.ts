// The Node a kin kubelet registers and the status it posts: capacity, conditions with the kubelet's reasons and
// messages, addresses, nodeInfo; and the Lease it renews in kube-node-lease.
import { createHash } from 'node:crypto';
import { release } from 'node:os';
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339Micro } from '../util/index.js';

/** The namespace of node heartbeats. */
export const nodeLeaseNamespace = 'kube-node-lease';
/** leaseDurationSeconds of a node Lease (the kubelet's default, 40 s). */
export const nodeLeaseDurationSeconds = 40;

/** How big a node is. */
export interface NodeCapacity {
  /** CPU cores (default 4). */
  cpu?: number;
  /** Memory in bytes (default 16 GiB). */
  memoryBytes?: number;
  /** Ephemeral storage in bytes (default 100 GiB). */
  ephemeralStorageBytes?: number;
  /** Pods (default 110). */
  pods?: number;
}

/** Who a node is: its name, addresses, pod range, labels and software. */
export interface NodeIdentity {
  name: string;
  internalIP: string;
  podCIDR: string;
  kubeletVersion: string;
  containerRuntimeVersion: string;
  capacity?: NodeCapacity;
  labels?: Record<string, string>;
  /** `node.kubernetes.io/instance-type` (default `kin-simulated`). */
  instanceType?: string;
  /** nodeInfo.osImage (default `kin simulated node`). */
  osImage?: string;
}

/** The architecture as Kubernetes names it (GOARCH). */
export function goArch(arch: string = process.arch): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}

/** The node's labels: the well-known ones the kubelet sets, plus any given. */
export function nodeLabels(id: NodeIdentity): Record<string, string> {
  const arch = goArch();
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': id.instanceType ?? 'kin-simulated',
    ...(id.labels ?? {}),
  };
}

/** The healthy conditions a kubelet posts (MemoryPressure, DiskPressure, PIDPressure, Ready). */
export function healthyConditions(now: string, previous: readonly NodeCondition[] = []): NodeCondition[] {
  const defs: [string, 'True' | 'False', string, string][] = [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ];
  return defs.map(([type, status, reason, message]) => {
    const prev = previous.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: now, lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now, reason, message };
  });
}

function id32(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

function uuidOf(seed: string): string {
  const h = id32(`uuid:${seed}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The status a kubelet posts (conditions as given). */
export function nodeStatus(id: NodeIdentity, conditions: NodeCondition[], bootID: string): NodeStatus {
  const cap = id.capacity ?? {};
  const cpu = cap.cpu ?? 4;
  const mem = cap.memoryBytes ?? 16 * 1024 ** 3;
  const disk = cap.ephemeralStorageBytes ?? 100 * 1024 ** 3;
  const pods = cap.pods ?? 110;
  const arch = goArch();
  return {
    capacity: { cpu: String(cpu), 'ephemeral-storage': `${Math.floor(disk / 1024)}Ki`, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${Math.floor(mem / 1024)}Ki`, pods: String(pods) },
    // Allocatable: capacity less the default hard eviction thresholds (memory.available 100Mi, nodefs.available 10%).
    allocatable: {
      cpu: String(cpu),
      'ephemeral-storage': String(Math.floor(disk * 0.9)),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${Math.floor((mem - 100 * 1024 ** 2) / 1024)}Ki`,
      pods: String(pods),
    },
    conditions,
    addresses: [
      { type: 'InternalIP', address: id.internalIP },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: id32(`machine:${id.name}`),
      systemUUID: uuidOf(id.name),
      bootID,
      kernelVersion: release(),
      osImage: id.osImage ?? 'kin simulated node',
      containerRuntimeVersion: id.containerRuntimeVersion,
      kubeletVersion: id.kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: arch,
    },
  };
}

/** The Node object a kubelet registers. */
export function nodeObject(id: NodeIdentity, now: string, bootID: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels: nodeLabels(id),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] },
    status: nodeStatus(id, healthyConditions(now), bootID),
  };
}

/** The Lease a node renews (owned by its Node, so it goes when the Node goes). */
export function nodeLease(name: string, nodeUid: string, nowMs: number): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: nodeLeaseNamespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] },
    spec: { holderIdentity: name, leaseDurationSeconds: nodeLeaseDurationSeconds, renewTime: rfc3339Micro(nowMs) },
  };
}

/** The pod CIDR of node number `index` (0-based): 10.128.0.0/24, 10.128.1.0/24, ... (10.128.0.0/9 holds 32768 nodes). */
export function podCIDRFor(index: number): string {
  return `10.${128 + (index >> 8)}.${index & 255}.0/24`;
}

/** The InternalIP of node number `index` (0-based): 172.18.0.2, 172.18.0.3, ... */
export function internalIPFor(index: number): string {
  const n = index + 2;
  return `172.18.${(n >> 8) & 255}.${n & 255}`;
}

/** Hands out pod IPs from a node's /24 (.2 to .254; .1 is the node's gateway) and takes them back. */
export class PodIPAllocator {
  private readonly prefix: string;
  private readonly used = new Map<string, number>();
  private readonly taken = new Set<number>();
  private next = 2;

  constructor(cidr: string) {
    const [net] = cidr.split('/');
    this.prefix = (net ?? '10.128.0.0').split('.').slice(0, 3).join('.');
  }

  /** The IP of `uid` (the same one when asked again); `want` re-takes an IP a pod already has. */
  allocate(uid: string, want?: string): string | undefined {
    const had = this.used.get(uid);
    if (had !== undefined) return `${this.prefix}.${had}`;
    if (want && want.startsWith(`${this.prefix}.`)) {
      const n = Number(want.slice(this.prefix.length + 1));
      if (n >= 2 && n <= 254 && !this.taken.has(n)) return this.take(uid, n);
    }
    for (let i = 0; i < 253; i++) {
      const n = 2 + ((this.next - 2 + i) % 253);
      if (!this.taken.has(n)) {
        this.next = n + 1 > 254 ? 2 : n + 1;
        return this.take(uid, n);
      }
    }
    return undefined;
  }

  private take(uid: string, n: number): string {
    this.used.set(uid, n);
    this.taken.add(n);
    return `${this.prefix}.${n}`;
  }

  release(uid: string): void {
    const n = this.used.get(uid);
    if (n === undefined) return;
    this.used.delete(uid);
    this.taken.delete(n);
  }
}
