// Admission in the write path: the lookup plugins read other objects through (the registry's stores), and the
// two steps of a write — mutating admission before the strategy, validating admission handed to the store,
// which runs it after the strategy validated the object and before storage.
import type { KubeObject } from '../api/index.js';
import type { AdmissionAttributes, AdmissionChain, ObjectLookup, Operation, ResourceRef } from '../admission/index.js';
import { isReason } from '../machinery/index.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { Registry } from '../registry/registry.js';
import type { ApiRequest } from './http.js';
import type { ResourceTarget } from './resources.js';

/** An ObjectLookup over a registry: each resource in its first registered version, read from the watch cache. */
export function registryLookup(registry: Registry): ObjectLookup {
  let cache = new Map<string, GenericStore | null>();
  registry.onChange(() => (cache = new Map()));
  const storeOf = (r: ResourceRef): GenericStore | undefined => {
    const k = `${r.group}/${r.resource}`;
    let s = cache.get(k);
    if (s === undefined) {
      s = registry.stores().find((x) => x.strategy.info.group === r.group && x.strategy.info.plural === r.resource) ?? null;
      cache.set(k, s);
    }
    return s ?? undefined;
  };
  return {
    async get(r, namespace, name) {
      const store = storeOf(r);
      if (!store) return undefined;
      try {
        return store.object(await store.get(namespace, name));
      } catch (e) {
        if (isReason(e, 'NotFound')) return undefined;
        throw e;
      }
    },
    async list(r, namespace) {
      const store = storeOf(r);
      if (!store) return [];
      const res = await store.list({ namespace });
      return res.items.map((ref) => store.object(ref));
    },
    async updateStatus(r, obj) {
      const store = storeOf(r);
      if (!store) throw new Error(`no store for ${r.resource}`);
      const m = obj.metadata ?? {};
      const { ref } = await store.update(m.namespace, m.name!, () => structuredClone(obj), { subresource: 'status' });
      return store.object(ref);
    },
  };
}

/** The admission steps of one write to a resource. */
export interface WriteAdmission {
  /** Mutating admission of `obj` (CREATE, or UPDATE when there is a stored `old`); may change `obj`. */
  mutate(obj: KubeObject, old: KubeObject | undefined): Promise<void>;
  /** Validating admission, in the shape of the store's `validate` hook. */
  validate(obj: KubeObject, old: KubeObject | undefined): Promise<void>;
}

function attributes(req: ApiRequest, t: ResourceTarget, op: Operation, obj: KubeObject | undefined, old: KubeObject | undefined, dryRun: boolean): AdmissionAttributes {
  const info = t.store.strategy.info;
  return {
    operation: op,
    kind: { group: info.group, version: info.version, kind: info.kind },
    resource: { group: info.group, version: info.version, resource: info.plural },
    subresource: t.subresource ?? '',
    namespace: t.namespace ?? '',
    name: t.name ?? '',
    object: obj,
    oldObject: old,
    userInfo: req.user,
    dryRun,
  };
}

/**
 * The admission of a create, update or patch, or undefined when the server runs none. Which plugins want the
 * write is asked of the chain once per operation and resource (a Map lookup afterwards), so a write no plugin
 * wants costs nothing more.
 */
export function writeAdmission(chain: AdmissionChain | undefined, req: ApiRequest, t: ResourceTarget, dryRun: boolean): WriteAdmission | undefined {
  if (!chain) return undefined;
  const info = t.store.strategy.info;
  const r = { group: info.group, resource: info.plural, subresource: t.subresource ?? '' };
  return {
    async mutate(obj, old) {
      const op: Operation = old ? 'UPDATE' : 'CREATE';
      const steps = chain.steps(op, r);
      if (!steps?.mutating.length) return;
      // Plugins see the object as Kubernetes hands it to them: decoded with the kind's defaults applied.
      if (!t.subresource) t.store.strategy.defaults?.(obj);
      const a = attributes(req, t, op, obj, old, dryRun);
      for (const p of steps.mutating) await p.admit!(a);
    },
    async validate(obj, old) {
      const op: Operation = old ? 'UPDATE' : 'CREATE';
      const steps = chain.steps(op, r);
      if (!steps?.validating.length) return;
      const a = attributes(req, t, op, obj, old, dryRun);
      for (const p of steps.validating) await p.validate!(a);
    },
  };
}

/** Admission of a DELETE: runs only when a plugin wants deletes of the resource (the stored object read then). */
export async function admitDelete(chain: AdmissionChain | undefined, req: ApiRequest, t: ResourceTarget, name: string, dryRun: boolean): Promise<void> {
  if (!chain) return;
  const info = t.store.strategy.info;
  const steps = chain.steps('DELETE', { group: info.group, resource: info.plural, subresource: t.subresource ?? '' });
  if (!steps) return;
  let old: KubeObject | undefined;
  try {
    old = t.store.object(await t.store.get(t.namespace, name));
  } catch (e) {
    if (isReason(e, 'NotFound')) return; // the delete itself answers 404
    throw e;
  }
  const a = attributes(req, { ...t, name }, 'DELETE', undefined, old, dryRun);
  for (const p of steps.mutating) await p.admit!(a);
  for (const p of steps.validating) await p.validate!(a);
}
