// Checks a decoded JSON object against a type's schema the way Kubernetes' JSON decoder does: it finds unknown
// fields (strict field validation) and the type mismatches Go's decoder would refuse, with Go's own wording.
import { componentRefPrefix, type Definitions, type OpenApiSchema } from '../../api/index.js';
import { elementGoType, goTypeOf, nodeOf, type Node } from './compiled.js';
import { shortName } from './resolve.js';
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

interface Walk {
  defs: Definitions;
  unknown: string[];
  seen: Set<string>;
  typeError?: string | undefined;
  /** A custom decoder (quantity, time, int-or-string) failed: Go stops decoding there. */
  stopped: boolean;
  /** Name of the Go struct whose field is being decoded, and the JSON names from the root (Go's error context). */
  struct: string | undefined;
  fields: string[];
  /** The strict-error path so far, as segments (`spec`, `.containers`, `[0]`); joined only when needed. */
  path: string[];
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
function saveMismatch(w: Walk, value: unknown, node: Node, goOverride: string | undefined, described?: string): void {
  w.typeError ??= typeMessage(w, described ?? jsonKind(value), goTypeOf(node, w.defs, goOverride));
}

/** Records the error of a custom decoder, which ends decoding and replaces any saved mismatch. */
function fail(w: Walk, message: string): void {
  w.typeError = message;
  w.stopped = true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pushKey(w: Walk, key: string): void {
  w.path.push(w.path.length === 0 ? key : '.' + key);
}

function walk(w: Walk, value: unknown, node: Node, goOverride: string | undefined): void {
  if (value === null || w.stopped) return; // null leaves Go's zero value in place
  switch (node.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') saveMismatch(w, value, node, goOverride);
      return;
    case 'bytes':
      if (typeof value !== 'string') return saveMismatch(w, value, node, goOverride);
      w.typeError ??= base64Error(value);
      return;
    case 'integer':
      if (typeof value !== 'number') return saveMismatch(w, value, node, goOverride);
      if (!Number.isInteger(value) || Math.abs(value) > node.max) saveMismatch(w, value, node, goOverride, `number ${String(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') saveMismatch(w, value, node, goOverride);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') saveMismatch(w, value, node, goOverride);
      return;
    case 'intOrString':
      // A quoted value decodes as a string, anything else as an int32 through a nested decode that stops decoding.
      if (typeof value === 'string') return;
      if (typeof value !== 'number') return fail(w, typeMessage(w, jsonKind(value), 'int32'));
      if (!Number.isInteger(value) || Math.abs(value) > node.max) fail(w, typeMessage(w, `number ${String(value)}`, 'int32'));
      return;
    case 'quantity': {
      const err = quantityError(value);
      if (err) fail(w, err);
      return;
    }
    case 'time':
    case 'microTime': {
      // metav1.Time decodes the value as a Go string first, then parses it; both failures end decoding.
      if (typeof value !== 'string') return fail(w, typeMessage(w, jsonKind(value), 'string'));
      const err = timeParseError(value, node.kind === 'time' ? rfc3339 : rfc3339Micro);
      if (err) fail(w, err);
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return saveMismatch(w, value, node, goOverride);
      if (!node.element) return;
      const item = nodeOf(node.element, w.defs);
      const elemGo = elementGoType(node, goOverride);
      for (let i = 0; i < value.length && !w.stopped; i++) {
        w.path.push(`[${i}]`);
        walk(w, value[i], item, elemGo);
        w.path.pop();
      }
      return;
    }
    case 'map': {
      if (!isObject(value)) return saveMismatch(w, value, node, goOverride);
      // Keys extend the strict path but not Go's error context.
      const elem = nodeOf(node.element as NonNullable<Node['element']>, w.defs);
      const elemGo = elementGoType(node, goOverride);
      for (const k in value) {
        pushKey(w, k);
        walk(w, value[k], elem, elemGo);
        w.path.pop();
      }
      return;
    }
    case 'struct':
      if (!isObject(value)) return saveMismatch(w, value, node, goOverride);
      return walkStruct(w, value, node);
  }
}

function walkStruct(w: Walk, value: Record<string, unknown>, node: Node): void {
  const props = node.props ?? {};
  for (const k in value) {
    if (w.stopped) return;
    const child = props[k];
    if (child === undefined) {
      if (node.preserve) continue;
      if (node.element !== undefined) {
        pushKey(w, k);
        walk(w, value[k], nodeOf(node.element, w.defs), undefined);
        w.path.pop();
        continue;
      }
      if (w.unknown.length < maxStrictErrors) {
        const p = w.path.length === 0 ? k : w.path.join('') + '.' + k;
        if (!w.seen.has(p)) {
          w.seen.add(p);
          w.unknown.push(p);
        }
      }
      continue;
    }
    const savedStruct = w.struct;
    w.struct = node.structName;
    w.fields.push(k);
    pushKey(w, k);
    walk(w, value[k], nodeOf(child, w.defs), undefined);
    w.path.pop();
    w.fields.pop();
    w.struct = savedStruct;
  }
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

const roots = new Map<string, OpenApiSchema>();

/** A stable `$ref` schema per component name, so its compiled node is cached. */
export function rootSchema(name: string): OpenApiSchema {
  let s = roots.get(name);
  if (!s) roots.set(name, (s = { $ref: componentRefPrefix + name }));
  return s;
}

/** Checks `obj` (decoded JSON) against component `schemaName`: unknown fields and Go decoder type errors. */
export function checkObject(obj: unknown, schemaName: string, defs: Definitions, opts: CheckOptions = {}): CheckResult {
  const w: Walk = { defs, unknown: [], seen: new Set(), stopped: false, struct: undefined, fields: [], path: [] };
  walk(w, obj, nodeOf(rootSchema(schemaName), defs), undefined);
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
