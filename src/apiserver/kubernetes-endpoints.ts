// The `kubernetes` Service and its endpoints, as kube-apiserver's kubernetes-service controller keeps them: the
// Service in `default`, and an Endpoints object and an EndpointSlice listing the API server's own address and secure
// port. On start everything is put right (ports too: a restart on another port moves them); then every 10 s what is
// missing is made again and the address put back.
import type { KubeObject } from '../api/index.js';
import { deepEqual, StatusError, type FieldError } from '../machinery/index.js';
import { silentLogger, type Clock, type Logger } from '../util/index.js';
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
/** The `kubernetes` Service's cluster IP: the first of the service range. */
export const defaultKubernetesServiceIP = '10.96.0.1';
/** How often the Service and its endpoints are checked after start (kube-apiserver's endpoint interval, 10 s). */
export const endpointIntervalMs = 10_000;

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

const writeOpts = { fieldManager: 'kube-apiserver' };

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
 * Returns the object as stored.
 */
async function reconcile(store: GenericStore, name: string, fix: (cur: KubeObject | undefined) => KubeObject | undefined): Promise<KubeObject | undefined> {
  const cur = await current(store, name);
  const next = fix(cur);
  if (!next) return cur;
  if (!cur) {
    try {
      return store.object(await store.create(kubernetesServiceNamespace, next, writeOpts));
    } catch (e) {
      if (reasonOf(e) !== 'AlreadyExists') throw e;
    }
  }
  const { ref } = await store.update(kubernetesServiceNamespace, name, (c) => (c ? (fix(c) ?? c) : fix(undefined)!), writeOpts);
  return store.object(ref);
}

/** How the `kubernetes` Service is kept. */
export interface KubernetesServiceOptions {
  /** Its cluster IP when it is made (default 10.96.0.1). */
  serviceIP?: string;
  /** Where the API server listens; without it, only the Service is made (target port 6443) and no endpoints. */
  endpoint?: ApiServerEndpoint;
  /** Also correct ports (and the Service's type) that were changed: on start only, as kube-apiserver does. */
  reconcilePorts: boolean;
}

/** The Service is made when missing; its ports and type are corrected when asked to. */
function fixService(o: KubernetesServiceOptions) {
  const port = o.endpoint?.port ?? 6443;
  const ip = o.serviceIP ?? defaultKubernetesServiceIP;
  return (svc: KubeObject | undefined): KubeObject | undefined => {
    const ports = kubernetesServicePorts(port);
    if (!svc) {
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: kubernetesServiceName, namespace: kubernetesServiceNamespace, labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], ports, sessionAffinity: 'None' },
      };
    }
    const spec = (svc['spec'] ?? {}) as Record<string, unknown>;
    if (!o.reconcilePorts || (spec['type'] === 'ClusterIP' && deepEqual(spec['ports'], ports))) return undefined;
    return { ...svc, spec: { ...spec, type: 'ClusterIP', ports } };
  };
}

/**
 * One subset with the API server's address and its `https` port (a subset of another shape is replaced whole;
 * other ports are kept unless ports are reconciled); the skip-mirror label, other labels kept.
 */
function fixEndpoints(ep: ApiServerEndpoint, reconcilePorts: boolean) {
  return (cur: KubeObject | undefined): KubeObject | undefined => {
    const wantPorts = [{ name: 'https', port: ep.port, protocol: 'TCP' }];
    const had = cur?.['subsets'] as { ports?: unknown[] }[] | undefined;
    const keepPorts = !reconcilePorts && had?.length === 1 && (had[0]?.ports?.length ?? 0) > 0;
    const subsets = [{ addresses: [{ ip: ep.ip }], ports: keepPorts ? had[0]!.ports : wantPorts }];
    const labels = { ...(cur?.metadata?.labels ?? {}), [skipMirrorLabel]: 'true' };
    if (cur && deepEqual(cur['subsets'], subsets) && deepEqual(cur.metadata?.labels, labels)) return undefined;
    const base = cur ?? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: kubernetesServiceName, namespace: kubernetesServiceNamespace } };
    return { ...base, metadata: { ...base.metadata, labels }, subsets };
  };
}

/** The Endpoints as an EndpointSlice: one ready endpoint, the same ports, labelled with the Service's name only. */
function fixSlice(ep: ApiServerEndpoint, addressType: string, ports: unknown[]) {
  return (cur: KubeObject | undefined): KubeObject | undefined => {
    const endpoints = [{ addresses: [ep.ip], conditions: { ready: true } }];
    const labels = { [serviceNameLabel]: kubernetesServiceName };
    if (cur && cur['addressType'] === addressType && deepEqual(cur['endpoints'], endpoints) && deepEqual(cur['ports'], ports) && deepEqual(cur.metadata?.labels, labels)) return undefined;
    const base = cur ?? { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: kubernetesServiceName, namespace: kubernetesServiceNamespace } };
    return { ...base, metadata: { ...base.metadata, labels }, addressType, endpoints, ports };
  };
}

/**
 * Makes the `kubernetes` Service, its Endpoints and its EndpointSlice when missing and puts the API server's address
 * back in them; with `reconcilePorts`, also ports and type changed since (a restart on another port moves them).
 * The endpoints controllers leave these alone, as the Service has no selector.
 */
export async function reconcileKubernetesService(registry: Registry, o: KubernetesServiceOptions): Promise<void> {
  const services = registry.find('', 'v1', 'services');
  const endpoints = registry.find('', 'v1', 'endpoints');
  const slices = registry.find('discovery.k8s.io', 'v1', 'endpointslices');
  const ep = o.endpoint;
  const [, stored] = await Promise.all([services && reconcile(services, kubernetesServiceName, fixService(o)), ep && endpoints && reconcile(endpoints, kubernetesServiceName, fixEndpoints(ep, o.reconcilePorts))]);
  if (!ep || !slices) return;
  const ports = (stored?.['subsets'] as { ports?: unknown[] }[] | undefined)?.[0]?.ports ?? [{ name: 'https', port: ep.port, protocol: 'TCP' }];
  const addressType = ep.ip.includes(':') ? 'IPv6' : 'IPv4';
  const slice = await current(slices, kubernetesServiceName);
  // addressType cannot change: a slice of the other family is replaced.
  if (slice && slice['addressType'] !== addressType) {
    await slices.delete(kubernetesServiceNamespace, kubernetesServiceName).catch((e: unknown) => {
      if (reasonOf(e) !== 'NotFound') throw e;
    });
  }
  await reconcile(slices, kubernetesServiceName, fixSlice(ep, addressType, ports));
}

/** The periodic part: every 10 s after start, `reconcileKubernetesService` without port corrections. */
export class KubernetesServiceLoop {
  private cancel: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    private readonly registry: Registry,
    private readonly opts: { clock: Clock; logger?: Logger; serviceIP?: string; endpoint?: ApiServerEndpoint; intervalMs?: number },
  ) {
    this.log = (opts.logger ?? silentLogger).with({ component: 'kubernetes-service' });
  }

  /** Starts the loop (once). */
  start(): void {
    if (this.cancel || this.stopped) return;
    this.schedule();
  }

  private schedule(): void {
    this.cancel = this.opts.clock.setTimer(() => {
      const o = this.opts;
      this.running = reconcileKubernetesService(this.registry, { reconcilePorts: false, ...(o.serviceIP ? { serviceIP: o.serviceIP } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}) })
        .catch((e: unknown) => this.log.warn('unable to sync kubernetes service', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule();
        });
    }, this.opts.intervalMs ?? endpointIntervalMs);
  }

  /** Stops the loop and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.running;
  }
}
