// Removes what Kubernetes' decoder would not keep: fields the schema does not know, and nulls (Go leaves the
// zero value, which is then omitted). This is what fieldValidation=Warn and =Ignore store.
import type { Definitions, OpenApiSchema } from '../../api/index.js';
import { rootSchema } from './check.js';
import { nodeOf, type Node } from './compiled.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's zero value for a null map value or list item of this kind (null where Go would write null). */
function zeroValue(node: Node): unknown {
  switch (node.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'struct':
      return {};
    default:
      return null;
  }
}

function prune(value: unknown, node: Node, defs: Definitions): unknown {
  if (value === null) return value;
  if (node.kind === 'array') {
    if (!Array.isArray(value) || !node.element) return value;
    const item = nodeOf(node.element, defs);
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const nv = v === null ? zeroValue(item) : prune(v, item, defs);
      if (nv !== v) (out ??= value.slice())[i] = nv;
    }
    return out ?? value;
  }
  if ((node.kind !== 'struct' && node.kind !== 'map') || !isObject(value)) return value;
  const props = node.props;
  const extra = node.element === undefined ? undefined : nodeOf(node.element, defs);
  let out: Record<string, unknown> | undefined;
  for (const k in value) {
    const v = value[k];
    const declared: OpenApiSchema | undefined = props?.[k];
    const sub = declared !== undefined ? nodeOf(declared, defs) : extra;
    if (sub === undefined) {
      if (node.preserve) continue;
      out ??= { ...value };
      delete out[k];
      continue;
    }
    if (v === null) {
      // A null struct field is dropped; a null map value becomes the element's zero value, as Go stores it.
      const nv = declared !== undefined ? null : zeroValue(sub);
      out ??= { ...value };
      if (nv === null) delete out[k];
      else out[k] = nv;
      continue;
    }
    const nv = prune(v, sub, defs);
    if (nv !== v) (out ??= { ...value })[k] = nv;
  }
  return out ?? value;
}

/**
 * A copy of `obj` without unknown fields and null struct fields (the input is not changed; parts that need no
 * change are shared, and `obj` itself is returned when nothing changes).
 */
export function dropUnknown<T>(obj: T, schemaName: string, defs: Definitions): T {
  return prune(obj, nodeOf(rootSchema(schemaName), defs), defs) as T;
}
