// Serves custom resources: follows the CustomResourceDefinitions in storage, adds and removes their resources in
// the registry, reports NamesAccepted and Established, and empties a deleted CRD before it goes.
import type { KubeObject } from '../api/index.js';
import { rfc3339, type Clock, type Logger } from '../util/index.js';
import { StatusError } from '../machinery/index.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { Registry } from '../registry/registry.js';
import { apiApprovalState, crdCleanupFinalizer, customResourceStrategy, type Crd } from '../registry/apiextensions/index.js';
import { deepEqualJson } from '../registry/compare.js';

type Condition = NonNullable<NonNullable<Crd['status']>['conditions']>[number];

// The KubernetesAPIApprovalPolicyConformant condition's status and reason for each approval state.
const approvalCondition: Record<'Missing' | 'Bypassed' | 'Approved' | 'Invalid', [string, string]> = {
  Approved: ['True', 'ApprovedAnnotation'],
  Bypassed: ['False', 'UnapprovedAnnotation'],
  Missing: ['False', 'MissingAnnotation'],
  Invalid: ['False', 'InvalidAnnotation'],
};

/** Keeps the registry in step with the CRDs in storage. */
export class CrdManager {
  private readonly installed = new Map<string, { versions: string[]; group: string; plural: string; rv: number }>();
  private readonly abort = new AbortController();
  private readonly cleaning = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly opts: { registry: Registry; crds: GenericStore; clock: Clock; logger: Logger },
  ) {}

  /** Installs every stored CRD, then follows changes until `stop`. Resolves once the first pass is done. */
  async start(): Promise<void> {
    const { crds } = this.opts;
    const list = await crds.list({});
    for (const ref of list.items) await this.reconcile(crds.object(ref) as unknown as Crd, ref.rv);
    this.running = this.follow(list.resourceVersion);
  }

  /** Stops following CRDs. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private async follow(fromRv: string): Promise<void> {
    const { crds, logger } = this.opts;
    let rv = fromRv;
    while (!this.abort.signal.aborted) {
      try {
        for await (const e of crds.watch({ resourceVersion: rv, signal: this.abort.signal })) {
          if (e.type === 'BOOKMARK') continue;
          if (e.type === 'ERROR') break;
          rv = String(e.ref.rv);
          const crd = crds.object(e.ref) as unknown as Crd;
          if (e.type === 'DELETED') this.uninstall(crd.metadata!.name!);
          else await this.reconcile(crd, e.ref.rv);
        }
      } catch (err) {
        logger.warn('following CRDs failed; resyncing', { error: String(err) });
      }
      if (this.abort.signal.aborted) return;
      // Resync from the current state after a broken watch (after a pause, so a persistent failure cannot spin).
      await new Promise((r) => setTimeout(r, 1000));
      const list = await crds.list({}).catch(() => undefined);
      if (list) {
        const present = new Set<string>();
        for (const ref of list.items) {
          const crd = crds.object(ref) as unknown as Crd;
          present.add(crd.metadata!.name!);
          await this.reconcile(crd, ref.rv);
        }
        for (const name of [...this.installed.keys()]) if (!present.has(name)) this.uninstall(name);
        rv = list.resourceVersion;
      }
    }
  }

  private uninstall(name: string): void {
    const inst = this.installed.get(name);
    if (!inst) return;
    for (const v of inst.versions) this.opts.registry.remove(inst.group, v, inst.plural);
    this.installed.delete(name);
  }

  /** Whether another resource already uses this group's plural (or the kind), which makes the names conflict. */
  private conflict(crd: Crd): string | undefined {
    const { group, names } = crd.spec;
    for (const r of this.opts.registry.resources()) {
      if (r.group !== group) continue;
      const owner = [...this.installed.entries()].find(([, i]) => i.group === r.group && i.plural === r.plural)?.[0];
      if (owner === crd.metadata!.name) continue;
      if (r.plural === names.plural) return `"${names.plural}" is already in use`;
      if (r.kind === names.kind) return `"${names.kind}" is already in use`;
    }
    return undefined;
  }

  /** Serves what a CRD defines and updates its status; failures are logged, never thrown (the loop goes on). */
  private async reconcile(crd: Crd, rv: number): Promise<void> {
    try {
      await this.reconcileOnce(crd, rv);
    } catch (err) {
      this.opts.logger.error('reconciling a CRD failed', { crd: crd.metadata?.name, error: String(err) });
    }
  }

  private async reconcileOnce(crd: Crd, rv: number): Promise<void> {
    const name = crd.metadata!.name!;
    const inst = this.installed.get(name);
    if (inst && inst.rv === rv) return;
    const conflict = this.conflict(crd);
    if (!conflict) {
      const served = crd.spec.versions.filter((v) => v.served);
      const { registry } = this.opts;
      if (inst) for (const v of inst.versions) if (!served.some((s) => s.name === v)) registry.remove(inst.group, v, inst.plural);
      for (const v of served) {
        try {
          registry.add(customResourceStrategy(crd, v));
        } catch (err) {
          this.opts.logger.error('cannot serve custom resource version', { crd: name, version: v.name, error: String(err) });
        }
      }
      this.installed.set(name, { versions: served.map((v) => v.name), group: crd.spec.group, plural: crd.spec.names.plural, rv });
    }
    await this.writeStatus(crd, conflict);
    // The API server adds the cleanup finalizer when the CRD is deleted; the custom resources go while it is there.
    if (crd.metadata?.deletionTimestamp && (crd.metadata.finalizers ?? []).includes(crdCleanupFinalizer)) this.cleanup(crd);
  }

  private condition(type: string, status: string, reason: string, message: string, old: Condition[] | undefined): Condition {
    const prev = old?.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(this.opts.clock.now());
    return { type, status, lastTransitionTime, reason, message };
  }

  /** Sets acceptedNames, conditions and storedVersions; a no-op when nothing changed. */
  private async writeStatus(crd: Crd, conflict: string | undefined): Promise<void> {
    const { crds } = this.opts;
    const name = crd.metadata!.name!;
    const old = crd.status?.conditions;
    const conditions: Condition[] = conflict
      ? [this.condition('NamesAccepted', 'False', 'NameConflict', conflict, old), this.condition('Established', 'False', 'NotAccepted', 'not all names are accepted', old)]
      : [this.condition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found', old), this.condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted', old)];
    if (crd.metadata?.deletionTimestamp) {
      conditions.push(this.condition('Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress', old));
    }
    // A CRD in a protected group (*.k8s.io, *.kubernetes.io) reports its API approval, as Kubernetes' controller does.
    const approval = apiApprovalState(crd);
    if (approval) {
      const [status, reason] = approvalCondition[approval.state];
      conditions.unshift(this.condition('KubernetesAPIApprovalPolicyConformant', status, reason, approval.reason, old));
    }
    const storage = crd.spec.versions.find((v) => v.storage)?.name;
    const stored = [...(crd.status?.storedVersions ?? [])];
    if (storage && !stored.includes(storage)) stored.push(storage);
    const status = {
      conditions,
      acceptedNames: conflict ? (crd.status?.acceptedNames ?? { plural: '', kind: '' }) : { ...crd.spec.names },
      storedVersions: stored,
    };
    try {
      if (!deepEqualJson(status, crd.status)) {
        await crds.update(undefined, name, (cur) => ({ ...cur!, status }), { subresource: 'status' });
      }
    } catch (err) {
      if (!(err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
    }
  }

  /** Deletes every custom resource of a CRD being deleted, then removes the cleanup finalizer. */
  private cleanup(crd: Crd): void {
    const name = crd.metadata!.name!;
    if (this.cleaning.has(name)) return;
    this.cleaning.add(name);
    const run = async () => {
      const { registry, crds } = this.opts;
      const storage = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
      const store = storage && registry.find(crd.spec.group, storage.name, crd.spec.names.plural);
      if (store) {
        for (let round = 0; ; round++) {
          const { items } = await store.list({});
          if (items.length === 0) break;
          for (const ref of items) {
            const o: KubeObject = store.object(ref);
            if (o.metadata?.deletionTimestamp) continue;
            if (o.metadata?.finalizers?.length) await store.markDeleting(o.metadata.namespace, o.metadata.name!, 0).catch(() => undefined);
            else await store.delete(o.metadata?.namespace, o.metadata!.name!).catch(() => undefined);
          }
          await new Promise((r) => setTimeout(r, Math.min(2000, 100 * (round + 1))));
        }
      }
      await crds.update(undefined, name, (cur) => {
        const meta = cur!.metadata!;
        meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== crdCleanupFinalizer);
        return cur!;
      });
    };
    run()
      .catch((err) => this.opts.logger.error('removing custom resources failed', { crd: name, error: String(err) }))
      .finally(() => this.cleaning.delete(name));
  }
}
