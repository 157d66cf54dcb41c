// Pruning of fields a structural schema does not specify, as Kubernetes does when it decodes a custom resource:
// unknown fields are deleted (and their paths returned for fieldValidation=Strict|Warn) except where
// x-kubernetes-preserve-unknown-fields keeps them; apiVersion, kind and metadata of the resource and of embedded
// resources always stay (embedded metadata is cleaned as ObjectMeta).
import { compileNode, type SchemaNode } from './compile.js';
import { coerceEmbeddedMetadata } from './embedded.js';
import { isMap, type JSONSchemaProps } from './types.js';

/** Options of prune. */
export interface PruneOptions {
  /** Treat the value as a whole resource (default true): apiVersion, kind and metadata are kept at the root. */
  isResourceRoot?: boolean;
  /** Clean the metadata of embedded resources as Kubernetes' decoder does (default true). */
  coerceEmbeddedMetadata?: boolean;
}

const metaKeys = new Set(['apiVersion', 'kind', 'metadata']);

interface Walk {
  unknown: string[];
  coerce: boolean;
  /** The value is a whole resource: its own metadata is not cleaned here. */
  root: boolean;
}

const join = (path: string, k: string): string => (path ? `${path}.${k}` : k);

function pruneValue(x: unknown, node: SchemaNode | undefined, embedded: boolean, path: string, w: Walk): void {
  if (node?.preserveUnknownFields) {
    skipPrune(x, node, embedded, path, w);
    return;
  }
  if (isMap(x)) {
    if (!node) {
      for (const k of Object.keys(x)) {
        w.unknown.push(join(path, k));
        delete x[k];
      }
      return;
    }
    if (embedded && w.coerce && !(w.root && path === '')) coerceEmbeddedMetadata(x, path, w.unknown);
    for (const k of Object.keys(x)) {
      if (embedded && metaKeys.has(k)) continue;
      const prop = node.properties?.get(k);
      const ap = node.additionalProperties;
      const v = x[k];
      // Scalars have nothing to prune; only containers need their path.
      if (prop || ap !== undefined) {
        if (typeof v === 'object' && v !== null) {
          const sub = prop ?? (typeof ap === 'object' ? ap : undefined);
          pruneValue(v, sub, sub?.embeddedResource ?? false, join(path, k), w);
        }
      } else {
        if (!metaKeys.has(k) || path !== '') w.unknown.push(join(path, k));
        delete x[k];
      }
    }
  } else if (Array.isArray(x)) {
    const items = node?.items;
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (typeof v === 'object' && v !== null) pruneValue(v, items, items?.embeddedResource ?? false, `${path}[${i}]`, w);
    }
  }
}

// Under x-kubernetes-preserve-unknown-fields: unknown fields stay, specified ones are pruned by their schema.
function skipPrune(x: unknown, node: SchemaNode, embedded: boolean, path: string, w: Walk): void {
  if (isMap(x)) {
    if (embedded && w.coerce && !(w.root && path === '')) coerceEmbeddedMetadata(x, path, w.unknown);
    for (const k of Object.keys(x)) {
      if (embedded && metaKeys.has(k)) continue;
      const prop = node.properties?.get(k);
      const ap = node.additionalProperties;
      const v = x[k];
      if ((prop || ap !== undefined) && typeof v === 'object' && v !== null) {
        const sub = prop ?? (typeof ap === 'object' ? ap : undefined);
        pruneValue(v, sub, sub?.embeddedResource ?? false, join(path, k), w);
      }
    }
  } else if (Array.isArray(x) && node.items) {
    const items = node.items;
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (typeof v === 'object' && v !== null) skipPrune(v, items, items.embeddedResource, `${path}[${i}]`, w);
    }
  }
}

/**
 * Deletes from `obj` (in place) every field the schema does not specify and returns the paths of the deleted
 * fields, sorted (`spec.foo`, `spec.items[0].bar`): report them as `unknown field "spec.foo"` for
 * fieldValidation=Strict or Warn. The root's metadata is left as is (the object's own metadata is handled by
 * the store's ObjectMeta decoding).
 */
export function prune(obj: unknown, schema: JSONSchemaProps | SchemaNode, opts: PruneOptions = {}): string[] {
  const node = isSchemaNode(schema) ? schema : compileNode(schema);
  const root = opts.isResourceRoot !== false;
  const w: Walk = { unknown: [], coerce: opts.coerceEmbeddedMetadata !== false, root };
  pruneValue(obj, node, root || node.embeddedResource, '', w);
  return w.unknown.sort();
}

/** True for a compiled node (as opposed to a schema in JSON form). */
export function isSchemaNode(s: JSONSchemaProps | SchemaNode): s is SchemaNode {
  return 'types' in s && 'subtreeHasRules' in s;
}
