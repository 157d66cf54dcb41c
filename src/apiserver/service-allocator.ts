// Cluster IPs and node ports for Services, allocated from the cluster's ranges when a Service is stored.
//
// The allocation state is the set of Services in storage (plus allocations in flight), so nothing is kept
// beside the objects and a restart loses nothing. Free addresses and ports are picked at random, as Kubernetes does.
import type { KubeObject } from '../api/index.js';
import { fieldError, invalid, type FieldError } from '../machinery/index.js';
import type { GenericStore, StoreHook } from '../registry/generic-store.js';

/** The ranges Services take their addresses and ports from. */
export interface ServiceRanges {
  /** IPv4 CIDR of cluster IPs (default 10.96.0.0/12). */
  serviceCidr: string;
  /** Node port range, inclusive (default 30000-32767). */
  nodePorts: [number, number];
}

/** Kubernetes' default ranges. */
export const defaultServiceRanges: ServiceRanges = { serviceCidr: '10.96.0.0/12', nodePorts: [30000, 32767] };

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: { nodePort?: number; name?: string }[];
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses an IPv4 CIDR into its first usable and last usable address (network and broadcast excluded). */
export function cidrRange(cidr: string): { first: number; last: number } {
  const [base, bits] = cidr.split('/');
  const b = ipToInt(base ?? '');
  const n = Number(bits);
  if (b === undefined || !Number.isInteger(n) || n < 8 || n > 30) throw new Error(`not an IPv4 CIDR kin can allocate from: ${cidr}`);
  const size = 2 ** (32 - n);
  const network = b - (b % size);
  return { first: network + 1, last: network + size - 2 };
}

const needsClusterIP = (spec: ServiceSpec) => spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
const needsNodePorts = (spec: ServiceSpec) => spec.type === 'NodePort' || spec.type === 'LoadBalancer';

/** The store hook that allocates a Service's cluster IP and node ports. */
export function serviceAllocator(services: () => GenericStore, ranges: ServiceRanges = defaultServiceRanges): StoreHook {
  const ipRange = cidrRange(ranges.serviceCidr);
  const pendingIps = new Set<number>();
  const pendingPorts = new Set<number>();

  const inUse = async (self: KubeObject) => {
    const ips = new Set<number>(pendingIps);
    const ports = new Set<number>(pendingPorts);
    const store = services();
    const { items } = await store.list({});
    for (const ref of items) {
      const o = store.object(ref);
      if (o.metadata?.uid === self.metadata?.uid) continue;
      const spec = (o['spec'] ?? {}) as ServiceSpec;
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
        const n = ipToInt(ip);
        if (n !== undefined) ips.add(n);
      }
      for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    }
    return { ips, ports };
  };

  const pick = (lo: number, hi: number, taken: Set<number>): number | undefined => {
    const size = hi - lo + 1;
    if (taken.size >= size) return undefined;
    for (let i = 0; i < 64; i++) {
      const n = lo + Math.floor(Math.random() * size);
      if (!taken.has(n)) return n;
    }
    for (let n = lo; n <= hi; n++) if (!taken.has(n)) return n;
    return undefined;
  };

  return async (obj, old) => {
    const spec = ((obj['spec'] ??= {}) as ServiceSpec);
    const oldSpec = (old?.['spec'] ?? {}) as ServiceSpec;
    const errs: FieldError[] = [];
    const used = await inUse(obj);
    const reservedIps: number[] = [];
    const reservedPorts: number[] = [];
    {
      if (needsClusterIP(spec)) {
        const want = spec.clusterIP ?? '';
        if (want === '') {
          const n = pick(ipRange.first, ipRange.last, used.ips);
          if (n === undefined) errs.push(fieldError.internal('spec.clusterIPs', 'failed to allocate a serviceIP: range is full'));
          else {
            spec.clusterIP = intToIp(n);
            spec.clusterIPs = [spec.clusterIP];
            reservedIps.push(n);
          }
        } else if (want !== oldSpec.clusterIP) {
          const n = ipToInt(want);
          if (n === undefined || n < ipRange.first || n > ipRange.last) {
            errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', omitValue: true, detail: `[]string{${JSON.stringify(want)}}: failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${ranges.serviceCidr}` });
          } else if (used.ips.has(n)) {
            errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', omitValue: true, detail: `[]string{${JSON.stringify(want)}}: failed to allocate IP ${want}: provided IP is already allocated` });
          } else reservedIps.push(n);
          spec.clusterIPs = [want];
        }
      }
      if (needsNodePorts(spec)) {
        const [lo, hi] = ranges.nodePorts;
        for (const [i, p] of (spec.ports ?? []).entries()) {
          const before = (oldSpec.ports ?? []).find((q) => q.nodePort === p.nodePort && p.nodePort);
          if (!p.nodePort) {
            const n = pick(lo, hi, used.ports);
            if (n === undefined) errs.push(fieldError.internal(`spec.ports[${i}].nodePort`, 'failed to allocate a nodePort: range is full'));
            else {
              p.nodePort = n;
              used.ports.add(n);
              reservedPorts.push(n);
            }
          } else if (!before) {
            if (p.nodePort < lo || p.nodePort > hi) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`));
            else if (used.ports.has(p.nodePort)) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
            else {
              used.ports.add(p.nodePort);
              reservedPorts.push(p.nodePort);
            }
          }
        }
      } else {
        for (const p of spec.ports ?? []) delete p.nodePort;
      }
      if (errs.length) throw invalid({ group: '', kind: 'Service' }, obj.metadata?.name ?? '', errs);
      // Held until the write is in storage, so concurrent creates never pick the same address.
      for (const n of reservedIps) pendingIps.add(n);
      for (const n of reservedPorts) pendingPorts.add(n);
      setTimeout(() => {
        for (const n of reservedIps) pendingIps.delete(n);
        for (const n of reservedPorts) pendingPorts.delete(n);
      }, 5000).unref();
    }
  };
}
