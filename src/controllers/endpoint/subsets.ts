// core/v1 Endpoints subsets: built from (address, ports) pairs, repacked so addresses sharing a port list share a
// subset, sorted, and truncated past the capacity of one Endpoints object.
import type { EndpointPort, TargetRef } from '../endpointslice/index.js';

/** core/v1 EndpointAddress. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: TargetRef;
}

/** core/v1 EndpointSubset. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** Addresses one Endpoints object holds at most; more are truncated and the object annotated. */
export const maxEndpointsCapacity = 1000;
/** The annotation telling an Endpoints object was truncated. */
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

/** One address with the ports it serves (none for a headless Service without ports) and whether it is ready. */
export interface AddressEntry {
  address: EndpointAddress;
  ports: EndpointPort[];
  ready: boolean;
}

const portSortKey = (p: EndpointPort) => `${p.name}\u0000${p.protocol}\u0000${String(p.port).padStart(5, '0')}`;
const addrSortKey = (a: EndpointAddress) => `${a.ip.split('.').map((o) => o.padStart(3, '0')).join('.')}\u0000${a.targetRef.uid}`;

/** Packs entries into subsets: addresses offering the same ports share one; addresses and ports sorted. */
export function repackSubsets(entries: readonly AddressEntry[]): EndpointSubset[] {
  // Each address (with readiness) → the ports it offers, then group addresses by their port list.
  const perAddress = new Map<string, { address: EndpointAddress; ready: boolean; ports: Map<string, EndpointPort> }>();
  for (const e of entries) {
    const k = `${e.address.ip}\u0000${e.address.targetRef.uid}\u0000${e.ready}`;
    let a = perAddress.get(k);
    if (!a) perAddress.set(k, (a = { address: e.address, ready: e.ready, ports: new Map() }));
    for (const p of e.ports) a.ports.set(portSortKey(p), p);
  }
  const groups = new Map<string, EndpointSubset & { ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const a of perAddress.values()) {
    const ports = [...a.ports.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, p]) => p);
    const key = JSON.stringify(ports.map(portSortKey));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (a.ready ? g.ready : g.notReady).push(a.address);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const s: EndpointSubset = {};
    if (g.ready.length) s.addresses = g.ready.sort((x, y) => (addrSortKey(x) < addrSortKey(y) ? -1 : 1));
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort((x, y) => (addrSortKey(x) < addrSortKey(y) ? -1 : 1));
    if (g.ports?.length) s.ports = g.ports;
    out.push(s);
  }
  const first = (s: EndpointSubset) => addrSortKey((s.addresses ?? s.notReadyAddresses ?? [])[0] ?? { ip: '', targetRef: { kind: 'Pod', namespace: '', name: '', uid: '' } });
  return out.sort((x, y) => (first(x) < first(y) ? -1 : first(x) > first(y) ? 1 : 0));
}

/** The number of addresses (ready and not) in subsets. */
export function countAddresses(subsets: readonly EndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/**
 * Cuts subsets down to `maxEndpointsCapacity` addresses, each subset keeping its share (rounded up, the last
 * getting what is left): not-ready addresses go first; when ready ones alone are too many, all not-ready ones
 * go and the ready ones are cut. Returns undefined when nothing had to be cut.
 */
export function truncateSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] | undefined {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady <= maxEndpointsCapacity) return undefined;
  const cutReady = ready > maxEndpointsCapacity;
  const max = cutReady ? maxEndpointsCapacity : maxEndpointsCapacity - ready;
  const total = cutReady ? ready : notReady;
  let left = max;
  return subsets.map((s) => {
    const n = (cutReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const take = Math.min(Math.ceil((n / total) * max), left);
    const out: EndpointSubset = { ...s };
    if (cutReady) {
      out.addresses = (s.addresses ?? []).slice(0, take);
      delete out.notReadyAddresses;
      left -= out.addresses.length;
      if (out.addresses.length === 0) delete out.addresses;
    } else {
      out.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, take);
      left -= out.notReadyAddresses.length;
      if (out.notReadyAddresses.length === 0) delete out.notReadyAddresses;
    }
    return out;
  });
}
