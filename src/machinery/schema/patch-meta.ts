// Strategic-merge-patch metadata (merge keys, patch strategies, list types) read from a type's schema.
import type { Definitions, OpenApiSchema } from '../../api/index.js';
import { acceptsAnything, resolveSchema } from './resolve.js';

/** How a list field merges: from `x-kubernetes-patch-*` and `x-kubernetes-list-*`. */
export interface ListPatchMeta {
  /** `x-kubernetes-patch-merge-key`: the item field that identifies an item (`name` for containers). */
  mergeKey?: string;
  /** `x-kubernetes-patch-strategy` split on commas: `merge`, `retainKeys`, `replace`; empty when unset. */
  strategies: string[];
  /** `x-kubernetes-list-type`: `atomic`, `set` or `map`. */
  listType?: string;
  /** `x-kubernetes-list-map-keys`. */
  mapKeys?: string[];
}

/**
 * Patch metadata of one object schema, as strategic merge patch walks it. `child` descends into a field (for a
 * list field: into its items; for a map: into its values); `list` describes a list field.
 */
export interface PatchMeta {
  /** meta of a map field or of the items of a list field */
  child(field: string): PatchMeta | undefined;
  /** the list strategy of a list field */
  list(field: string): ListPatchMeta | undefined;
  /** the patch strategies of any field, e.g. `retainKeys` on DeploymentSpec.strategy (empty when none) */
  strategies?(field: string): string[];
}

/** The patch strategies of a field (`x-kubernetes-patch-strategy`), also for non-list fields (`retainKeys`). */
export function patchStrategies(field: OpenApiSchema): string[] {
  const s = field['x-kubernetes-patch-strategy'];
  return typeof s === 'string' && s !== '' ? s.split(',') : [];
}

class SchemaPatchMeta implements PatchMeta {
  private readonly children = new Map<string, PatchMeta | undefined>();

  constructor(
    private readonly schema: OpenApiSchema,
    private readonly defs: Definitions,
  ) {}

  /** The field's own schema (where the extensions sit), or the map value schema. */
  private field(name: string): OpenApiSchema | undefined {
    const own = this.schema.properties?.[name];
    if (own) return own;
    const extra = this.schema.additionalProperties;
    return typeof extra === 'object' ? extra : undefined;
  }

  child(name: string): PatchMeta | undefined {
    if (this.children.has(name)) return this.children.get(name);
    const f = this.field(name);
    let meta: PatchMeta | undefined;
    if (f) {
      let r = resolveSchema(f, this.defs);
      if (r.schema.type === 'array' && r.schema.items) r = resolveSchema(r.schema.items, this.defs);
      if (!acceptsAnything(r) && (r.schema.properties || typeof r.schema.additionalProperties === 'object')) {
        meta = new SchemaPatchMeta(r.schema, this.defs);
      }
    }
    this.children.set(name, meta);
    return meta;
  }

  strategies(name: string): string[] {
    const f = this.field(name);
    return f ? patchStrategies(f) : [];
  }

  list(name: string): ListPatchMeta | undefined {
    const f = this.field(name);
    if (!f) return undefined;
    const r = resolveSchema(f, this.defs);
    if (r.schema.type !== 'array') return undefined;
    const out: ListPatchMeta = { strategies: patchStrategies(f) };
    const key = f['x-kubernetes-patch-merge-key'];
    if (typeof key === 'string') out.mergeKey = key;
    const listType = f['x-kubernetes-list-type'] ?? r.schema['x-kubernetes-list-type'];
    if (listType) out.listType = listType;
    const keys = f['x-kubernetes-list-map-keys'] ?? r.schema['x-kubernetes-list-map-keys'];
    if (keys) out.mapKeys = keys;
    return out;
  }
}

const cache = new WeakMap<Definitions, Map<string, PatchMeta>>();

/** Patch metadata of component `schemaName` (cached per definitions map). Unknown names give an empty meta. */
export function patchMetaFor(schemaName: string, defs: Definitions): PatchMeta {
  let byName = cache.get(defs);
  if (!byName) cache.set(defs, (byName = new Map()));
  let meta = byName.get(schemaName);
  if (!meta) {
    meta = new SchemaPatchMeta(defs[schemaName] ?? {}, defs);
    byName.set(schemaName, meta);
  }
  return meta;
}
