// Deleting one object: preconditions, finalizers, and namespaces (which are emptied before they go).
import type { KubeObject } from '../api/index.js';
import { conflict, forbidden } from '../machinery/index.js';
import type { GenericStore, ObjectRef } from '../registry/generic-store.js';
import type { Registry } from '../registry/registry.js';
import type { Logger } from '../util/index.js';
import type { DeleteRequest } from './resources.js';

/** Namespaces that can never be deleted. */
export const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

/** The result of a delete: the object's last (or current) state, and whether it is still there for now. */
export interface DeleteResult {
  ref: ObjectRef;
  pending: boolean;
}

/**
 * Deletes objects the way the API server does: an object with finalizers is only marked (deletionTimestamp set)
 * and goes when its last finalizer is removed; a namespace is marked Terminating and emptied, then removed.
 */
export class Deleter {
  private readonly emptying = new Set<string>();
  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {}

  async delete(store: GenericStore, namespace: string | undefined, name: string, opts: DeleteRequest): Promise<DeleteResult> {
    const info = store.strategy.info;
    const target = { group: info.group, resource: info.plural, name };
    if (info.group === '' && info.plural === 'namespaces' && immortalNamespaces.has(name)) {
      throw forbidden(target, `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    const ref = await store.get(namespace, name);
    const obj = store.object(ref);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata?.uid) {
      throw conflict(target, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata?.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(ref.rv)) {
      throw conflict(target, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${ref.rv}`);
    }
    const isNamespace = info.group === '' && info.plural === 'namespaces';
    const finalizers = [...(obj.metadata?.finalizers ?? []), ...((isNamespace && (obj['spec'] as { finalizers?: string[] } | undefined)?.finalizers) || [])];
    if (finalizers.length === 0) {
      return { ref: await store.delete(namespace, name, { dryRun: opts.dryRun, preconditions: undefined }), pending: false };
    }
    if (opts.dryRun) return { ref, pending: true };
    if (obj.metadata?.deletionTimestamp) {
      if (isNamespace) this.empty(store, name);
      return { ref, pending: true };
    }
    const marked = await store.markDeleting(namespace, name, 0, (o) => {
      if (isNamespace) ((o['status'] ??= {}) as { phase?: string }).phase = 'Terminating';
    });
    if (isNamespace) this.empty(store, name);
    return { ref: marked, pending: true };
  }

  /**
   * Empties a terminating namespace in the background, then removes its `kubernetes` finalizer so it goes.
   * Objects inside that have finalizers keep it waiting until they are gone.
   */
  private empty(namespaces: GenericStore, ns: string): void {
    if (this.emptying.has(ns)) return;
    this.emptying.add(ns);
    const run = async () => {
      for (let round = 0; ; round++) {
        const left = await this.deleteContents(ns);
        if (left === 0) break;
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * (round + 1))));
      }
      const { ref } = await namespaces.update(
        undefined,
        ns,
        (cur) => {
          const o = cur as KubeObject & { spec?: { finalizers?: string[] } };
          if (o.spec?.finalizers) o.spec.finalizers = o.spec.finalizers.filter((f) => f !== 'kubernetes');
          return o;
        },
        { subresource: 'finalize' },
      );
      // With no finalizers left (spec or metadata) the namespace goes; otherwise it stays Terminating.
      const o = namespaces.object(ref) as KubeObject & { spec?: { finalizers?: string[] } };
      if (!o.spec?.finalizers?.length && !o.metadata?.finalizers?.length) await namespaces.delete(undefined, ns);
    };
    run()
      .catch((e) => this.logger.error('emptying namespace failed', { namespace: ns, error: String(e) }))
      .finally(() => this.emptying.delete(ns));
  }

  /** Deletes everything in a namespace once; returns how many objects are still there. */
  private async deleteContents(ns: string): Promise<number> {
    let left = 0;
    const seen = new Set<string>();
    for (const store of this.registry.stores()) {
      const info = store.strategy.info;
      if (!info.namespaced || !info.verbs.includes('delete')) continue;
      const prefix = store.key(ns, '');
      if (seen.has(prefix)) continue; // one storage location served in several versions
      seen.add(prefix);
      const { items } = await store.list({ namespace: ns });
      for (const ref of items) {
        const o = store.object(ref);
        left++;
        if (o.metadata?.deletionTimestamp) continue;
        try {
          await this.delete(store, ns, o.metadata!.name!, { dryRun: false });
        } catch {
          // Gone already, or changed under us: the next round looks again.
        }
      }
    }
    return left;
  }
}
