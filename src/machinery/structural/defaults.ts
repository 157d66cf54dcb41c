// Defaulting of custom resources from their structural schema, as Kubernetes does after pruning: nulls in
// non-nullable fields without a default are dropped, then absent (or null, non-nullable) fields get a copy of
// their default, deeply: inside defaults just set, in list items and in additionalProperties values.
import { compileNode, type SchemaNode } from './compile.js';
import { isSchemaNode } from './prune.js';
import { isMap, jsonClone, type JSONSchemaProps } from './types.js';

const isNonNullableNull = (x: unknown, s: SchemaNode | undefined): boolean => x === null && s !== undefined && !s.nullable;

function defaultValue(x: unknown, s: SchemaNode | undefined): void {
  if (!s || !s.subtreeHasDefaults) return;
  if (isMap(x)) {
    if (s.properties) {
      for (const [k, prop] of s.properties) {
        if (!prop.hasDefault) continue;
        if (!Object.prototype.hasOwnProperty.call(x, k) || isNonNullableNull(x[k], prop)) x[k] = jsonClone(prop.default);
      }
    }
    const ap = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    for (const k of Object.keys(x)) {
      const prop = s.properties?.get(k);
      if (prop) defaultValue(x[k], prop);
      else if (s.additionalProperties !== undefined) {
        if (isNonNullableNull(x[k], ap) && ap?.hasDefault) x[k] = jsonClone(ap.default);
        defaultValue(x[k], ap);
      }
    }
  } else if (Array.isArray(x)) {
    const items = s.items;
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items) && items?.hasDefault) x[i] = jsonClone(items.default);
      defaultValue(x[i], items);
    }
  }
}

// Nulls Kubernetes drops when decoding: in non-nullable fields that have no default to take their place.
function pruneNulls(x: unknown, s: SchemaNode | undefined): void {
  if (isMap(x)) {
    for (const k of Object.keys(x)) {
      const v = x[k];
      const sub = s?.properties?.get(k) ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (v === null && sub !== undefined && !sub.nullable && !sub.hasDefault) delete x[k];
      else pruneNulls(v, sub);
    }
  } else if (Array.isArray(x)) {
    for (const v of x) pruneNulls(v, s?.items);
  }
}

/** Options of applyDefaults. */
export interface DefaultOptions {
  /** First drop nulls of non-nullable fields without defaults, as the decoder does when pruning (default true). */
  pruneNulls?: boolean;
}

/**
 * Applies the schema's defaults to `obj` in place, in Kubernetes' order: drop non-nullable nulls that have no
 * default, then fill absent fields (and non-nullable nulls) with copies of their defaults, recursing into them.
 * Run it after prune and before validation.
 */
export function applyDefaults(obj: unknown, schema: JSONSchemaProps | SchemaNode, opts: DefaultOptions = {}): void {
  const node = isSchemaNode(schema) ? schema : compileNode(schema);
  if (opts.pruneNulls !== false) pruneNulls(obj, node);
  defaultValue(obj, node);
}

/** Drops nulls of non-nullable fields that have no default (Kubernetes' PruneNonNullableNullsWithoutDefaults). */
export function pruneNonNullableNulls(obj: unknown, schema: JSONSchemaProps | SchemaNode): void {
  pruneNulls(obj, isSchemaNode(schema) ? schema : compileNode(schema));
}
