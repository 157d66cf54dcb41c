// The patch types on built-in and custom resources: JSON patch, merge patch and strategic merge patch.
import type { KubeObject } from '../api/index.js';
import type { Definitions } from '../api/generated/index.js';
import * as machinery from '../machinery/index.js';
import { applyJsonPatch, applyMergePatch, badRequest, type JsonValue } from '../machinery/index.js';
// Strategic merge patch lands in machinery separately; looked up at call time until then.
const smp = () => (machinery as unknown as { applyStrategicMergePatch?: (d: unknown, p: unknown, m: PatchMeta) => unknown }).applyStrategicMergePatch;
import { patchMetaFor, type PatchMeta } from '../machinery/schema/index.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { Patcher } from './context.js';

function asObject(v: unknown, what: string): KubeObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${what}: the result is not an object`);
  return v as KubeObject;
}

/** A Patcher over the given type schemas (strategic merge patch needs their list strategies and merge keys). */
export function patcher(defs: Definitions): Patcher {
  const metaCache = new Map<string, PatchMeta>();
  const metaOf = (store: GenericStore): PatchMeta | undefined => {
    const name = store.strategy.schemaName;
    if (!defs[name]) return undefined;
    let m = metaCache.get(name);
    if (!m) metaCache.set(name, (m = patchMetaFor(name, defs)));
    return m;
  };
  return {
    json: (doc, patch) => asObject(applyJsonPatch(doc as JsonValue, patch), 'json patch'),
    merge: (doc, patch) => asObject(applyMergePatch(doc as JsonValue, patch), 'merge patch'),
    strategic(doc, patch, store) {
      const meta = metaOf(store);
      const apply = smp();
      if (!meta || !apply) throw badRequest('strategic merge patch is not supported for this resource');
      return asObject(apply(doc, patch, meta), 'strategic merge patch');
    },
    strategicSupported: (store) => metaOf(store) !== undefined,
  };
}
