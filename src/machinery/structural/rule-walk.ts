// The walk that runs x-kubernetes-validations (CEL) rules: every node carrying rules is handed to a hook with
// its value, field path and correlated old value, as Kubernetes' CEL validator visits them (old values found
// by field name in correlatable objects and by key in list-map lists; none for other list items).
import type { SchemaNode } from './compile.js';
import { Correlation, MapList } from './correlation.js';
import type { FieldError } from '../field-errors.js';
import type { JSONSchemaProps } from './types.js';
import { isMap } from './types.js';

/** What the CEL hook learns about the node besides value, schema, path and old value. */
export interface NodeContext {
  /** The compiled node (its `schema` is the JSON schema passed as second argument). */
  node: SchemaNode;
  /** True on update when this node has an old value (transition rules run). */
  hasOld: boolean;
  /**
   * True when errors of this node's rules should be dropped (ratcheting): the node, or its nearest correlatable
   * ancestor, equals its old value. Rules using oldSelf are not ratcheted by Kubernetes.
   */
  shouldRatchet(): boolean;
}

/**
 * Called for every value whose schema node carries x-kubernetes-validations. `path` is the field path
 * (`spec.rules[0]`, `spec.labels[key]`); at the resource root it is '' (Kubernetes' nil path, which field errors
 * print as `<nil>`). `oldValue` is the correlated old value or undefined. Return the errors of the node's rules.
 */
export type NodeHook = (value: unknown, schema: JSONSchemaProps, path: string, oldValue: unknown, ctx: NodeContext) => FieldError[] | void;

interface Ratchet {
  current: Correlation | undefined;
  parent: Correlation | undefined;
}

function keyRatchet(r: Ratchet, k: string): Ratchet {
  if (!r.current) return r;
  if (!r.parent && (k === 'apiVersion' || k === 'kind')) return { current: undefined, parent: undefined };
  return { current: r.current.key(k), parent: r.current };
}

function indexRatchet(r: Ratchet, i: number): Ratchet {
  if (!r.current) return r;
  return { current: r.current.index(i), parent: r.current };
}

// Kubernetes treats every map type it knows (granular, atomic) as correlatable.
const correlatable = (node: SchemaNode): boolean => node.mapType === undefined || node.mapType === 'granular' || node.mapType === 'atomic';

function walk(node: SchemaNode, value: unknown, old: unknown, path: string, r: Ratchet, hook: NodeHook, out: FieldError[]): void {
  if (value === null || value === undefined || !node.subtreeHasRules) return;
  if ((node.schema['x-kubernetes-validations']?.length ?? 0) > 0) {
    const ctx: NodeContext = {
      node,
      hasOld: old !== undefined && old !== null,
      shouldRatchet: () => (r.current ? r.current.deepEqual() : (r.parent?.deepEqual() ?? false)),
    };
    const errs = hook(value, node.schema, path, old === null ? undefined : old, ctx);
    if (errs) out.push(...errs);
  }
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return;
    const oldItems = new MapList(node, Array.isArray(old) ? old : []);
    value.forEach((v, i) => walk(items, v, oldItems.get(v), `${path}[${i}]`, indexRatchet(r, i), hook, out));
  } else if (isMap(value)) {
    const oldMap = isMap(old) && correlatable(node) ? old : undefined;
    const ap = node.additionalProperties;
    if (typeof ap === 'object') {
      for (const [k, v] of Object.entries(value)) walk(ap, v, oldMap?.[k], `${path}[${k}]`, keyRatchet(r, k), hook, out);
    }
    if (node.properties) {
      for (const [k, v] of Object.entries(value)) {
        const sub = node.properties.get(k);
        if (sub) walk(sub, v, oldMap?.[k], path ? `${path}.${k}` : k, keyRatchet(r, k), hook, out);
      }
    }
  }
}

/** Runs `hook` on every node with rules under `value`; `old` (on update) enables transition rules and ratcheting. */
export function walkRules(node: SchemaNode, value: unknown, old: unknown, hook: NodeHook, opts: { path?: string; correlation?: Correlation } = {}): FieldError[] {
  const out: FieldError[] = [];
  const hasOld = old !== undefined && old !== null;
  const current = hasOld ? (opts.correlation ?? new Correlation(value, old, node)) : undefined;
  walk(node, value, hasOld ? old : undefined, opts.path ?? '', { current, parent: undefined }, hook, out);
  return out;
}
