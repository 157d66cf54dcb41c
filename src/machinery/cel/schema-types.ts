// From an OpenAPI schema (a CRD's structural schema) to CEL declarations and value conversions, as Kubernetes'
// SchemaDeclType does: integers are CEL ints (BigInt), objects with properties are typed objects whose fields are
// the (escaped) property names, `additionalProperties` makes a map, `x-kubernetes-int-or-string` is dyn,
// `format: byte|date|date-time|duration` give bytes, timestamps and durations, and `x-kubernetes-list-type: set|map`
// lists compare and concatenate as sets and keyed maps. Sizes (`maxItems`, `maxLength`, `maxProperties`, or the
// most that fits in a 3 MiB request) are kept for the cost estimator.
import type { Environment } from '@marcbachmann/cel-js';
import { Duration } from '@marcbachmann/cel-js/evaluator';
import { CelObject, celEquals, jsonToCel, tagList, type FieldDecl, type ObjectDecl } from './values.js';

/** An OpenAPI v3 schema node as kin's CEL environment reads it (CRD JSONSchemaProps and built-in schemas fit). */
export interface CelSchema {
  type?: string;
  format?: string;
  properties?: Record<string, CelSchema>;
  items?: CelSchema;
  additionalProperties?: CelSchema | boolean;
  required?: string[];
  maxItems?: number;
  maxLength?: number;
  maxProperties?: number;
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** What a schema node means to CEL: its type, how its JSON converts, and its size bound. */
export interface DeclNode {
  readonly celType: string;
  readonly kind: 'bool' | 'int' | 'double' | 'string' | 'bytes' | 'timestamp' | 'duration' | 'dyn' | 'list' | 'map' | 'object';
  /** Most elements (list items, map entries, string bytes) the value can have. */
  readonly maxElements: number;
  readonly items?: DeclNode;
  readonly values?: DeclNode;
  readonly fields?: ReadonlyMap<string, DeclNode>;
  readonly convert: (json: unknown) => unknown;
}

/** Kubernetes' largest accepted request (3 MiB), which bounds every unbounded list, map and string. */
export const maxRequestSizeBytes = 3 * 1024 * 1024;

const reservedProperties = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/**
 * The CEL name of a property, as Kubernetes escapes it (`__` → `__underscores__`, `.` → `__dot__`, `-` →
 * `__dash__`, `/` → `__slash__`, keywords → `__keyword__`), or undefined when the property is not accessible.
 */
export function escapePropertyName(name: string): string | undefined {
  if (reservedProperties.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (m) => (m === '__' ? '__underscores__' : m === '.' ? '__dot__' : m === '-' ? '__dash__' : '__slash__'));
}

/** Kubernetes' estimate of the smallest JSON encoding of a value of this schema. */
export function minJsonSize(s: CelSchema | undefined): number {
  if (!s) return 1;
  switch (s.type) {
    case 'boolean':
      return 4;
    case 'number':
    case 'integer':
      return 1;
    case 'string':
      if (s.format === 'duration') return 3;
      if (s.format === 'date') return 12;
      if (s.format === 'date-time') return 21;
      return 2;
    case 'array':
      return 2;
    case 'object': {
      let size = 2;
      for (const name of s.required ?? []) {
        const prop = s.properties?.[name];
        if (prop && (prop as { default?: unknown }).default === undefined) size += name.length + minJsonSize(prop) + 4;
      }
      return size;
    }
  }
  return 1;
}

/** How many times a value of this schema can occur in one request (Kubernetes' MaxCardinality). */
export function maxCardinality(s: CelSchema): number {
  return Math.floor(maxRequestSizeBytes / (minJsonSize(s) + 1));
}

function maxStringLength(s: CelSchema): number {
  if (s.format === 'duration' || s.format === 'date-time') return 32;
  if (s.format === 'date') return 12;
  return maxRequestSizeBytes - 2;
}

// Go's time.ParseDuration, to CEL's Duration; undefined when the text is not a duration.
function parseDuration(text: string): Duration | undefined {
  const units: Record<string, bigint> = { ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n };
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return new Duration(0n, 0);
  if (s === '') return undefined;
  let total = 0n;
  const re = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = units[m[3] as string] as bigint;
    const frac = m[2] ?? '';
    total += BigInt(m[1] || '0') * unit + (frac === '' ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length));
    s = s.slice(m[0].length);
  }
  if (neg) total = -total;
  return new Duration(total / 1000000000n, Number(total % 1000000000n));
}

const stringType = (maxElements: number): DeclNode => ({ celType: 'string', kind: 'string', maxElements, convert: (v) => v });

// Kubernetes' WithTypeAndObjectMeta: a resource root always exposes apiVersion, kind and metadata.name/generateName.
function withTypeAndObjectMeta(s: CelSchema): CelSchema {
  const p = s.properties ?? {};
  const meta = p.metadata;
  if (p.kind?.type === 'string' && p.apiVersion?.type === 'string' && meta?.type === 'object' && meta.properties?.name?.type === 'string' && meta.properties?.generateName?.type === 'string') {
    return s;
  }
  return {
    ...s,
    properties: {
      ...p,
      kind: { type: 'string' },
      apiVersion: { type: 'string' },
      metadata: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } },
    },
  };
}

/** Collects the object types a schema needs so they can be declared on an environment. */
export class SchemaTypes {
  private readonly objects: { name: string; decl: ObjectDecl; fieldTypes: Record<string, string>; node: DeclNode }[] = [];
  private readonly used = new Set<string>();

  /** The declaration of `schema` at `path` (a type-name prefix), or undefined when CEL cannot see it. */
  declare(schema: CelSchema, path: string, isResourceRoot = false): DeclNode | undefined {
    if (schema['x-kubernetes-int-or-string']) {
      return { celType: 'dyn', kind: 'dyn', maxElements: maxRequestSizeBytes - 2, convert: (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v) };
    }
    const s = isResourceRoot ? withTypeAndObjectMeta(schema) : schema;
    switch (s.type) {
      case 'boolean':
        return { celType: 'bool', kind: 'bool', maxElements: 0, convert: (v) => v };
      case 'integer':
        return { celType: 'int', kind: 'int', maxElements: 0, convert: (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v) };
      case 'number':
        return { celType: 'double', kind: 'double', maxElements: 0, convert: (v) => v };
      case 'string':
        return this.declareString(s);
      case 'array':
        return this.declareList(s, path);
      case 'object':
        return this.declareObject(s, path);
    }
    return undefined;
  }

  private declareString(s: CelSchema): DeclNode {
    const max = s.maxLength !== undefined ? Math.max(0, s.maxLength) : undefined;
    switch (s.format) {
      case 'byte':
        return { celType: 'bytes', kind: 'bytes', maxElements: max ?? maxStringLength(s), convert: (v) => (typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : v) };
      case 'duration':
        return { celType: 'google.protobuf.Duration', kind: 'duration', maxElements: maxStringLength(s), convert: (v) => (typeof v === 'string' ? (parseDuration(v) ?? v) : v) };
      case 'date':
      case 'date-time':
        return {
          celType: 'google.protobuf.Timestamp',
          kind: 'timestamp',
          maxElements: maxStringLength(s),
          convert: (v) => {
            if (typeof v !== 'string') return v;
            const d = new Date(s.format === 'date' ? `${v}T00:00:00Z` : v);
            return Number.isNaN(d.getTime()) ? v : d;
          },
        };
    }
    // maxLength counts code points; a code point is up to 4 bytes.
    return stringType(max !== undefined ? max * 4 : maxStringLength(s));
  }

  private declareList(s: CelSchema, path: string): DeclNode | undefined {
    if (!s.items) return undefined;
    const items = this.declare(s.items, `${path}.items`, s.items['x-kubernetes-embedded-resource'] === true);
    if (!items) return undefined;
    const maxElements = s.maxItems !== undefined ? Math.max(0, s.maxItems) : Math.floor((maxRequestSizeBytes - 2) / (minJsonSize(s.items) + 1));
    const listType = s['x-kubernetes-list-type'];
    const keys = (s['x-kubernetes-list-map-keys'] ?? []).map((k) => escapePropertyName(k) ?? k);
    const convert = (v: unknown): unknown => {
      if (!Array.isArray(v)) return v;
      const out = v.map(items.convert);
      if (listType === 'set') return tagList(out, { type: 'set' });
      if (listType === 'map') return tagList(out, { type: 'map', keys });
      return out;
    };
    return { celType: `list<${items.celType}>`, kind: 'list', maxElements, items, convert };
  }

  private declareObject(s: CelSchema, path: string): DeclNode {
    const ap = s.additionalProperties;
    if (ap !== undefined && typeof ap === 'object') {
      const values = this.declare(ap, `${path}.values`, ap['x-kubernetes-embedded-resource'] === true);
      const maxElements = s.maxProperties !== undefined ? Math.max(0, s.maxProperties) : Math.floor((maxRequestSizeBytes - 2) / (minJsonSize(ap) + 6));
      if (values) {
        const convert = (v: unknown): unknown => {
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
          const m = new Map<string, unknown>();
          for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) m.set(k, values.convert(x));
          return m;
        };
        return { celType: `map<string, ${values.celType}>`, kind: 'map', maxElements, values, convert };
      }
      return { celType: 'map<string, dyn>', kind: 'map', maxElements, convert: jsonToCel };
    }
    const name = this.uniqueName(path);
    const fields = new Map<string, DeclNode>();
    const fieldDecls = new Map<string, FieldDecl>();
    const fieldTypes: Record<string, string> = {};
    for (const [prop, ps] of Object.entries(s.properties ?? {})) {
      const cel = escapePropertyName(prop);
      if (cel === undefined) continue;
      const d = this.declare(ps, `${name}.${cel}`, ps['x-kubernetes-embedded-resource'] === true);
      if (!d) continue;
      fields.set(cel, d);
      fieldDecls.set(cel, { jsonName: prop, convert: d.convert });
      fieldTypes[cel] = d.celType;
    }
    const decl: ObjectDecl = { typeName: name, fields: fieldDecls };
    const convert = (v: unknown): unknown => {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Map) return v;
      return new (ctorOf(decl))(v as Record<string, unknown>, decl);
    };
    const node: DeclNode = { celType: name, kind: 'object', maxElements: fields.size, fields, convert };
    this.objects.push({ name, decl, fieldTypes, node });
    return node;
  }

  private uniqueName(path: string): string {
    let name = path;
    for (let i = 2; this.used.has(name); i++) name = `${path}${i}`;
    this.used.add(name);
    return name;
  }

  /**
   * Declares the collected object types (and their equality) on `env`. With `only`, just the types an expression
   * can reach from its variables through the field names it selects (declaring a large schema's hundreds of types
   * is most of a compile); such types declare only those fields. Values of the others still convert with their
   * full declarations, so equality and conversions see every field.
   */
  register(env: Environment, only?: { roots: readonly (DeclNode | undefined)[]; fieldNames: ReadonlySet<string> }): void {
    const reached = only ? reachable(only.roots, only.fieldNames) : undefined;
    for (const { name, decl, fieldTypes, node } of this.objects) {
      if (reached && !reached.has(node)) continue;
      let fields = fieldTypes;
      if (only) {
        fields = {};
        for (const [k, t] of Object.entries(fieldTypes)) if (only.fieldNames.has(k)) fields[k] = t;
      }
      env.registerType(name, { ctor: ctorOf(decl), fields } as never);
      env.registerOperator(`${name} == ${name}`, (a: unknown, b: unknown) => celEquals(a, b));
    }
  }
}

// The declarations reachable from `roots` through list items, map values and the named object fields.
function reachable(roots: readonly (DeclNode | undefined)[], fieldNames: ReadonlySet<string>): Set<DeclNode> {
  const seen = new Set<DeclNode>();
  const stack = roots.filter((r): r is DeclNode => r !== undefined);
  while (stack.length > 0) {
    const d = stack.pop() as DeclNode;
    if (seen.has(d)) continue;
    seen.add(d);
    if (d.items) stack.push(d.items);
    if (d.values) stack.push(d.values);
    if (d.fields) for (const [k, f] of d.fields) if (fieldNames.has(k)) stack.push(f);
  }
  return seen;
}

// Each object declaration converts to instances of its own class, registered under its type name in every
// environment that declares it, so the library knows their type.
const classes = new WeakMap<ObjectDecl, typeof CelObject>();

function ctorOf(decl: ObjectDecl): typeof CelObject {
  let Ctor = classes.get(decl);
  if (!Ctor) {
    Ctor = class extends CelObject {};
    Object.defineProperty(Ctor, 'name', { value: decl.typeName });
    classes.set(decl, Ctor);
  }
  return Ctor;
}

/** The class values of an object declaration are instances of (set once its types are registered). */
export function classOf(decl: ObjectDecl): typeof CelObject | undefined {
  return classes.get(decl);
}
