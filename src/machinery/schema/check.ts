// Checks a decoded JSON object against a type's schema the way Kubernetes' JSON decoder does: it finds unknown
// fields (strict field validation) and the type mismatches Go's decoder would refuse, with Go's own wording.
import type { Definitions, OpenApiSchema } from '../../api/index.js';
import {
  acceptsAnything,
  goElementType,
  goTypeName,
  isIntOrString,
  isQuantity,
  resolveSchema,
  shortName,
  type ResolvedSchema,
} from './resolve.js';
import { base64Error, quantityError, rfc3339, rfc3339Micro, timeParseError } from './scalars.js';

/** Options of checkObject. */
export interface CheckOptions {
  /** Kind and version named in the decode error; default: the schema's `x-kubernetes-group-version-kind`. */
  gvk?: { kind: string; version: string };
}

/** What checkObject found. */
export interface CheckResult {
  /** Paths of fields the schema does not know, as Kubernetes prints them (`spec.containers[0].foo`), in order. */
  unknownFields: string[];
  /** The type mismatch Go's decoder reports (the first one, or one from a custom decoder, which stops decoding). */
  typeError?: string;
  /** The full message of the 400 BadRequest Kubernetes answers for a type mismatch. */
  decodeError?: string;
  /** The message of the strict decoding error for the unknown fields (fieldValidation=Strict). */
  strictError?: string;
}

/** Kubernetes stops collecting strict decoding errors after this many. */
const maxStrictErrors = 100;
const int32Max = 2 ** 31 - 1;
const int64Max = 2 ** 63;

interface Walk {
  defs: Definitions;
  unknown: string[];
  seen: Set<string>;
  typeError?: string;
  /** A custom decoder (quantity, time, int-or-string) failed: Go stops decoding there. */
  stopped: boolean;
  /** Name of the Go struct whose field is being decoded, and the JSON names from the root (Go's error context). */
  struct: string | undefined;
  fields: string[];
}

/** The word Go's decoder uses for a JSON value's kind. */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Go's UnmarshalTypeError message in the current context. */
function typeMessage(w: Walk, value: string, goType: string): string {
  if (w.struct === undefined && w.fields.length === 0) return `json: cannot unmarshal ${value} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${value} into Go struct field ${w.struct ?? ''}.${w.fields.join('.')} of type ${goType}`;
}

/** Records a mismatch Go saves and decodes past (only the first one is reported). */
function saveError(w: Walk, message: string): void {
  w.typeError ??= message;
}

/** Records the error of a custom decoder, which ends decoding and replaces any saved mismatch. */
function fail(w: Walk, message: string): void {
  w.typeError = message;
  w.stopped = true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(w: Walk, value: unknown, field: OpenApiSchema, goOverride: string | undefined, path: string): void {
  if (value === null || w.stopped) return; // null leaves Go's zero value in place
  const r = resolveSchema(field, w.defs);
  if (acceptsAnything(r)) return;
  const goType = (): string => goOverride ?? goTypeName(field, w.defs);
  if (isIntOrString(field, r)) return checkIntOrString(w, value);
  if (isQuantity(r)) {
    const err = quantityError(value);
    if (err) fail(w, err);
    return;
  }
  const s = r.schema;
  switch (s.type) {
    case 'string':
      return checkString(w, value, r, goType);
    case 'integer':
      if (typeof value !== 'number') return saveError(w, typeMessage(w, jsonKind(value), goType()));
      if (!Number.isInteger(value) || Math.abs(value) > (s.format === 'int64' ? int64Max : int32Max)) {
        saveError(w, typeMessage(w, `number ${String(value)}`, goType()));
      }
      return;
    case 'number':
      if (typeof value !== 'number') saveError(w, typeMessage(w, jsonKind(value), goType()));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') saveError(w, typeMessage(w, jsonKind(value), goType()));
      return;
    case 'array': {
      if (!Array.isArray(value)) return saveError(w, typeMessage(w, jsonKind(value), goType()));
      const items = s.items;
      if (!items) return;
      const elemGo = goElementType(goOverride ?? field['x-kin-go-type']);
      value.forEach((v, i) => walk(w, v, items, elemGo, `${path}[${i}]`));
      return;
    }
    default:
      if (s.type === 'object' || s.properties !== undefined || s.additionalProperties !== undefined) {
        if (!isObject(value)) return saveError(w, typeMessage(w, jsonKind(value), goType()));
        return walkObject(w, value, field, r, goOverride, path);
      }
  }
}

function walkObject(w: Walk, value: Record<string, unknown>, field: OpenApiSchema, r: ResolvedSchema, goOverride: string | undefined, path: string): void {
  const s = r.schema;
  const extra = s.additionalProperties;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true || field['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.properties === undefined && typeof extra === 'object') {
    // A map: keys extend the strict path but not Go's error context.
    const elemGo = goElementType(goOverride ?? field['x-kin-go-type']);
    for (const [k, v] of Object.entries(value)) walk(w, v, extra, elemGo, path === '' ? k : `${path}.${k}`);
    return;
  }
  const props = s.properties ?? {};
  for (const [k, v] of Object.entries(value)) {
    if (w.stopped) return;
    const child = props[k];
    const childPath = path === '' ? k : `${path}.${k}`;
    if (child === undefined) {
      if (preserve || extra === true) continue;
      if (typeof extra === 'object') {
        walk(w, v, extra, undefined, childPath);
        continue;
      }
      if (!w.seen.has(childPath) && w.unknown.length < maxStrictErrors) {
        w.seen.add(childPath);
        w.unknown.push(childPath);
      }
      continue;
    }
    const savedStruct = w.struct;
    w.struct = r.name === undefined ? '' : shortName(r.name);
    w.fields.push(k);
    walk(w, v, child, undefined, childPath);
    if (!w.stopped) {
      w.fields.pop();
      w.struct = savedStruct;
    }
  }
}

function checkString(w: Walk, value: unknown, r: ResolvedSchema, goType: () => string): void {
  const timeLayout =
    r.name === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' ? rfc3339 : r.name === 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime' ? rfc3339Micro : undefined;
  if (timeLayout) {
    // metav1.Time decodes the value as a Go string first, then parses it; both failures end decoding.
    if (typeof value !== 'string') return fail(w, typeMessage(w, jsonKind(value), 'string'));
    const err = timeParseError(value, timeLayout);
    if (err) fail(w, err);
    return;
  }
  if (typeof value !== 'string') return saveError(w, typeMessage(w, jsonKind(value), goType()));
  if (r.schema.format === 'byte') {
    const err = base64Error(value);
    if (err) saveError(w, err);
  }
}

function checkIntOrString(w: Walk, value: unknown): void {
  // IntOrString decodes a quoted value as a string and anything else as an int32, through a nested decode.
  if (typeof value === 'string') return;
  if (typeof value !== 'number') return fail(w, typeMessage(w, jsonKind(value), 'int32'));
  if (!Number.isInteger(value) || Math.abs(value) > int32Max) fail(w, typeMessage(w, `number ${String(value)}`, 'int32'));
}

/** `strict decoding error: unknown field "a", unknown field "b"`: Kubernetes' message for unknown fields. */
export function strictDecodingMessage(unknownFields: readonly string[]): string {
  return 'strict decoding error: ' + unknownFieldWarnings(unknownFields).join(', ');
}

/** One `unknown field "path"` per path: the warnings of fieldValidation=Warn. */
export function unknownFieldWarnings(unknownFields: readonly string[]): string[] {
  return unknownFields.map((p) => `unknown field ${JSON.stringify(p)}`);
}

/** `Pod in version "v1" cannot be handled as a Pod: <err>`: how Kubernetes wraps a decode error. */
export function decodeErrorMessage(gvk: { kind: string; version: string }, err: string): string {
  return `${gvk.kind} in version ${JSON.stringify(gvk.version)} cannot be handled as a ${gvk.kind}: ${err}`;
}

/** Checks `obj` (decoded JSON) against component `schemaName`: unknown fields and Go decoder type errors. */
export function checkObject(obj: unknown, schemaName: string, defs: Definitions, opts: CheckOptions = {}): CheckResult {
  const w: Walk = { defs, unknown: [], seen: new Set(), stopped: false, struct: undefined, fields: [] };
  walk(w, obj, { $ref: '#/components/schemas/' + schemaName }, undefined, '');
  const result: CheckResult = { unknownFields: w.unknown };
  if (w.typeError !== undefined) {
    result.typeError = w.typeError;
    const tag = defs[schemaName]?.['x-kubernetes-group-version-kind']?.[0];
    const gvk = opts.gvk ?? (tag ? { kind: tag.kind, version: tag.version } : { kind: shortName(schemaName), version: '' });
    result.decodeError = decodeErrorMessage(gvk, w.typeError);
  }
  if (w.unknown.length > 0) result.strictError = strictDecodingMessage(w.unknown);
  return result;
}
