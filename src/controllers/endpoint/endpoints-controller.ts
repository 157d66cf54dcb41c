// The Endpoints controller: every Service with a selector gets a core/v1 Endpoints object of the same name
// listing its pods' addresses (ready ones in `addresses`, others in `notReadyAddresses`) with their ports.
import type { KubeObject } from '../../api/index.js';
import { isNotFound, type ApiClient } from '../../client/index.js';
import { deepEqual } from '../../machinery/index.js';
import { systemClock, type Clock, type Logger } from '../../util/index.js';
import {
  endpointResources as R,
  findPort,
  isHeadless,
  isPodReady,
  lastChangeTriggerTimeAnnotation,
  podIPv4s,
  podsSelectedBy,
  rfc3339Nano,
  serviceDerivedLabels,
  servicesSelecting,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  TriggerTimeTracker,
  type Pod,
  type Service,
} from '../endpointslice/index.js';
import { Controller, keyOf, splitKey, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { countAddresses, maxEndpointsCapacity, overCapacityAnnotation, repackSubsets, truncateSubsets, type AddressEntry, type EndpointAddress, type EndpointSubset } from './subsets.js';

/** The annotation of a leader-election record kept in an Endpoints object (never deleted as left over). */
export const leaderAnnotation = 'control-plane.alpha.kubernetes.io/leader';

/** core/v1 Endpoints. */
export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

/** The subsets a Service's Endpoints should hold, from the pods of its namespace. */
export function desiredSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const entries: AddressEntry[] = [];
  for (const pod of podsSelectedBy(svc, pods)) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue;
    const ip = podIPv4s(pod)[0];
    if (!ip) continue;
    const m = pod.metadata ?? {};
    const address: EndpointAddress = { ip, targetRef: { kind: 'Pod', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' } };
    if (shouldSetHostname(pod, svc)) address.hostname = pod.spec!.hostname!;
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    const ready = publish || isPodReady(pod);
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) {
      // A headless Service may have no ports: its addresses are listed alone.
      if (isHeadless(svc)) entries.push({ address, ports: [], ready });
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      entries.push({ address, ports: [{ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) }], ready });
    }
  }
  return repackSubsets(entries);
}

/** Whether the over-capacity annotation agrees with the stored subsets. */
function capacityAnnotationCorrect(annotations: Record<string, string>, subsets: readonly EndpointSubset[]): boolean {
  const { ready, notReady } = countAddresses(subsets);
  const n = ready + notReady;
  if (n > maxEndpointsCapacity) return false;
  const has = overCapacityAnnotation in annotations;
  return (has && n === maxEndpointsCapacity) || (!has && n < maxEndpointsCapacity);
}

/** Options of the reconciler. */
export interface EndpointsReconcilerOptions {
  client: ApiClient;
  listers: { services: Lister<Service>; pods: Lister<Pod>; endpoints: Lister<Endpoints> };
  recorder?: EventRecorder;
}

/** Syncs the Endpoints of one Service (key: `namespace/name`). */
export class EndpointsReconciler implements Reconciler {
  private readonly tracker = new TriggerTimeTracker();

  constructor(private readonly opts: EndpointsReconcilerOptions) {}

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { client, listers } = this.opts;
    const { namespace, name } = splitKey(key);
    const endpoints = client.resource<Endpoints>(R.endpoints);
    const svc = listers.services.get(key);
    if (!svc) {
      // The Service is gone: so is its Endpoints object.
      try {
        await endpoints.delete(name, { namespace, signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.tracker.forget(namespace, name);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector) return;
    const pods = podsSelectedBy(svc, listers.pods.listInNamespace(namespace));
    const triggerTime = this.tracker.compute(svc, pods);
    const full = desiredSubsets(svc, pods);
    const truncated = truncateSubsets(full);
    const subsets = truncated ?? full;
    const current = listers.endpoints.get(key);
    const labels = serviceDerivedLabels(svc);
    if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata?.labels ?? {}, labels) && capacityAnnotationCorrect(current.metadata?.annotations ?? {}, current.subsets ?? [])) return;
    const annotations: Record<string, string> = { ...(current?.metadata?.annotations ?? {}) };
    if (triggerTime > 0) annotations[lastChangeTriggerTimeAnnotation] = rfc3339Nano(triggerTime);
    else delete annotations[lastChangeTriggerTimeAnnotation];
    if (truncated) annotations[overCapacityAnnotation] = 'truncated';
    else delete annotations[overCapacityAnnotation];
    const next: Endpoints = {
      ...(current ?? { apiVersion: 'v1', kind: 'Endpoints' }),
      metadata: { ...(current?.metadata ?? { name, namespace }), labels, annotations },
      subsets,
    };
    try {
      if (current) await endpoints.update(next, { signal });
      else await endpoints.create(next, { signal });
    } catch (e) {
      const status = (e as { status?: { details?: { causes?: { reason?: string }[] } } }).status;
      // Creating in a terminating namespace is refused; the namespace is going away with the Service.
      if (!current && status?.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      const msg = e instanceof Error ? e.message : String(e);
      if (!signal.aborted) {
        if (current) this.opts.recorder?.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${msg}`);
        else this.opts.recorder?.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${msg}`);
      }
      throw e;
    }
  }
}

/** Options of `newEndpointsController`. */
export interface EndpointsControllerOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
  recorder?: EventRecorder;
  /** Workers syncing Services in parallel (default 5, as --concurrent-endpoint-syncs). */
  workers?: number;
}

/** Builds the controller: Services enqueue themselves, pods the Services selecting them, Endpoints their Service. */
export function newEndpointsController(factory: SharedInformerFactory, opts: EndpointsControllerOptions): Controller {
  const services = factory.informerFor<Service>(R.services);
  const pods = factory.informerFor<Pod>(R.pods);
  const endpoints = factory.informerFor<Endpoints>(R.endpoints);
  const reconciler = new EndpointsReconciler({ client: opts.client, listers: { services: services.store, pods: pods.store, endpoints: endpoints.store }, ...(opts.recorder ? { recorder: opts.recorder } : {}) });
  const c = new Controller({ name: 'endpoints', reconciler, workers: opts.workers ?? 5, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(services, (s) => [keyOf(s)]);
  c.watch(pods, (p) => servicesSelecting(services.store.listInNamespace(p.metadata?.namespace ?? ''), p).map(keyOf));
  // An Endpoints object changed or deleted by someone else is put back if its Service has a selector.
  c.watch(endpoints, (e) => (services.store.get(keyOf(e))?.spec?.selector ? [keyOf(e)] : []));
  // Endpoints found at start whose Service may have gone while no controller ran are checked once (and deleted
  // if so), except leader-election records kept in Endpoints. Only those older than the controller by a few
  // seconds: in `kin up` clients may write while the controllers start, and their objects are not left over.
  const startedAt = (opts.clock ?? systemClock).now();
  endpoints.addEventHandler({
    onAdd: (e, initial) => {
      const created = Date.parse(e.metadata?.creationTimestamp ?? '');
      if (initial && !e.metadata?.annotations?.[leaderAnnotation] && created < startedAt - 5000) c.enqueue(keyOf(e));
    },
  });
  return c;
}
