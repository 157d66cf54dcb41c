// A CRD schema compiled once into a tree of nodes that validation, pruning, defaulting and the CEL hook walk
// without looking anything up again: regular expressions built, formats resolved, subtree flags computed.
import { formatChecker, supportedFormat } from './formats.js';
import { compileGoRegexp, type GoRegexp } from './go-regexp.js';
import type { JSONSchemaProps } from './types.js';

/** One compiled schema node. `schema` is the JSON it was built from. */
export interface SchemaNode {
  readonly schema: JSONSchemaProps;
  /** `type` as written ('' when absent). */
  readonly type: string;
  /** The type list validation checks: [type], ['integer','string'] for int-or-string, [] for none. */
  readonly types: readonly string[];
  /** `types` as bits (see typeBit), for fast checks. */
  readonly typeMask: number;
  readonly nullable: boolean;
  /** The format kept for validation (unsupported formats dropped, as Kubernetes does). */
  readonly format: string;
  readonly formatCheck: ((s: string) => boolean) | undefined;
  readonly properties: ReadonlyMap<string, SchemaNode> | undefined;
  /** A schema node, `true` (any value, no schema), `false` (no extra keys), or undefined (not set). */
  readonly additionalProperties: SchemaNode | boolean | undefined;
  readonly items: SchemaNode | undefined;
  readonly allOf: readonly SchemaNode[];
  readonly anyOf: readonly SchemaNode[];
  readonly oneOf: readonly SchemaNode[];
  readonly not: SchemaNode | undefined;
  /** Some of allOf, anyOf, oneOf, not is set. */
  readonly hasJunctors: boolean;
  readonly enum: readonly unknown[] | undefined;
  readonly required: readonly string[];
  readonly pattern: GoRegexp | undefined;
  readonly preserveUnknownFields: boolean;
  readonly embeddedResource: boolean;
  readonly intOrString: boolean;
  readonly listType: string | undefined;
  readonly listMapKeys: readonly string[];
  readonly mapType: string | undefined;
  /** True when the schema names a default (a JSON null default counts as none, as in Kubernetes). */
  readonly hasDefault: boolean;
  readonly default: unknown;
  /** Some node at or below this one (through properties, additionalProperties, items) has a default. */
  readonly subtreeHasDefaults: boolean;
  /** Some node at or below this one carries x-kubernetes-validations. */
  readonly subtreeHasRules: boolean;
  /** Some node at or below this one is an embedded resource. */
  readonly subtreeHasEmbedded: boolean;
  /** Some node at or below this one has a set or map list type. */
  readonly subtreeHasListTypes: boolean;
}

/** The bit of a type name in SchemaNode.typeMask. */
export const typeBit: Readonly<Record<string, number>> = { string: 1, integer: 2, number: 4, boolean: 8, array: 16, object: 32, null: 64 };

/** How to build the type and format of nodes. */
export interface CompileOptions {
  /**
   * 'crd' (default): as Kubernetes validates custom resources (int-or-string checks integer or string,
   * unsupported formats dropped). 'structural': as it validates defaults in a CRD (no such rewriting).
   */
  flavor?: 'crd' | 'structural';
}

function build(s: JSONSchemaProps, opts: CompileOptions, seen: Map<JSONSchemaProps, SchemaNode>): SchemaNode {
  const cached = seen.get(s);
  if (cached) return cached;
  const flavor = opts.flavor ?? 'crd';
  const type = s.type ?? '';
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const types = flavor === 'crd' && intOrString ? ['integer', 'string'] : type ? [type] : [];
  const format = flavor === 'crd' ? supportedFormat(types.length === 1 ? type : '', s.format) : (s.format ?? '');
  let properties: Map<string, SchemaNode> | undefined;
  if (s.properties) {
    properties = new Map();
    for (const [k, v] of Object.entries(s.properties)) properties.set(k, build(v, opts, seen));
  }
  const ap = s.additionalProperties;
  const additionalProperties = ap === undefined ? undefined : typeof ap === 'boolean' ? ap : build(ap, opts, seen);
  const items = s.items !== undefined && !Array.isArray(s.items) ? build(s.items, opts, seen) : undefined;
  const sub = (xs: JSONSchemaProps[] | undefined): SchemaNode[] => (xs ?? []).map((x) => build(x, opts, seen));
  const children: SchemaNode[] = [...(properties?.values() ?? []), ...(typeof additionalProperties === 'object' ? [additionalProperties] : []), ...(items ? [items] : [])];
  const hasDefault = s.default !== undefined && s.default !== null;
  const node: SchemaNode = {
    schema: s,
    type,
    types,
    typeMask: types.reduce((m, t) => m | (typeBit[t] ?? 0), 0),
    nullable: s.nullable === true,
    format,
    formatCheck: formatChecker(format),
    properties,
    additionalProperties,
    items,
    allOf: sub(s.allOf),
    anyOf: sub(s.anyOf),
    oneOf: sub(s.oneOf),
    not: s.not ? build(s.not, opts, seen) : undefined,
    hasJunctors: (s.allOf?.length ?? 0) + (s.anyOf?.length ?? 0) + (s.oneOf?.length ?? 0) > 0 || s.not !== undefined,
    enum: s.enum,
    required: s.required ?? [],
    pattern: s.pattern ? compileGoRegexp(s.pattern) : undefined,
    preserveUnknownFields: s['x-kubernetes-preserve-unknown-fields'] === true,
    embeddedResource: s['x-kubernetes-embedded-resource'] === true,
    intOrString,
    listType: s['x-kubernetes-list-type'],
    listMapKeys: s['x-kubernetes-list-map-keys'] ?? [],
    mapType: s['x-kubernetes-map-type'],
    hasDefault,
    default: hasDefault ? s.default : undefined,
    subtreeHasDefaults: hasDefault || children.some((c) => c.subtreeHasDefaults),
    subtreeHasRules: (s['x-kubernetes-validations']?.length ?? 0) > 0 || children.some((c) => c.subtreeHasRules),
    subtreeHasEmbedded: s['x-kubernetes-embedded-resource'] === true || children.some((c) => c.subtreeHasEmbedded),
    subtreeHasListTypes: s['x-kubernetes-list-type'] === 'set' || s['x-kubernetes-list-type'] === 'map' || children.some((c) => c.subtreeHasListTypes),
  };
  seen.set(s, node);
  return node;
}

const cache = { crd: new WeakMap<JSONSchemaProps, SchemaNode>(), structural: new WeakMap<JSONSchemaProps, SchemaNode>() };

/**
 * Compiles a schema into nodes, once per schema object and flavor (schemas are treated as immutable: compile a
 * copy if you change one).
 */
export function compileNode(schema: JSONSchemaProps, opts: CompileOptions = {}): SchemaNode {
  const byFlavor = cache[opts.flavor ?? 'crd'];
  let node = byFlavor.get(schema);
  if (!node) {
    node = build(schema, opts, new Map());
    byFlavor.set(schema, node);
  }
  return node;
}
