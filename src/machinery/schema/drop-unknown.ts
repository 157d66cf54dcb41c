// Removes what Kubernetes' decoder would not keep: fields the schema does not know, and nulls (Go leaves the
// zero value, which is then omitted). This is what fieldValidation=Warn and =Ignore store.
import type { Definitions, OpenApiSchema } from '../../api/index.js';
import { acceptsAnything, isIntOrString, isQuantity, resolveSchema } from './resolve.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's zero value for a null map value or list item of this schema. */
function zeroValue(field: OpenApiSchema, defs: Definitions): unknown {
  const r = resolveSchema(field, defs);
  if (acceptsAnything(r) || isIntOrString(field, r) || isQuantity(r)) return null;
  switch (r.schema.type) {
    case 'string':
      return r.schema.format === 'date-time' ? null : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return null;
    default:
      return r.schema.properties !== undefined ? {} : null;
  }
}

function prune(value: unknown, field: OpenApiSchema, defs: Definitions): unknown {
  if (value === null) return value;
  const r = resolveSchema(field, defs);
  if (acceptsAnything(r) || isIntOrString(field, r) || isQuantity(r)) return value;
  const s = r.schema;
  if (Array.isArray(value)) {
    const items = s.items;
    if (s.type !== 'array' || !items) return value;
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const nv = v === null ? zeroValue(items, defs) : prune(v, items, defs);
      if (nv !== v) (out ??= value.slice())[i] = nv;
    });
    return out ?? value;
  }
  if (!isObject(value)) return value;
  const extra = s.additionalProperties;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true || field['x-kubernetes-preserve-unknown-fields'] === true;
  const props = s.properties;
  if (props === undefined && typeof extra !== 'object' && s.type !== 'object') return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const child = props?.[k];
    const sub = child ?? (typeof extra === 'object' ? extra : undefined);
    if (sub === undefined) {
      if (preserve || extra === true) continue;
      out ??= { ...value };
      delete out[k];
      continue;
    }
    if (v === null) {
      // A null struct field is dropped; a null map value becomes the element's zero value, as Go stores it.
      const nv = child !== undefined ? undefined : zeroValue(sub, defs);
      out ??= { ...value };
      if (nv === undefined || nv === null) delete out[k];
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
  return prune(obj, { $ref: '#/components/schemas/' + schemaName }, defs) as T;
}
