// Wire shapes and JSON forms of the Kubernetes types that do not map field by field:
// metav1.Time, MicroTime, Duration, FieldsV1, resource.Quantity, intstr.IntOrString, runtime.RawExtension.
import type { SpecialType } from './schema.js';
import { WireError, WireReader, WireType } from './wire.js';

const utf8 = new TextDecoder('utf-8');

/** Seconds of Go's zero time (0001-01-01T00:00:00Z), which Go's JSON encoder writes as null. */
const GO_ZERO_TIME_SECONDS = -62135596800;
/** Seconds of 0000-01-01 and of 10000-01-01: the years Go's RFC 3339 layout can spell. */
const MIN_SECONDS = -62167219200;
const MAX_SECONDS = 253402300800;

/** Reads a small message, handing each field to `on` with the wire type it must have; others are skipped. */
function scan(bytes: Uint8Array, wires: Record<number, number>, on: (field: number, r: WireReader) => void): void {
  const r = new WireReader(bytes);
  while (!r.done()) {
    const { field, wire } = r.tag();
    const want = wires[field];
    if (want === undefined) r.skip(wire);
    else if (wire !== want) throw new WireError(`wrong wire type ${wire} for field ${field}`);
    else on(field, r);
  }
}

const VARINT_1_2 = { 1: WireType.Varint, 2: WireType.Varint };
const BYTES_1 = { 1: WireType.Bytes };

/** Reads a Timestamp message {1 seconds, 2 nanos}. */
function timestamp(bytes: Uint8Array): { seconds: number; nanos: number } {
  let seconds = 0;
  let nanos = 0;
  scan(bytes, VARINT_1_2, (f, r) => {
    if (f === 1) seconds = r.int64();
    else nanos = r.int32();
  });
  return { seconds, nanos };
}

function rfc3339(seconds: number, micros?: number): string | null {
  if (seconds === GO_ZERO_TIME_SECONDS && !micros) return null;
  if (seconds < MIN_SECONDS || seconds >= MAX_SECONDS) throw new WireError(`time ${seconds}s is outside the years 0-9999`);
  const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z for years 0-9999
  const base = iso.slice(0, 19);
  return micros === undefined ? `${base}Z` : `${base}.${String(micros).padStart(6, '0')}Z`;
}

/** metav1.Time: whole seconds (the nanos are dropped on decode, as Kubernetes does); zero time is null. */
function timeJson(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  return rfc3339(timestamp(bytes).seconds);
}

/** metav1.MicroTime: RFC 3339 with six fractional digits; zero time is null. */
function microTimeJson(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const { seconds, nanos } = timestamp(bytes);
  // Go normalises nanos outside [0, 1e9) into the seconds.
  const extra = Math.floor(nanos / 1e9);
  const micros = Math.trunc((nanos - extra * 1e9) / 1000);
  if (seconds + extra === GO_ZERO_TIME_SECONDS && micros === 0) return null;
  return rfc3339(seconds + extra, micros);
}

/** Go's time.Duration.String(), e.g. `1h0m0s`, `1.5s`, `300ms`. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    const [unit, scale] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${fraction(u, scale)}${unit}`;
  } else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    out = `${fraction(u, 1e9)}s`;
    if (h > 0 || m > 0) out = `${m}m${out}`;
    if (h > 0) out = `${h}h${out}`;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: number, scale: number): string {
  const whole = Math.floor(v / scale);
  const rest = v - whole * scale;
  if (rest === 0) return String(whole);
  const digits = String(scale).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** metav1.Duration {1 duration (nanoseconds)} as Go's duration string. */
function durationJson(bytes: Uint8Array): string {
  let ns = 0;
  scan(bytes, { 1: WireType.Varint }, (_, r) => {
    ns = r.int64();
  });
  return goDuration(ns);
}

/** Reads the single length-delimited field 1 of a wrapper message (Quantity, RawExtension, FieldsV1). */
function field1Bytes(bytes: Uint8Array): Uint8Array | undefined {
  let out: Uint8Array | undefined;
  scan(bytes, BYTES_1, (_, r) => {
    out = r.bytes();
  });
  return out;
}

function rawJson(raw: Uint8Array | undefined, what: string): unknown {
  if (raw === undefined || raw.length === 0) return null;
  try {
    return JSON.parse(utf8.decode(raw)) as unknown;
  } catch {
    throw new WireError(`${what} does not hold JSON`);
  }
}

/** resource.Quantity {1 string}: the canonical string Kubernetes wrote. */
function quantityJson(bytes: Uint8Array): string {
  const s = field1Bytes(bytes);
  if (s === undefined) return '0';
  const q = utf8.decode(s);
  if (q === '') throw new WireError('quantities must match the regular expression');
  return q;
}

/** intstr.IntOrString {1 type, 2 intVal, 3 strVal}: a number or a string. */
function intOrStringJson(bytes: Uint8Array): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  scan(bytes, { 1: WireType.Varint, 2: WireType.Varint, 3: WireType.Bytes }, (f, r) => {
    if (f === 1) type = r.int64();
    else if (f === 2) intVal = r.int32();
    else strVal = r.string();
  });
  if (type === 0) return intVal;
  if (type === 1) return strVal;
  throw new WireError('impossible IntOrString.Type');
}

/** A list of strings wrapped in a message {1 repeated string}. */
function stringListJson(bytes: Uint8Array): string[] {
  const out: string[] = [];
  scan(bytes, BYTES_1, (_, r) => {
    out.push(r.string());
  });
  return out;
}

/** The JSON value of a special type from its message bytes (empty bytes: the Go zero value). */
export function specialJson(type: SpecialType, bytes: Uint8Array): unknown {
  switch (type) {
    case '@time':
      return timeJson(bytes);
    case '@mtime':
      return microTimeJson(bytes);
    case '@dur':
      return durationJson(bytes);
    case '@fields':
      return rawJson(field1Bytes(bytes), 'FieldsV1');
    case '@raw':
      return rawJson(field1Bytes(bytes), 'RawExtension');
    case '@qty':
      return quantityJson(bytes);
    case '@ios':
      return intOrStringJson(bytes);
    case '@strs':
      return stringListJson(bytes);
  }
}
