// The endpoints of the `kubernetes` Service, as kube-apiserver's endpoint reconciler keeps them: an Endpoints object
// and an EndpointSlice in `default` listing the API server's own address and secure port, put right on every start.
import type { KubeObject } from '../api/index.js';
import { deepEqual, StatusError, type FieldError } from '../machinery/index.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceStrategy } from '../registry/strategy.js';

/** The Service (and its Endpoints and EndpointSlice) through which pods reach the API server. */
export const kubernetesServiceName = 'kubernetes';
export const kubernetesServiceNamespace = 'default';
/** The label that keeps the EndpointSlice mirroring controller off an Endpoints object. */
export const skipMirrorLabel = 'endpointslice.kubernetes.io/skip-mirror';
/** The label naming an EndpointSlice's Service. */
export const serviceNameLabel = 'kubernetes.io/service-name';

/** Where the API server is reached: its address and secure port. */
export interface ApiServerEndpoint {
  ip: string;
  port: number;
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The endpoint of a `host:port` server address; undefined when the host is not an IP or the port is not fixed (0). */
export function apiServerEndpoint(serverAddress: string): ApiServerEndpoint | undefined {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(serverAddress);
  if (!m) return undefined;
  const ip = m[1]!;
  const port = Number(m[2]);
  if (!(port >= 1 && port <= 65535)) return undefined;
  if (!ipv4.test(ip) && !(ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip))) return undefined;
  return { ip, port };
}

/** The ports of the `kubernetes` Service: https on 443, sent on to the API server's secure port. */
export function kubernetesServicePorts(port: number): Record<string, unknown>[] {
  return [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }];
}

const isApiServerObject = (o: KubeObject) => o.metadata?.name === kubernetesServiceName && o.metadata.namespace === kubernetesServiceNamespace;

/**
 * The Endpoints strategy with one exception: the `kubernetes` Endpoints may list a loopback address. kin serves
 * on 127.0.0.1 only, so that is the API server's one real address; every other object keeps the loopback rule.
 */
export function allowApiServerLoopback(strategy: ResourceStrategy): ResourceStrategy {
  const validate = strategy.validate;
  if (!validate) return strategy;
  const isLoopback = (e: FieldError) => /^subsets\[\d+\]\.(notReadyA|a)ddresses\[\d+\]\.ip$/.test(e.field) && (e.detail ?? '').startsWith('may not be in the loopback range');
  return {
    ...strategy,
    validate(obj, ctx) {
      const errs = validate.call(strategy, obj, ctx);
      return isApiServerObject(obj) ? errs.filter((e) => !isLoopback(e)) : errs;
    },
  };
}

const opts = { fieldManager: 'kube-apiserver' };

const reasonOf = (e: unknown) => (e instanceof StatusError ? e.reason : undefined);

/** The stored object, or undefined when there is none. */
async function current(store: GenericStore, name: string): Promise<KubeObject | undefined> {
  try {
    return store.object(await store.get(kubernetesServiceNamespace, name));
  } catch (e) {
    if (reasonOf(e) === 'NotFound') return undefined;
    throw e;
  }
}

/**
 * Brings one object in line: `fix` returns the object as it should be (undefined when it already is). Creates it
 * when missing; otherwise updates it, re-applying `fix` to whatever version is current when the write lands.
 */
async function reconcile(store: GenericStore, name: string, fix: (cur: KubeObject | undefined) => KubeObject | undefined): Promise<void> {
  const cur = await current(store, name);
  const next = fix(cur);
  if (!next) return;
  if (!cur) {
    try {
      await store.create(kubernetesServiceNamespace, next, opts);
      return;
    } catch (e) {
      if (reasonOf(e) !== 'AlreadyExists') throw e;
    }
  }
  await store.update(kubernetesServiceNamespace, name, (c) => (c ? (fix(c) ?? c) : fix(undefined)!), opts);
}

/** The `kubernetes` Service's ports point at the API server's secure port (and its type is ClusterIP). */
function fixService(port: number) {
  return (svc: KubeObject | undefined): KubeObject | undefined => {
    if (!svc) return undefined;
    const spec = (svc['spec'] ?? {}) as Record<string, unknown>;
    const want = kubernetesServicePorts(port);
    if (spec['type'] === 'ClusterIP' && deepEqual(spec['ports'], want)) return undefined;
    return { ...svc, spec: { ...spec, type: 'ClusterIP', ports: want } };
  };
}

/** One subset with the API server's address and its `https` port; the skip-mirror label, other labels kept. */
function fixEndpoints(ep: ApiServerEndpoint) {
  return (cur: KubeObject | undefined): KubeObject | undefined => {
    const subsets = [{ addresses: [{ ip: ep.ip }], ports: [{ name: 'https', port: ep.port, protocol: 'TCP' }] }];
    const labels = { ...(cur?.metadata?.labels ?? {}), [skipMirrorLabel]: 'true' };
    if (cur && deepEqual(cur['subsets'], subsets) && deepEqual(cur.metadata?.labels, labels)) return undefined;
    const base = cur ?? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: kubernetesServiceName, namespace: kubernetesServiceNamespace } };
    return { ...base, metadata: { ...base.metadata, labels }, subsets };
  };
}

/** The same as an EndpointSlice: one ready endpoint, the `https` port, labelled with the Service's name only. */
function fixSlice(ep: ApiServerEndpoint, addressType: string) {
  return (cur: KubeObject | undefined): KubeObject | undefined => {
    const endpoints = [{ addresses: [ep.ip], conditions: { ready: true } }];
    const ports = [{ name: 'https', port: ep.port, protocol: 'TCP' }];
    const labels = { [serviceNameLabel]: kubernetesServiceName };
    if (cur && cur['addressType'] === addressType && deepEqual(cur['endpoints'], endpoints) && deepEqual(cur['ports'], ports) && deepEqual(cur.metadata?.labels, labels)) return undefined;
    const base = cur ?? { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: kubernetesServiceName, namespace: kubernetesServiceNamespace } };
    return { ...base, metadata: { ...base.metadata, labels }, addressType, endpoints, ports };
  };
}

/**
 * Puts the `kubernetes` Service's ports, Endpoints and EndpointSlice right for where the API server now listens
 * (run on every start: a restart on another port fixes all three). The endpoints controllers leave them alone,
 * as the Service has no selector.
 */
export async function reconcileApiServerEndpoints(registry: Registry, ep: ApiServerEndpoint): Promise<void> {
  const services = registry.find('', 'v1', 'services');
  const endpoints = registry.find('', 'v1', 'endpoints');
  const slices = registry.find('discovery.k8s.io', 'v1', 'endpointslices');
  await Promise.all([
    services && reconcile(services, kubernetesServiceName, fixService(ep.port)),
    endpoints && reconcile(endpoints, kubernetesServiceName, fixEndpoints(ep)),
    slices && reconcileSlice(slices, ep),
  ]);
}

async function reconcileSlice(slices: GenericStore, ep: ApiServerEndpoint): Promise<void> {
  const addressType = ep.ip.includes(':') ? 'IPv6' : 'IPv4';
  const slice = await current(slices, kubernetesServiceName);
  // addressType cannot change: a slice of the other family is replaced.
  if (slice && slice['addressType'] !== addressType) {
    await slices.delete(kubernetesServiceNamespace, kubernetesServiceName).catch((e: unknown) => {
      if (reasonOf(e) !== 'NotFound') throw e;
    });
  }
  await reconcile(slices, kubernetesServiceName, fixSlice(ep, addressType));
}
