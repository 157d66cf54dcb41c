// The service load-balancer controller: a Service of type LoadBalancer gets an address from kin's pool in
// status.loadBalancer.ingress (what kubectl shows as EXTERNAL-IP); the address is released when the type
// changes or the Service is deleted. Like a cloud provider's service controller it holds the
// `service.kubernetes.io/load-balancer-cleanup` finalizer while an address is assigned.
import { isNotFound, type ApiClient } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { endpointResources as R, type Service } from '../endpointslice/index.js';
import { Controller, keyOf, splitKey, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { defaultLoadBalancerPool, IpPool } from './ip-pool.js';

/** The finalizer held while a Service has a load balancer. */
export const loadBalancerCleanupFinalizer = 'service.kubernetes.io/load-balancer-cleanup';

/** Whether kin's controller serves a Service's load balancer (LoadBalancer type, no other loadBalancerClass). */
export function wantsLoadBalancer(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass && !svc.metadata?.deletionTimestamp;
}

/** Options of the reconciler. */
export interface ServiceLbReconcilerOptions {
  client: ApiClient;
  services: Lister<Service>;
  pool: IpPool;
  recorder?: EventRecorder;
}

/** Assigns and releases the load-balancer address of one Service (key: `namespace/name`). */
export class ServiceLbReconciler implements Reconciler {
  private readonly byKey = new Map<string, string>();
  private readonly byIp = new Map<string, string>();
  private loaded = false;

  constructor(private readonly opts: ServiceLbReconcilerOptions) {}

  /** The address a Service holds, if any. */
  assigned(key: string): string | undefined {
    return this.byKey.get(key);
  }

  private take(key: string, ip: string): void {
    this.release(key);
    this.byKey.set(key, ip);
    this.byIp.set(ip, key);
  }

  private release(key: string): void {
    const ip = this.byKey.get(key);
    if (ip === undefined) return;
    this.byKey.delete(key);
    if (this.byIp.get(ip) === key) this.byIp.delete(ip);
  }

  /** Learns the addresses Services already hold (after a restart), once, from the informer's store. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (const s of this.opts.services.list()) {
      if (!wantsLoadBalancer(s)) continue;
      const ip = s.status?.loadBalancer?.ingress?.[0]?.ip;
      if (ip && this.opts.pool.contains(ip) && !this.byIp.has(ip)) this.take(keyOf(s), ip);
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    this.load();
    const { client, pool, recorder } = this.opts;
    const services = client.resource<Service>(R.services);
    const { namespace, name } = splitKey(key);
    let svc: Service;
    try {
      svc = await services.get(name, { namespace, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.release(key);
      return;
    }
    const finalizers = svc.metadata?.finalizers ?? [];
    const hasFinalizer = finalizers.includes(loadBalancerCleanupFinalizer);
    const ingress = svc.status?.loadBalancer?.ingress ?? [];

    if (!wantsLoadBalancer(svc)) {
      if (!hasFinalizer && !this.byKey.has(key)) return;
      recorder?.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
      this.release(key);
      if (ingress.length > 0) svc = await services.patch(name, 'merge', { status: { loadBalancer: { ingress: null } } }, { namespace, subresource: 'status', signal });
      if (hasFinalizer) {
        try {
          await services.update({ ...svc, metadata: { ...svc.metadata, finalizers: finalizers.filter((f) => f !== loadBalancerCleanupFinalizer) } }, { signal });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      recorder?.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      return;
    }

    let ip = this.byKey.get(key);
    if (ip === undefined) {
      const held = ingress[0]?.ip;
      const requested = svc.spec?.loadBalancerIP;
      const free = (x: string | undefined): x is string => !!x && pool.contains(x) && (this.byIp.get(x) ?? key) === key;
      ip = free(held) ? held : free(requested) ? requested : pool.firstFree(new Set(this.byIp.keys()));
      if (ip === undefined) {
        recorder?.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: no available IPs in pool ${pool.text}`);
        return { requeueAfterMs: 30_000 };
      }
      this.take(key, ip);
    }
    if (ingress.length === 1 && ingress[0]?.ip === ip && hasFinalizer) return;
    recorder?.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    if (!hasFinalizer) svc = await services.update({ ...svc, metadata: { ...svc.metadata, finalizers: [...finalizers, loadBalancerCleanupFinalizer] } }, { signal });
    if (!(ingress.length === 1 && ingress[0]?.ip === ip)) {
      await services.patch(name, 'merge', { status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }, { namespace, subresource: 'status', signal });
    }
    recorder?.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  }
}

/** Options of `newServiceLbController`. */
export interface ServiceLbControllerOptions {
  client: ApiClient;
  /** The address pool as a CIDR or FIRST-LAST range (default `defaultLoadBalancerPool`). */
  pool?: string;
  clock?: Clock;
  logger?: Logger;
  recorder?: EventRecorder;
}

/** Builds the controller: every Service enqueues itself (one worker, so addresses are handed out one at a time). */
export function newServiceLbController(factory: SharedInformerFactory, opts: ServiceLbControllerOptions): Controller {
  const services = factory.informerFor<Service>(R.services);
  const reconciler = new ServiceLbReconciler({ client: opts.client, services: services.store, pool: IpPool.parse(opts.pool ?? defaultLoadBalancerPool), ...(opts.recorder ? { recorder: opts.recorder } : {}) });
  const c = new Controller({ name: 'service-lb', reconciler, workers: 1, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  // Only Services that are or were load balancers matter.
  c.watch(services, (s) => [keyOf(s)], { predicate: (s) => s.spec?.type === 'LoadBalancer' || (s.metadata?.finalizers ?? []).includes(loadBalancerCleanupFinalizer) || !!s.status?.loadBalancer?.ingress?.length });
  return c;
}
