// The patch types on built-in and custom resources: JSON patch, merge patch and strategic merge patch.
import type { KubeObject } from '../api/index.js';
import type { Definitions } from '../api/generated/index.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, badRequest, type FieldStrategies, type JsonObject, type JsonValue } from '../machinery/index.js';
import { patchMetaFor, type PatchMeta } from '../machinery/schema/index.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { Patcher } from './context.js';

function asObject(v: unknown, what: string): KubeObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${what}: the result is not an object`);
  return v as KubeObject;
}

/** Schema patch metadata seen through the strategic-merge-patch interface (field strategies at every level). */
function withFieldStrategies(meta: PatchMeta): PatchMeta & FieldStrategies {
  return {
    child: (f) => {
      const c = meta.child(f);
      return c && withFieldStrategies(c);
    },
    list: (f) => meta.list(f),
    fieldStrategies: (f) => meta.strategies?.(f) ?? [],
  };
}

/** A Patcher over the given type schemas (strategic merge patch needs their list strategies and merge keys). */
export function patcher(defs: Definitions): Patcher {
  const metaCache = new Map<string, PatchMeta & FieldStrategies>();
  const metaOf = (store: GenericStore): (PatchMeta & FieldStrategies) | undefined => {
    const name = store.strategy.schemaName;
    if (!defs[name]) return undefined;
    let m = metaCache.get(name);
    if (!m) metaCache.set(name, (m = withFieldStrategies(patchMetaFor(name, defs))));
    return m;
  };
  return {
    json: (doc, patch) => asObject(applyJsonPatch(doc as JsonValue, patch), 'json patch'),
    merge: (doc, patch) => asObject(applyMergePatch(doc as JsonValue, patch), 'merge patch'),
    strategic(doc, patch, store) {
      const meta = metaOf(store);
      if (!meta) throw badRequest('strategic merge patch is not supported for this resource');
      return asObject(applyStrategicMergePatch(doc as JsonObject, patch, meta), 'strategic merge patch');
    },
    strategicSupported: (store) => metaOf(store) !== undefined,
  };
}
