// The compact field-table form kin records Kubernetes protobuf messages in, and its compiled shape.
//
// A package table maps a message name to a space-separated list of fields, each `number:jsonName:type[mods]`
// in Go struct order (the order Go's JSON encoder writes them):
//   type  s string · b bool · i32 int32 · i64 int64 · u32 · u64 · f32 float · f64 double · y bytes (base64 in JSON)
//         @time metav1.Time · @mtime metav1.MicroTime · @dur metav1.Duration · @fields metav1.FieldsV1
//         @qty resource.Quantity · @ios intstr.IntOrString · @raw runtime.RawExtension
//         @strs a string list wrapped in a message {1 repeated string} (authentication ExtraValue)
//         Name a message of the same package · pkg/v.Name a message of another package
//         [T] repeated T · {T} map<string, T>
//   mods  ? Go pointer: written when set, so a present zero value is kept and an absent one omitted
//         ! no `omitempty` in the Go JSON tag: an absent value is still written (zero value, or null)
//   An empty jsonName marks an embedded struct whose fields Go's JSON encoder inlines into the parent.
// Without mods a field is a non-pointer `omitempty` field: its zero value ("", 0, false, empty list) is dropped.
// Non-pointer structs (messages and @time, @qty, @ios …) are never dropped, as in Go.

/** Field tables of one API package (e.g. `core/v1`), in the compact form above. */
export interface PackageTable {
  package: string;
  messages: Record<string, string>;
}

/** Scalar type codes. */
export type ScalarType = 's' | 'b' | 'i32' | 'i64' | 'u32' | 'u64' | 'f32' | 'f64' | 'y';

/** Types with their own wire shape and JSON form. */
export type SpecialType = '@time' | '@mtime' | '@dur' | '@fields' | '@qty' | '@ios' | '@raw' | '@strs';

/** A field's value type: a scalar, a special type, or a message (qualified name). */
export type ValueType = { kind: 'scalar'; type: ScalarType } | { kind: 'special'; type: SpecialType } | { kind: 'message'; name: string };

/** One compiled field. */
export interface FieldDef {
  number: number;
  /** JSON name; empty for an inlined embedded struct. */
  json: string;
  value: ValueType;
  repeated: boolean;
  map: boolean;
  /** Go pointer field: present values are always written. */
  pointer: boolean;
  /** Go field without omitempty: absent values are written as zero or null. */
  always: boolean;
}

/** One compiled message: fields in JSON order and by number. */
export interface MessageDef {
  name: string;
  fields: FieldDef[];
  byNumber: Map<number, FieldDef>;
}

const SCALARS = new Set<string>(['s', 'b', 'i32', 'i64', 'u32', 'u64', 'f32', 'f64', 'y']);
const SPECIALS = new Set<string>(['@time', '@mtime', '@dur', '@fields', '@qty', '@ios', '@raw', '@strs']);

function parseValue(code: string, pkg: string): ValueType {
  if (SCALARS.has(code)) return { kind: 'scalar', type: code as ScalarType };
  if (SPECIALS.has(code)) return { kind: 'special', type: code as SpecialType };
  if (!/^([a-z0-9]+\/v[0-9a-z]+\.)?[A-Z]\w*$/.test(code)) throw new Error(`bad type code ${code}`);
  return { kind: 'message', name: code.includes('.') ? code : `${pkg}.${code}` };
}

/** Parses one field spec such as `3:template:core/v1.PodTemplateSpec!`. */
export function parseField(spec: string, pkg: string): FieldDef {
  const m = /^(\d+):(\w*):(\[[^\]]+\]|\{[^}]+\}|[^?!\s]+)([?!]*)$/.exec(spec);
  if (!m) throw new Error(`bad field spec "${spec}" in ${pkg}`);
  const [, num = '', json = '', type = '', mods = ''] = m;
  const repeated = type.startsWith('[');
  const map = type.startsWith('{');
  const value = parseValue(repeated || map ? type.slice(1, -1) : type, pkg);
  const field: FieldDef = { number: Number(num), json, value, repeated, map, pointer: mods.includes('?'), always: mods.includes('!') };
  if (json === '' && (value.kind !== 'message' || repeated || map || field.pointer)) throw new Error(`inline field ${spec} in ${pkg} must be a plain message`);
  return field;
}

/** Compiles package tables into one registry keyed by qualified name (`core/v1.PodSpec`); checks every reference. */
export function compileTables(tables: readonly PackageTable[]): Map<string, MessageDef> {
  const registry = new Map<string, MessageDef>();
  for (const t of tables) {
    for (const [name, specs] of Object.entries(t.messages)) {
      const fields = specs.split(' ').filter(Boolean).map((s) => parseField(s, t.package));
      const byNumber = new Map<number, FieldDef>();
      for (const f of fields) {
        if (byNumber.has(f.number)) throw new Error(`field number ${f.number} used twice in ${t.package}.${name}`);
        byNumber.set(f.number, f);
      }
      registry.set(`${t.package}.${name}`, { name: `${t.package}.${name}`, fields, byNumber });
    }
  }
  for (const def of registry.values()) {
    for (const f of def.fields) {
      if (f.value.kind === 'message' && !registry.has(f.value.name)) throw new Error(`${def.name}.${f.json || f.number} refers to unknown message ${f.value.name}`);
    }
  }
  return registry;
}
