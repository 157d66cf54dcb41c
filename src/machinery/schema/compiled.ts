// Field schemas compiled once into what the checker needs (kind of value, resolved component, Go names), so a
// check walks plain objects instead of following references and re-deriving facts on every request.
import type { Definitions, OpenApiSchema } from '../../api/index.js';
import { acceptsAnything, goElementType, goTypeName, isIntOrString, isQuantity, resolveSchema, shortName, type ResolvedSchema } from './resolve.js';

/** What a field accepts. */
export type NodeKind =
  | 'any'
  | 'intOrString'
  | 'quantity'
  | 'time'
  | 'microTime'
  | 'string'
  | 'bytes'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'array'
  | 'map'
  | 'struct';

/** One field schema, compiled. */
export interface Node {
  kind: NodeKind;
  /** For integers: the largest magnitude allowed (int32 or int64). */
  max: number;
  /** The field schema (for Go type names, computed only when an error is reported). */
  field: OpenApiSchema;
  resolved: ResolvedSchema;
  /** Go name of the struct (component short name; '' for inline objects). */
  structName: string;
  /** Unknown fields are kept (x-kubernetes-preserve-unknown-fields or additionalProperties: true). */
  preserve: boolean;
  /** For structs: the schema of each property; for maps: undefined. */
  props: Record<string, OpenApiSchema> | undefined;
  /** For arrays: the item schema; for maps (and structs with additionalProperties): the value schema. */
  element: OpenApiSchema | undefined;
}

const int32Max = 2 ** 31 - 1;
const int64Max = 2 ** 63;

function compile(field: OpenApiSchema, defs: Definitions): Node {
  const r = resolveSchema(field, defs);
  const s = r.schema;
  const node: Node = {
    kind: 'any',
    max: int32Max,
    field,
    resolved: r,
    structName: r.name === undefined ? '' : shortName(r.name),
    preserve: s['x-kubernetes-preserve-unknown-fields'] === true || field['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true,
    props: undefined,
    element: undefined,
  };
  if (acceptsAnything(r)) return node;
  if (isIntOrString(field, r)) return { ...node, kind: 'intOrString' };
  if (isQuantity(r)) return { ...node, kind: 'quantity' };
  if (r.name === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time') return { ...node, kind: 'time' };
  if (r.name === 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime') return { ...node, kind: 'microTime' };
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  switch (s.type) {
    case 'string':
      return { ...node, kind: s.format === 'byte' ? 'bytes' : 'string' };
    case 'integer':
      return { ...node, kind: 'integer', max: s.format === 'int64' ? int64Max : int32Max };
    case 'number':
      return { ...node, kind: 'number' };
    case 'boolean':
      return { ...node, kind: 'boolean' };
    case 'array':
      return { ...node, kind: 'array', element: s.items };
    default:
      if (s.properties === undefined && extra !== undefined) return { ...node, kind: 'map', element: extra };
      if (s.type === 'object' || s.properties !== undefined || s.additionalProperties !== undefined) {
        return { ...node, kind: 'struct', props: s.properties ?? {}, element: extra };
      }
      return node;
  }
}

const caches = new WeakMap<Definitions, WeakMap<OpenApiSchema, Node>>();

/** The compiled form of a field schema (cached per definitions map and schema object). */
export function nodeOf(field: OpenApiSchema, defs: Definitions): Node {
  let cache = caches.get(defs);
  if (!cache) caches.set(defs, (cache = new WeakMap()));
  let node = cache.get(field);
  if (!node) cache.set(field, (node = compile(field, defs)));
  return node;
}

/** The Go type named in errors for a node, honouring a type recorded on an enclosing list or map. */
export function goTypeOf(node: Node, defs: Definitions, override: string | undefined): string {
  return override ?? goTypeName(node.field, defs);
}

/** The recorded Go type of a list's items or a map's values, if the field records one. */
export function elementGoType(node: Node, override: string | undefined): string | undefined {
  return goElementType(override ?? node.field['x-kin-go-type']);
}
