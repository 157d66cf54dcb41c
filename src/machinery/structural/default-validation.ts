// Checks of the `default` values in a CRD schema (Kubernetes' ValidateDefaults): each default must be pruned
// (no unknown fields), valid against its own schema, and, inside resource metadata, result in valid metadata.
import { compileNode, type SchemaNode } from './compile.js';
import { objectMetaDecodeError, validateAsEmbeddedResource, validateEmbeddedResources } from './embedded.js';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { deepEqual } from '../deep.js';
import { invalidValue } from './go-print.js';
import { prune } from './prune.js';
import { isMap, jsonClone, type JSONSchemaProps, type JsonMap } from './types.js';
import { validateSchemaValue } from './validate.js';

const metaKeys = new Set(['apiVersion', 'kind', 'metadata']);

// A step from an embedded resource's root down to the defaulted value.
type Step = { key: string } | { index: true };

// The object around a default inside metadata, rooted at the nearest embedded resource (with type meta).
function surroundingObject(steps: readonly Step[], value: unknown): JsonMap {
  let v: unknown = value;
  for (let i = steps.length - 1; i >= 0; i--) {
    const st = steps[i] as Step;
    v = 'key' in st ? { [st.key]: v } : [v];
  }
  const obj = (isMap(v) ? v : {}) as JsonMap;
  if (!('kind' in obj)) obj['kind'] = 'Validation';
  if (!('apiVersion' in obj)) obj['apiVersion'] = 'validation/v1';
  return obj;
}

// The first decode problem of embedded resources (types of apiVersion, kind, metadata), as Kubernetes' coercion.
function coerceError(path: string, x: unknown, node: SchemaNode | undefined): FieldError | undefined {
  if (!node) return undefined;
  const child = (name: string): string => (path ? `${path}.${name}` : name);
  if (isMap(x)) {
    for (const [key, v] of Object.entries(x)) {
      if (node.embeddedResource) {
        if ((key === 'apiVersion' || key === 'kind') && typeof v !== 'string') return invalidValue(child(key), v, 'must be a string');
        if (key === 'metadata') {
          const err = objectMetaDecodeError(v);
          if (err !== undefined) return invalidValue(child('metadata'), v, err);
        }
      }
      const prop = node.properties?.get(key);
      const ap = node.additionalProperties;
      const e = prop ? coerceError(child(key), v, prop) : typeof ap === 'object' ? coerceError(`${path}[${key}]`, v, ap) : undefined;
      if (e) return e;
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const e = coerceError(`${path}[${i}]`, x[i], node.items);
      if (e) return e;
    }
  }
  return undefined;
}

function aggregate(errs: readonly FieldError[]): string {
  const msgs = errs.map(fieldErrorMessage);
  return msgs.length === 1 ? (msgs[0] as string) : `[${msgs.join(', ')}]`;
}

interface Walk {
  requirePruned: boolean;
  out: FieldError[];
}

function checkDefault(s: SchemaNode, root: SchemaNode, path: string, steps: readonly Step[], insideMeta: boolean, w: Walk): void {
  const def = s.default;
  const at = `${path}.default`;
  if (insideMeta) {
    const obj = surroundingObject(steps, jsonClone(def));
    const ce = coerceError('', obj, root);
    if (ce) {
      w.out.push(invalidValue(at, def, `must result in valid metadata: ${fieldErrorMessage(ce)}`));
      return;
    }
    const me = validateAsEmbeddedResource(root, obj, '');
    if (me.length > 0) {
      w.out.push(invalidValue(at, def, `must result in valid metadata: ${aggregate(me)}`));
      return;
    }
    w.out.push(...validateSchemaValue(s, def, at));
    return;
  }
  if (w.requirePruned) {
    const pruned = jsonClone(def);
    prune(pruned, s, { isResourceRoot: s.embeddedResource, coerceEmbeddedMetadata: false });
    if (!deepEqual(pruned, def)) w.out.push(invalidValue(at, def, 'must not have unknown fields'));
  }
  const ce = coerceError(at, def, s);
  if (ce) {
    w.out.push(ce);
    return;
  }
  const me = validateEmbeddedResources(s, def, at);
  if (me.length > 0) {
    w.out.push(...me);
    return;
  }
  w.out.push(...validateSchemaValue(s, def, at));
}

function walk(s: SchemaNode, root: SchemaNode, path: string, steps: readonly Step[], insideMeta: boolean, w: Walk): void {
  if (s.embeddedResource) {
    insideMeta = false;
    steps = [];
    root = s;
  }
  if (s.hasDefault) checkDefault(s, root, path, steps, insideMeta, w);
  if (s.items) walk(s.items, root, `${path}.items`, [...steps, { index: true }], insideMeta, w);
  for (const [k, sub] of s.properties ?? []) {
    walk(sub, root, `${path}.properties[${k}]`, [...steps, { key: k }], insideMeta || (s.embeddedResource && metaKeys.has(k)), w);
  }
}

/**
 * Errors of the defaults in a CRD schema at `path` (the openAPIV3Schema), e.g.
 * `...properties[replicas].default: Invalid value: "string":  in body must be of type integer: "string"` (names
 * in messages are relative to the defaulted value, empty for the value itself). Defaults under
 * additionalProperties are not checked, as in Kubernetes.
 */
export function defaultErrors(schema: JSONSchemaProps, path: string, requirePrunedDefaults = true): FieldError[] {
  const compiled = compileNode(schema, { flavor: 'structural' });
  // The resource root is checked as an embedded resource.
  const root: SchemaNode = { ...compiled, embeddedResource: true, subtreeHasEmbedded: true };
  const w: Walk = { requirePruned: requirePrunedDefaults, out: [] };
  walk(root, root, path, [], false, w);
  return w.out;
}
