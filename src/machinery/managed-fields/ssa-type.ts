// The type information field ownership needs, read from OpenAPI schemas: which objects are atomic, how lists are
// keyed (map lists, sets, atomic lists) and which fields Go's zero value already holds. Built lazily and cached.
import { builtinDefinitions } from '../../api/generated/index.js';
import type { Definitions, OpenApiSchema } from '../../api/index.js';
import { resolveSchema } from '../schema/index.js';
import { goZeroFields } from './go-zero-table.js';

/**
 * How server-side apply sees a value of some type. A type describes objects (`map`), lists (`list`) or neither
 * (a scalar: maps or lists found there are treated as atomic values). Types are shared and immutable.
 */
export interface SsaType {
  /** How objects of this type merge; undefined when the type is not an object (such a value is atomic). */
  readonly map: MapShape | undefined;
  /** How lists of this type merge; undefined when the type is not a list (such a value is atomic). */
  readonly list: ListShape | undefined;
  /** Untyped content (x-kubernetes-preserve-unknown-fields, raw extensions): objects granular, lists atomic. */
  readonly deduced: boolean;
  /** Fields present in Go's zero value of this built-in object type, with their zero (`{}` for a struct). */
  readonly zero: Readonly<Record<string, unknown>> | undefined;
}

/** Objects: a struct with declared fields, a map with an element type, or both. */
export interface MapShape {
  /** `x-kubernetes-map-type: atomic`: the object is owned and replaced as a whole. */
  readonly atomic: boolean;
  /** The type of a field or map entry; undefined when the schema declares neither. */
  field(name: string): SsaType | undefined;
  /** True for a declared (struct) field, false for a map entry. */
  named(name: string): boolean;
}

/** Lists: atomic, a set of scalars (no keys) or a map keyed by some fields of the items. */
export interface ListShape {
  /** `x-kubernetes-list-type: atomic` (or no list type and no merge strategy): owned and replaced as a whole. */
  readonly atomic: boolean;
  /** The key fields of a map list (`x-kubernetes-list-map-keys`); undefined for a set. */
  readonly keys: readonly string[] | undefined;
  /** The type of the items. */
  readonly element: SsaType;
  /** The default of a key field, used when an item omits it (`protocol: TCP` of ports). */
  keyDefault(name: string): unknown;
}

interface MutableType {
  map: MapShape | undefined;
  list: ListShape | undefined;
  deduced: boolean;
  zero: undefined;
}

/** A type that is the same at every depth; objects are atomic or granular, lists always atomic. */
function fixedType(deduced: boolean, atomicObjects: boolean, listItems: () => SsaType): SsaType {
  const t: MutableType = { map: undefined, list: undefined, deduced, zero: undefined };
  t.map = { atomic: atomicObjects, field: () => (deduced ? t : atomicType), named: () => false };
  t.list = {
    atomic: true,
    keys: undefined,
    get element() {
      return listItems();
    },
    keyDefault: () => undefined,
  };
  return t;
}

/** Atomic untyped values (and scalars): owned and replaced as a whole whatever their shape. */
export const atomicType: SsaType = fixedType(false, true, () => atomicType);
/** Untyped values whose objects merge field by field (preserved unknown fields, raw extensions). */
export const deducedType: SsaType = fixedType(true, false, () => atomicType);

/** The defaults of list-map key fields of built-in items, from Kubernetes' `+default` markers. */
const builtinKeyDefaults: Record<string, Record<string, unknown>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.LocalObjectReference': { name: '' },
};

const anyJsonComponents = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
]);
const scalarComponents = new Set(['io.k8s.apimachinery.pkg.api.resource.Quantity', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString']);

interface Ctx {
  defs: Definitions;
  goZero: boolean;
  cache: WeakMap<OpenApiSchema, SsaType>;
}

function ext<K extends keyof OpenApiSchema>(field: OpenApiSchema, resolved: OpenApiSchema, k: K): OpenApiSchema[K] {
  return field[k] ?? resolved[k];
}

/** The type of a value described by `field` (a property schema, possibly a `$ref` with extensions of its own). */
function typeOf(field: OpenApiSchema, ctx: Ctx): SsaType {
  const hit = ctx.cache.get(field);
  if (hit) return hit;
  const t = build(field, ctx);
  ctx.cache.set(field, t);
  return t;
}

function build(field: OpenApiSchema, ctx: Ctx): SsaType {
  const r = resolveSchema(field, ctx.defs);
  const s = r.schema;
  if (r.name !== undefined && anyJsonComponents.has(r.name)) return deducedType;
  if (r.name !== undefined && scalarComponents.has(r.name)) return atomicType;
  if (ext(field, s, 'x-kubernetes-int-or-string') === true) return atomicType;
  if (s.type === 'array') return new ListType(field, s, ctx);
  if (s.type === 'object' || s.properties !== undefined || s.additionalProperties !== undefined) return new MapType(field, s, r.name, ctx);
  if (s.type === undefined && s.items === undefined) return deducedType;
  return atomicType;
}

class MapType implements SsaType, MapShape {
  readonly list = undefined;
  readonly deduced = false;
  readonly atomic: boolean;
  readonly zero: Readonly<Record<string, unknown>> | undefined;
  private readonly fields = new Map<string, SsaType | undefined>();

  constructor(
    field: OpenApiSchema,
    private readonly schema: OpenApiSchema,
    name: string | undefined,
    private readonly ctx: Ctx,
  ) {
    this.atomic = ext(field, schema, 'x-kubernetes-map-type') === 'atomic';
    this.zero = ctx.goZero && name !== undefined ? goZeroFields[name] : undefined;
  }

  get map(): MapShape {
    return this;
  }

  field(name: string): SsaType | undefined {
    let t = this.fields.get(name);
    if (t !== undefined || this.fields.has(name)) return t;
    const prop = this.schema.properties?.[name];
    const extra = this.schema.additionalProperties;
    if (prop) t = typeOf(prop, this.ctx);
    else if (typeof extra === 'object') t = typeOf(extra, this.ctx);
    else if (extra === true || this.schema['x-kubernetes-preserve-unknown-fields'] === true) t = deducedType;
    this.fields.set(name, t);
    return t;
  }

  named(name: string): boolean {
    return this.schema.properties?.[name] !== undefined;
  }
}

class ListType implements SsaType, ListShape {
  readonly map = undefined;
  readonly deduced = false;
  readonly zero = undefined;
  readonly atomic: boolean;
  readonly keys: readonly string[] | undefined;
  private elementType: SsaType | undefined;
  private readonly itemSchema: OpenApiSchema;
  private readonly itemName: string | undefined;

  constructor(
    field: OpenApiSchema,
    schema: OpenApiSchema,
    private readonly ctx: Ctx,
  ) {
    this.itemSchema = schema.items ?? {};
    this.itemName = resolveSchema(this.itemSchema, ctx.defs).name;
    const listType = ext(field, schema, 'x-kubernetes-list-type');
    if (listType !== undefined) {
      this.atomic = listType === 'atomic';
      this.keys = listType === 'map' ? (ext(field, schema, 'x-kubernetes-list-map-keys') ?? []) : undefined;
    } else {
      // Without a list type, the strategic-merge-patch strategy decides (as Kubernetes' schema conversion does).
      const strategy = ext(field, schema, 'x-kubernetes-patch-strategy');
      const merge = strategy === 'merge' || strategy === 'merge,retainKeys';
      const key = ext(field, schema, 'x-kubernetes-patch-merge-key');
      this.atomic = !merge;
      this.keys = merge && typeof key === 'string' ? [key] : undefined;
    }
  }

  get list(): ListShape {
    return this;
  }

  get element(): SsaType {
    return (this.elementType ??= typeOf(this.itemSchema, this.ctx));
  }

  keyDefault(name: string): unknown {
    const item = resolveSchema(this.itemSchema, this.ctx.defs).schema;
    const d = item.properties?.[name]?.default;
    if (d !== undefined) return d;
    return this.itemName !== undefined ? builtinKeyDefaults[this.itemName]?.[name] : undefined;
  }
}

const contexts = new WeakMap<Definitions, { builtin: Ctx; custom: Ctx }>();
function contextsFor(defs: Definitions): { builtin: Ctx; custom: Ctx } {
  let c = contexts.get(defs);
  if (!c) {
    c = { builtin: { defs, goZero: true, cache: new WeakMap() }, custom: { defs, goZero: false, cache: new WeakMap() } };
    contexts.set(defs, c);
  }
  return c;
}

const refs = new Map<string, OpenApiSchema>();
const refTo = (name: string): OpenApiSchema => {
  let r = refs.get(name);
  if (!r) refs.set(name, (r = { $ref: '#/components/schemas/' + name }));
  return r;
};

/** The type of a built-in kind by component name (`io.k8s.api.apps.v1.Deployment`), Go zero values included. */
export function builtinType(componentName: string, defs: Definitions = builtinDefinitions()): SsaType {
  return typeOf(refTo(componentName), contextsFor(defs).builtin);
}

const kindIndexes = new WeakMap<Definitions, Map<string, string>>();

/** The type of a built-in kind by group, version and kind (`{group: 'apps', version: 'v1', kind: 'Deployment'}`). */
export function builtinTypeFor(gvk: { group: string; version: string; kind: string }, defs: Definitions = builtinDefinitions()): SsaType | undefined {
  let index = kindIndexes.get(defs);
  if (!index) {
    index = new Map();
    for (const [name, schema] of Object.entries(defs)) {
      for (const k of schema['x-kubernetes-group-version-kind'] ?? []) index.set(`${k.group}/${k.version}/${k.kind}`, name);
    }
    kindIndexes.set(defs, index);
  }
  const name = index.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
  return name === undefined ? undefined : builtinType(name, defs);
}

const customRoots = new WeakMap<OpenApiSchema, SsaType>();

/**
 * The type of a custom resource from its structural schema (`openAPIV3Schema`). `metadata` is typed as ObjectMeta
 * and `apiVersion`/`kind` as strings, as Kubernetes publishes custom resources; there are no Go zero values.
 */
export function customResourceType(schema: OpenApiSchema, defs: Definitions = builtinDefinitions()): SsaType {
  let t = customRoots.get(schema);
  if (!t) {
    const props = { ...schema.properties };
    const meta = props.metadata;
    if (!meta || (!meta.properties && !meta.$ref && !meta.allOf)) props.metadata = refTo('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    props.apiVersion ??= { type: 'string' };
    props.kind ??= { type: 'string' };
    const root: OpenApiSchema = { ...schema, type: 'object', properties: props };
    t = typeOf(root, contextsFor(defs).custom);
    customRoots.set(schema, t);
  }
  return t;
}

/** The type of any schema as written (no Go zero values): for schemas that are not whole objects. */
export function schemaType(schema: OpenApiSchema, defs: Definitions = builtinDefinitions()): SsaType {
  return typeOf(schema, contextsFor(defs).custom);
}
