// Table-driven decoding of one protobuf message into the JSON object Go's encoding/json would write
// for the same Go struct (field order, omitempty, pointers, inlined embedded structs, sorted map keys).
import type { FieldDef, MessageDef, ScalarType, ValueType } from './schema.js';
import { specialJson } from './special.js';
import { WireError, WireReader, WireType } from './wire.js';

/** Looks a message definition up by qualified name. */
export type MessageLookup = (name: string) => MessageDef | undefined;

/** Nesting deeper than this is refused (no Kubernetes object comes near it). */
const MAX_DEPTH = 100;

type JsonObject = Record<string, unknown>;

/** What the wire said about one field, before it is turned into JSON. */
type Seen =
  | { kind: 'single'; value: unknown } // scalar: last one wins
  | { kind: 'chunks'; chunks: Uint8Array[] } // message or special: chunks merge, as protobuf concatenation does
  | { kind: 'list'; items: unknown[] }
  | { kind: 'map'; entries: Map<string, unknown> };

const EMPTY = new Uint8Array(0);

function wireOf(v: ValueType): number {
  if (v.kind !== 'scalar') return WireType.Bytes;
  switch (v.type) {
    case 's':
    case 'y':
      return WireType.Bytes;
    case 'f64':
      return WireType.Fixed64;
    case 'f32':
      return WireType.Fixed32;
    default:
      return WireType.Varint;
  }
}

function readScalar(r: WireReader, t: ScalarType): unknown {
  switch (t) {
    case 's':
      return r.string();
    case 'y':
      return Buffer.from(r.bytes()).toString('base64');
    case 'b':
      return r.bool();
    case 'i32':
      return r.int32();
    case 'u32':
      return r.uint32();
    case 'i64':
      return r.int64();
    case 'u64':
      return r.uint64();
    case 'f32':
      return r.float();
    case 'f64':
      return r.double();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] ?? EMPTY;
  return Buffer.concat(chunks);
}

/** Decodes message `def` from `bytes` into its Go-JSON object. Throws WireError on malformed input. */
export function decodeMessage(def: MessageDef, bytes: Uint8Array, lookup: MessageLookup, depth = 0): JsonObject {
  if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`);
  const seen = readFields(def, bytes, lookup, depth);
  const out: JsonObject = {};
  for (const f of def.fields) writeField(out, f, seen.get(f.number), lookup, depth);
  return out;
}

function readFields(def: MessageDef, bytes: Uint8Array, lookup: MessageLookup, depth: number): Map<number, Seen> {
  const seen = new Map<number, Seen>();
  const r = new WireReader(bytes);
  while (!r.done()) {
    const { field, wire } = r.tag();
    const f = def.byNumber.get(field);
    if (!f) {
      r.skip(wire); // unknown fields are ignored, as by Kubernetes' own decoder
      continue;
    }
    const want = f.map ? WireType.Bytes : wireOf(f.value);
    const packed = f.repeated && want !== WireType.Bytes && wire === WireType.Bytes;
    if (wire !== want && !packed) throw new WireError(`wrong wire type ${wire} for field ${field} (${f.json || 'inline'}) of ${def.name}`);
    if (f.map) {
      const s = seen.get(field) ?? { kind: 'map', entries: new Map<string, unknown>() };
      if (s.kind === 'map') {
        const [k, v] = readMapEntry(r.bytes(), f, lookup, depth);
        s.entries.set(k, v);
      }
      seen.set(field, s);
    } else if (f.repeated) {
      const s = seen.get(field) ?? { kind: 'list', items: [] };
      if (s.kind === 'list') {
        if (packed) {
          const inner = new WireReader(r.bytes());
          while (!inner.done()) s.items.push(readScalar(inner, (f.value as { type: ScalarType }).type));
        } else s.items.push(readValue(r, f.value, lookup, depth));
      }
      seen.set(field, s);
    } else if (f.value.kind === 'scalar') {
      seen.set(field, { kind: 'single', value: readScalar(r, f.value.type) });
    } else {
      const s = seen.get(field) ?? { kind: 'chunks', chunks: [] };
      if (s.kind === 'chunks') s.chunks.push(r.bytes());
      seen.set(field, s);
    }
  }
  return seen;
}

/** Reads one list element or map value of type `v` at the reader's position. */
function readValue(r: WireReader, v: ValueType, lookup: MessageLookup, depth: number): unknown {
  if (v.kind === 'scalar') return readScalar(r, v.type);
  return valueFromBytes(v, r.bytes(), lookup, depth);
}

/** The JSON of a message or special value from its bytes. */
function valueFromBytes(v: ValueType, bytes: Uint8Array, lookup: MessageLookup, depth: number): unknown {
  if (v.kind === 'special') return specialJson(v.type, bytes);
  if (v.kind === 'message') return decodeMessage(mustLookup(lookup, v.name), bytes, lookup, depth + 1);
  throw new WireError('scalar value in a message position');
}

function mustLookup(lookup: MessageLookup, name: string): MessageDef {
  const def = lookup(name);
  // Tables are checked when compiled, so a miss here is a bug in kin, not bad input.
  if (!def) throw new Error(`protobuf table for ${name} is missing`);
  return def;
}

/** The Go zero value of a map value or absent scalar, as JSON. */
function zeroJson(v: ValueType, lookup: MessageLookup, depth: number): unknown {
  if (v.kind === 'scalar') {
    if (v.type === 's') return '';
    if (v.type === 'b') return false;
    if (v.type === 'y') return null; // a nil []byte
    return 0;
  }
  return valueFromBytes(v, EMPTY, lookup, depth);
}

/** Map entries are messages {1 key, 2 value}; a missing part is its zero value. */
function readMapEntry(bytes: Uint8Array, f: FieldDef, lookup: MessageLookup, depth: number): [string, unknown] {
  const r = new WireReader(bytes);
  let key = '';
  let value: unknown;
  let valueSeen = false;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      if (wire !== WireType.Bytes) throw new WireError(`wrong wire type ${wire} for a map key of ${f.json}`);
      key = r.string();
    } else if (field === 2) {
      if (wire !== wireOf(f.value)) throw new WireError(`wrong wire type ${wire} for a map value of ${f.json}`);
      value = readValue(r, f.value, lookup, depth);
      valueSeen = true;
    } else r.skip(wire);
  }
  if (!valueSeen) value = f.value.kind === 'scalar' && f.value.type === 'y' ? '' : zeroJson(f.value, lookup, depth);
  return [key, value];
}

function isZeroScalar(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

/** Writes one field into `out` following Go's encoding/json rules for its kind. */
function writeField(out: JsonObject, f: FieldDef, s: Seen | undefined, lookup: MessageLookup, depth: number): void {
  // Embedded struct: its fields go straight into the parent object.
  if (f.json === '') {
    const bytes = s?.kind === 'chunks' ? concat(s.chunks) : EMPTY;
    Object.assign(out, valueFromBytes(f.value, bytes, lookup, depth));
    return;
  }
  if (f.map) {
    const entries = s?.kind === 'map' ? s.entries : undefined;
    if (entries && entries.size > 0) {
      const obj: JsonObject = {};
      for (const k of [...entries.keys()].sort()) obj[k] = entries.get(k);
      out[f.json] = obj;
    } else if (f.always) out[f.json] = null; // a nil map
    return;
  }
  if (f.repeated) {
    const items = s?.kind === 'list' ? s.items : undefined;
    if (items && items.length > 0) out[f.json] = items;
    else if (f.always) out[f.json] = null; // a nil slice
    return;
  }
  if (f.value.kind === 'scalar') {
    const present = s?.kind === 'single';
    const value = present ? s.value : undefined;
    if (f.pointer) {
      if (present) out[f.json] = value;
      else if (f.always) out[f.json] = null;
      return;
    }
    const v = present ? value : zeroJson(f.value, lookup, depth);
    if (f.value.type === 'y') {
      // []byte: nil and empty both count as empty for omitempty.
      if (v === null || v === '') {
        if (f.always) out[f.json] = v;
        return;
      }
      out[f.json] = v;
      return;
    }
    if (!f.always && isZeroScalar(v)) return;
    out[f.json] = v;
    return;
  }
  // Messages and special types.
  const present = s?.kind === 'chunks';
  if (f.pointer && !present) {
    if (f.always) out[f.json] = null;
    return;
  }
  out[f.json] = valueFromBytes(f.value, present ? concat(s.chunks) : EMPTY, lookup, depth);
}
