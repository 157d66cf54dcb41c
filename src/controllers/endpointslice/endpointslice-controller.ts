// The EndpointSlice controller: every Service with a selector gets discovery.k8s.io/v1 EndpointSlices listing
// the pods it selects (address, ready/serving/terminating, node, zone, ports resolved per pod).
import type { KubeObject } from '../../api/index.js';
import { isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import { systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, keyOf, makeKey, splitKey, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { endpointPorts, podToEndpoint, podsSelectedBy, servicesSelecting, shouldPodBeInEndpoints, zoneLabel } from './pod-endpoints.js';
import { controllerName, groupByPorts, managedByLabel, planSlices, serviceNameLabel } from './slice-plan.js';
import { lastChangeTriggerTimeAnnotation, rfc3339Nano, TriggerTimeTracker } from './trigger-time.js';
import type { EndpointSlice, Node, Pod, Service } from './types.js';

/** The resources the endpoint controllers read and write. */
export const endpointResources = {
  services: { group: '', version: 'v1', plural: 'services', namespaced: true } as ResourceRef,
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true } as ResourceRef,
  nodes: { group: '', version: 'v1', plural: 'nodes', namespaced: false } as ResourceRef,
  endpointSlices: { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true } as ResourceRef,
  endpoints: { group: '', version: 'v1', plural: 'endpoints', namespaced: true } as ResourceRef,
};

/** The index of managed slices by `namespace/service`. */
export const sliceServiceIndex = 'serviceName';

/** What the reconciler reads from: listers of the shared informers. */
export interface EndpointSliceListers {
  services: Lister<Service>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  /** Slices managed by this controller, indexed by `sliceServiceIndex`. */
  slices: Lister<EndpointSlice>;
}

/** Options of the reconciler. */
export interface EndpointSliceReconcilerOptions {
  client: ApiClient;
  listers: EndpointSliceListers;
  recorder?: EventRecorder;
  maxEndpointsPerSlice?: number;
  clock?: Clock;
}

/** How long the reconciler waits for the slice cache to show its own writes before it stops waiting. */
const staleWaitMs = 10_000;

/** Numeric resourceVersion (0 when absent). */
function rv(o: KubeObject | undefined): number {
  return Number(o?.metadata?.resourceVersion ?? 0) || 0;
}

/** Syncs the EndpointSlices of one Service (key: `namespace/name`). */
export class EndpointSliceReconciler implements Reconciler {
  private readonly tracker = new TriggerTimeTracker();
  /** Writes not yet seen by the slice informer, per Service: slice name → resourceVersion written, or -1 deleted. */
  private readonly written = new Map<string, { at: number; slices: Map<string, number> }>();
  private readonly clock: Clock;

  constructor(private readonly opts: EndpointSliceReconcilerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** True while the slice cache has not caught up with this controller's own writes for a Service. */
  private stale(key: string): boolean {
    const w = this.written.get(key);
    if (!w) return false;
    // A slice someone else deleted right after our write never shows: past a while, the cache is trusted.
    if (this.clock.now() - w.at > staleWaitMs) {
      this.written.delete(key);
      return false;
    }
    const { namespace } = splitKey(key);
    for (const [name, v] of w.slices) {
      const cached = this.opts.listers.slices.get(makeKey(namespace, name));
      if (v < 0 ? cached !== undefined : rv(cached) < v) return true;
    }
    this.written.delete(key);
    return false;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { listers, client } = this.opts;
    const svc = listers.services.get(key);
    if (!svc) {
      // Slices of a deleted Service go with it (owner references); only the tracking is forgotten.
      const { namespace, name } = splitKey(key);
      this.tracker.forget(namespace, name);
      this.written.delete(key);
      return;
    }
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName' || svc.metadata?.deletionTimestamp) return;
    if (this.stale(key)) return { requeueAfterMs: 1000 };
    const namespace = svc.metadata?.namespace ?? '';
    const pods = podsSelectedBy(svc, listers.pods.listInNamespace(namespace)).filter((p) => shouldPodBeInEndpoints(p, true));
    const items = [];
    for (const pod of pods) {
      const endpoint = podToEndpoint(pod, svc, pod.spec?.nodeName ? listers.nodes.get(pod.spec.nodeName) : undefined);
      if (endpoint.addresses.length === 0) continue;
      items.push({ ports: endpointPorts(pod, svc), endpoint });
    }
    const existing = listers.slices.byIndex(sliceServiceIndex, key);
    const plan = planSlices({ service: svc, desired: groupByPorts(items), existing, ...(this.opts.maxEndpointsPerSlice ? { maxEndpointsPerSlice: this.opts.maxEndpointsPerSlice } : {}) });
    const triggerTime = this.tracker.compute(svc, pods);
    const annotate = (s: EndpointSlice): EndpointSlice => {
      const annotations = { ...(s.metadata?.annotations ?? {}) };
      if (triggerTime > 0) annotations[lastChangeTriggerTimeAnnotation] = rfc3339Nano(triggerTime);
      else delete annotations[lastChangeTriggerTimeAnnotation];
      return { ...s, metadata: { ...s.metadata, annotations } };
    };
    const slices = client.resource<EndpointSlice>(endpointResources.endpointSlices);
    const written = new Map<string, number>();
    try {
      for (const s of plan.create) {
        const made = await slices.create(annotate(s), { signal });
        written.set(made.metadata?.name ?? '', rv(made));
      }
      for (const s of plan.update) {
        const made = await slices.update(annotate(s), { signal });
        written.set(made.metadata?.name ?? '', rv(made));
      }
      for (const s of plan.delete) {
        try {
          await slices.delete(s.metadata?.name ?? '', { namespace, preconditions: { uid: s.metadata?.uid ?? '' }, signal });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        written.set(s.metadata?.name ?? '', -1);
      }
    } catch (e) {
      // Creates in a terminating namespace keep failing: the Service goes with it, so the sync is dropped.
      if ((e as { status?: { details?: { causes?: { reason?: string }[] } } }).status?.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      if (!signal.aborted) this.opts.recorder?.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    } finally {
      if (written.size) this.written.set(key, { at: this.clock.now(), slices: written });
    }
  }
}

/** Options of `newEndpointSliceController`. */
export interface EndpointSliceControllerOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
  recorder?: EventRecorder;
  maxEndpointsPerSlice?: number;
  /** Workers syncing Services in parallel (default 5, as --concurrent-service-endpoint-syncs). */
  workers?: number;
}

/** Builds the controller: Services enqueue themselves, pods the Services selecting them, slices their Service. */
export function newEndpointSliceController(factory: SharedInformerFactory, opts: EndpointSliceControllerOptions): Controller {
  const services = factory.informerFor<Service>(endpointResources.services);
  const pods = factory.informerFor<Pod>(endpointResources.pods);
  const nodes = factory.informerFor<Node>(endpointResources.nodes);
  const slices = factory.informerFor<EndpointSlice>(endpointResources.endpointSlices, {
    labelSelector: `${managedByLabel}=${controllerName}`,
    indexers: { [sliceServiceIndex]: (s) => { const n = s.metadata?.labels?.[serviceNameLabel]; return n ? [makeKey(s.metadata?.namespace, n)] : []; } },
  });
  const reconciler = new EndpointSliceReconciler({
    client: opts.client,
    listers: { services: services.store, pods: pods.store, nodes: nodes.store, slices: slices.store },
    ...(opts.recorder ? { recorder: opts.recorder } : {}),
    ...(opts.maxEndpointsPerSlice ? { maxEndpointsPerSlice: opts.maxEndpointsPerSlice } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const c = new Controller({ name: 'endpointslice', reconciler, workers: opts.workers ?? 5, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(services, (s) => [keyOf(s)]);
  c.watch(pods, (p) => servicesSelecting(services.store.listInNamespace(p.metadata?.namespace ?? ''), p).map(keyOf));
  c.watch(slices, (s) => {
    const n = s.metadata?.labels?.[serviceNameLabel];
    return n ? [makeKey(s.metadata?.namespace, n)] : [];
  });
  // A node's zone shows in every endpoint on it: only a change of its zone label resyncs the Services of its pods.
  c.watch(nodes, () => []); // waited for before the first sync; changes handled below
  nodes.addEventHandler({
    onUpdate: (old, cur) => {
      if (old.metadata?.labels?.[zoneLabel] === cur.metadata?.labels?.[zoneLabel]) return;
      for (const p of pods.store.list()) {
        if (p.spec?.nodeName !== cur.metadata?.name) continue;
        for (const s of servicesSelecting(services.store.listInNamespace(p.metadata?.namespace ?? ''), p)) c.enqueue(keyOf(s));
      }
    },
  });
  return c;
}
