// The namespace controller: empties a terminating namespace, reports what is left in its conditions, and removes
// its `kubernetes` finalizer (PUT .../finalize) once it is empty, so the API server removes it.
import type { KubeObject } from '../../api/index.js';
import { ApiClient, isConflict, isNotFound, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { failingConditions, mergeConditions, type DeletionOutcome, type NamespaceCondition } from './conditions.js';
import { discoverDeletableResources } from './discovery.js';

/** The finalizer the namespace controller owns. */
export const kubernetesFinalizer = 'kubernetes';

/** The namespaces resource. */
export const namespacesResource: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

/** Options of the namespace reconciler. */
export interface NamespaceReconcilerOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
  /** How long to wait before looking again at a namespace whose content is not gone yet (default 1000 ms). */
  recheckMs?: number;
  /**
   * Write the deletion conditions to the namespace's status (default false for now: the generic store removes a
   * terminating namespace on any update once metadata.finalizers is empty, ignoring spec.finalizers, so a status
   * write would remove it while content remains).
   */
  writeConditions?: boolean;
}

/** Reconciles one namespace (key: its name). */
export class NamespaceReconciler implements Reconciler {
  private readonly namespaces: ResourceClient<Namespace>;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly options: NamespaceReconcilerOptions) {
    this.namespaces = options.client.resource<Namespace>(namespacesResource);
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
  }

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name, { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(kubernetesFinalizer)) return;
    const outcome = await this.deleteContent(name, signal);
    if (this.options.writeConditions) ns = await this.writeConditions(ns, outcome, signal);
    if (outcome.discoveryFailures.size > 0 || outcome.deleteErrors.length > 0) {
      throw new Error(`namespace ${name}: content deletion incomplete`);
    }
    if (outcome.remainingByResource.size > 0) return { requeueAfterMs: this.options.recheckMs ?? 1000 };
    await this.finalize(ns, signal);
    this.log.info('namespace emptied and finalized', { namespace: name });
  }

  /** Deletes every object in the namespace once, then counts what is still there. */
  private async deleteContent(ns: string, signal: AbortSignal): Promise<DeletionOutcome> {
    const { resources, failedGroups } = await discoverDeletableResources(this.options.client, signal);
    const outcome: DeletionOutcome = { discoveryFailures: failedGroups, deleteErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() };
    await Promise.all(
      resources.map(async (r) => {
        const rc = this.options.client.resource(r);
        try {
          const { items } = await rc.list({ namespace: ns, signal });
          if (items.length === 0) return;
          await Promise.all(
            items
              .filter((o) => !o.metadata?.deletionTimestamp)
              .map(async (o) => {
                try {
                  await rc.delete(o.metadata!.name!, { namespace: ns, propagationPolicy: 'Background', signal });
                } catch (e) {
                  if (!isNotFound(e) && !isConflict(e)) throw e;
                }
              }),
          );
          const left = (await rc.list({ namespace: ns, signal })).items;
          if (left.length === 0) return;
          outcome.remainingByResource.set(`${r.plural}.${r.group}`, left.length);
          for (const o of left) {
            for (const f of o.metadata?.finalizers ?? []) outcome.remainingByFinalizer.set(f, (outcome.remainingByFinalizer.get(f) ?? 0) + 1);
          }
        } catch (e) {
          if (signal.aborted) throw e;
          outcome.deleteErrors.push(`${r.plural}.${r.group}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    return outcome;
  }

  private async writeConditions(ns: Namespace, outcome: DeletionOutcome, signal: AbortSignal): Promise<Namespace> {
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const conditions = mergeConditions(ns.status?.conditions, failingConditions(outcome), now);
    const sameConditions = JSON.stringify(conditions.map(({ lastTransitionTime: _t, ...c }) => c)) === JSON.stringify((ns.status?.conditions ?? []).map(({ lastTransitionTime: _t, ...c }) => c));
    if (sameConditions && ns.status?.phase === 'Terminating') return ns;
    const next: Namespace = { ...ns, status: { ...ns.status, phase: 'Terminating', conditions } };
    return this.namespaces.update(next, { subresource: 'status', signal });
  }

  private async finalize(ns: Namespace, signal: AbortSignal): Promise<void> {
    const name = ns.metadata!.name!;
    const body: Namespace = { ...ns, spec: { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer) } };
    try {
      await this.namespaces.update(body, { subresource: 'finalize' as 'status', signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Builds the namespace controller: namespaces enqueue themselves; a reconcile rechecks until the namespace is empty. */
export function newNamespaceController(factory: SharedInformerFactory, opts: NamespaceReconcilerOptions & { workers?: number }): Controller {
  const c = new Controller({
    name: 'namespace',
    reconciler: new NamespaceReconciler(opts),
    workers: opts.workers ?? 5,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  c.watch(factory.informerFor(namespacesResource), undefined, { predicate: (o) => Boolean(o.metadata?.deletionTimestamp) });
  return c;
}
