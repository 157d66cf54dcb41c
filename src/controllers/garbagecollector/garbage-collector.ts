// The garbage collector: deletes dependents whose owners are gone, and carries out the foregroundDeletion and
// orphan finalizers. Its graph comes from informers over every deletable resource found through discovery.
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import { silentLogger, type Logger } from '../../util/index.js';
import { Controller, objectOfDelete, type Reconciler, type ReconcileResult, type Runnable, type SharedInformer, type SharedInformerFactory } from '../runtime/index.js';
import { discoverResources, type DiscoveredResource } from './discovery.js';
import { OwnerGraph, type GraphNode } from './graph.js';

/** The finalizer of a foreground deletion. */
export const foregroundDeletionFinalizer = 'foregroundDeletion';
/** The finalizer of an orphaning deletion. */
export const orphanFinalizer = 'orphan';

/** How the garbage collector is built. */
export interface GarbageCollectorOptions {
  client: ApiClient;
  informers: SharedInformerFactory;
  logger?: Logger;
  /** How often discovery is read again to follow new resources (CRDs); default 10 s. */
  rediscoverMs?: number;
  /** Workers in parallel (default 4). */
  workers?: number;
}

type OwnerState = 'absent' | 'solid' | 'waiting';

/** The garbage collector controller. Each key of its queue is an object's uid. */
export class GarbageCollector implements Runnable, Reconciler {
  readonly name = 'garbage-collector';
  readonly graph = new OwnerGraph();
  private readonly controller: Controller;
  private readonly log: Logger;
  private readonly followed = new Map<string, SharedInformer>();
  private byKind = new Map<string, DiscoveredResource>();
  /** Owner uids confirmed absent, oldest first (a bounded set, as Kubernetes' absent-owner cache). */
  private readonly absentOwners = new Set<string>();

  constructor(private readonly options: GarbageCollectorOptions) {
    this.log = (options.logger ?? silentLogger).with({ controller: this.name });
    this.controller = new Controller({ name: this.name, reconciler: this, workers: options.workers ?? 4, logger: this.log });
  }

  /** Discovers resources, follows them, waits for the graph to fill, then collects until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.rediscover(signal);
    for (const inf of this.followed.values()) if (!(await inf.waitForSync(signal))) return;
    const timer = setInterval(() => void this.rediscover(signal).catch((e: unknown) => this.log.warn('discovery failed', { error: String(e) })), this.options.rediscoverMs ?? 10_000);
    try {
      await this.controller.run(signal);
    } finally {
      clearInterval(timer);
    }
  }

  /** Reads discovery again; follows resources that appeared (a new CRD, say). */
  async rediscover(signal: AbortSignal): Promise<void> {
    const found = await discoverResources(this.options.client, signal);
    this.byKind = found.byKind;
    for (const res of found.deletable) {
      const id = `${res.group}/${res.plural}`;
      if (this.followed.has(id)) continue;
      const ref: ResourceRef = { group: res.group, version: res.version, plural: res.plural, namespaced: res.namespaced };
      // Metadata is all the graph needs: owners, finalizers, deletion state (no object bodies to parse).
      const inf = this.options.informers.informerFor(ref, { metadataOnly: true });
      this.followed.set(id, inf);
      inf.addEventHandler({
        onAdd: (o) => this.observe(ref, o),
        onUpdate: (_old, o) => this.observe(ref, o),
        onDelete: (x) => this.forget(objectOfDelete(x)),
      });
    }
  }

  private observe(ref: ResourceRef, obj: KubeObject): void {
    const old = obj.metadata?.uid ? this.graph.get(obj.metadata.uid) : undefined;
    const node = this.graph.upsert(ref, obj);
    if (!node) return;
    const touched = new Set<string>([node.uid]);
    for (const o of [...node.owners, ...(old?.owners ?? [])]) touched.add(o.uid);
    if (node.deleting) for (const d of this.graph.dependents(node.uid)) touched.add(d.uid);
    for (const uid of touched) this.controller.enqueue(uid);
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const node = this.graph.remove(uid);
    for (const d of this.graph.dependents(uid)) this.controller.enqueue(d.uid);
    for (const o of node?.owners ?? []) this.controller.enqueue(o.uid);
  }

  /** One step for one object: finalizers of an object being deleted, or collection of a dependent. */
  async reconcile(uid: string, signal: AbortSignal): Promise<ReconcileResult> {
    const node = this.graph.get(uid);
    if (!node) return;
    // Only dependents and objects carrying a collector finalizer need work (and a read of the live object).
    const gcFinalizer = node.finalizers.includes(orphanFinalizer) || node.finalizers.includes(foregroundDeletionFinalizer);
    if (node.deleting ? !gcFinalizer : node.owners.length === 0) return;
    const live = await this.getLive(node, signal);
    if (!live) return;
    if (live.metadata?.deletionTimestamp) {
      const fins = live.metadata.finalizers ?? [];
      if (fins.includes(orphanFinalizer)) return this.orphanDependents(node, live, signal);
      if (fins.includes(foregroundDeletionFinalizer)) return this.deleteDependents(node, live, signal);
      return;
    }
    if (node.owners.length > 0) return this.collect(node, live, signal);
  }

  private async getLive(node: GraphNode, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      const o = await this.options.client.resource(node.resource).get(node.name, { ...(node.namespace ? { namespace: node.namespace } : {}), metadataOnly: true, signal });
      return o.metadata?.uid === node.uid ? o : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Orphan: removes ownerReferences to the owner from every dependent, then the orphan finalizer. */
  private async orphanDependents(node: GraphNode, live: KubeObject, signal: AbortSignal): Promise<ReconcileResult> {
    for (const dep of this.graph.dependents(node.uid)) {
      await this.patchOwners(dep, (refs) => refs.filter((r) => r.uid !== node.uid), signal);
    }
    await this.removeFinalizer(node, live, orphanFinalizer, signal);
  }

  /** Foreground: deletes the dependents; once none with blockOwnerDeletion is left, removes the finalizer. */
  private async deleteDependents(node: GraphNode, live: KubeObject, signal: AbortSignal): Promise<ReconcileResult> {
    const deps = this.graph.dependents(node.uid);
    const blocking = deps.filter((d) => d.owners.some((r) => r.uid === node.uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) {
      await this.removeFinalizer(node, live, foregroundDeletionFinalizer, signal);
      return;
    }
    for (const d of deps) if (!d.deleting) this.controller.enqueue(d.uid);
    // Dependents going away enqueue this owner again; the requeue covers a dependent the graph has not seen go.
    return { requeueAfterMs: 5_000 };
  }

  /** A dependent: deletes it when no owner is left (or all that are left wait in foreground), drops dangling refs otherwise. */
  private async collect(node: GraphNode, live: KubeObject, signal: AbortSignal): Promise<ReconcileResult> {
    const refs = live.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = new Map<string, OwnerState>();
    for (const ref of refs) {
      const state = await this.ownerState(node, ref, signal);
      if (state === 'invalid') {
        this.log.warn('ownerRef is invalid: a cluster-scoped object cannot have a namespaced owner', { object: node.name, owner: `${ref.kind}/${ref.name}` });
        return;
      }
      if (state === 'unknown') return { requeueAfterMs: 10_000 };
      states.set(ref.uid, state);
    }
    const solid = refs.filter((r) => states.get(r.uid) === 'solid');
    const waiting = refs.filter((r) => states.get(r.uid) === 'waiting');
    const dangling = refs.filter((r) => states.get(r.uid) === 'absent');
    if (solid.length > 0) {
      if (dangling.length + waiting.length === 0) return;
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwners(node, (rs) => rs.filter((r) => !gone.has(r.uid)), signal);
      return;
    }
    const fins = live.metadata?.finalizers ?? [];
    let policy: 'Background' | 'Foreground' | 'Orphan' = 'Background';
    if (waiting.length > 0 && this.graph.dependents(node.uid).length > 0) policy = 'Foreground';
    else if (fins.includes(orphanFinalizer)) policy = 'Orphan';
    else if (fins.includes(foregroundDeletionFinalizer)) policy = 'Foreground';
    try {
      await this.options.client.resource(node.resource).delete(node.name, {
        ...(node.namespace ? { namespace: node.namespace } : {}),
        propagationPolicy: policy,
        preconditions: { uid: node.uid },
        signal,
      });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return; // gone, or replaced by another object of that name
      throw e;
    }
  }

  /** Whether an owner exists (by uid), waits for its dependents (foreground), is absent, or cannot be resolved. */
  private async ownerState(node: GraphNode, ref: OwnerReference, signal: AbortSignal): Promise<OwnerState | 'invalid' | 'unknown'> {
    const res = this.byKind.get(`${ref.apiVersion}/${ref.kind}`);
    if (!res) return 'unknown';
    if (res.namespaced && !node.namespace) return 'invalid';
    // uids are never reused: an owner once found absent stays absent (10,000 dependents of one deleted owner
    // need one lookup of it, not 10,000).
    if (this.absentOwners.has(ref.uid)) return 'absent';
    try {
      const owner = await this.options.client.resource(res).get(ref.name, { ...(res.namespaced && node.namespace ? { namespace: node.namespace } : {}), metadataOnly: true, signal });
      if (owner.metadata?.uid !== ref.uid) return this.markAbsent(ref.uid);
      if (owner.metadata?.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(foregroundDeletionFinalizer)) return 'waiting';
      return 'solid';
    } catch (e) {
      if (isNotFound(e)) return this.markAbsent(ref.uid);
      throw e;
    }
  }

  private markAbsent(uid: string): 'absent' {
    if (this.absentOwners.size >= 10_000) this.absentOwners.delete(this.absentOwners.values().next().value as string);
    this.absentOwners.add(uid);
    return 'absent';
  }

  private async patchOwners(node: GraphNode, change: (refs: OwnerReference[]) => OwnerReference[], signal: AbortSignal): Promise<void> {
    const live = await this.getLive(node, signal);
    if (!live) return;
    const before = live.metadata?.ownerReferences ?? [];
    const after = change(before);
    if (after.length === before.length) return;
    await this.mergePatch(node, { metadata: { resourceVersion: live.metadata?.resourceVersion, ownerReferences: after.length ? after : null } }, signal);
  }

  private async removeFinalizer(node: GraphNode, live: KubeObject, finalizer: string, signal: AbortSignal): Promise<void> {
    const fins = live.metadata?.finalizers ?? [];
    if (!fins.includes(finalizer)) return;
    const left = fins.filter((f) => f !== finalizer);
    await this.mergePatch(node, { metadata: { resourceVersion: live.metadata?.resourceVersion, finalizers: left.length ? left : null } }, signal);
  }

  private async mergePatch(node: GraphNode, patch: unknown, signal: AbortSignal): Promise<void> {
    try {
      await this.options.client.resource(node.resource).patch(node.name, 'merge', patch, { ...(node.namespace ? { namespace: node.namespace } : {}), signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e; // a conflict is retried by the queue
    }
  }
}
