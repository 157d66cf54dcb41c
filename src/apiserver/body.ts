// Request bodies: JSON, YAML or protobuf in, one decoded object out; unknown fields handled per fieldValidation.
import { createRequire } from 'node:module';
import type { KubeObject } from '../api/index.js';
import { badRequest, StatusError, unsupportedMediaType } from '../machinery/index.js';
import { contentTypeOf } from './media.js';
import { goJsonSyntaxError } from './go-json.js';

type YamlLibrary = typeof import('yaml');
let yamlLib: YamlLibrary | undefined;

/**
 * The `yaml` package, loaded on first use: only YAML bodies and YAML output need it, and loading its ~70 files
 * would cost `kin up` tens of milliseconds of start-up for nothing.
 */
export function yamlLibrary(): YamlLibrary {
  return (yamlLib ??= createRequire(import.meta.url)('yaml') as YamlLibrary);
}

/** Body types accepted by create and update. */
export const objectMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] as const;

/** How unknown and duplicate fields are treated (the `fieldValidation` parameter). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Reads `fieldValidation`; the default is Warn, as in Kubernetes. */
export function fieldValidationParam(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(v)}: supported values: "Ignore", "Strict", "Warn"`);
}

/** Decodes a protobuf body into the object the JSON path would have produced (wired in by the server). */
export type ProtobufDecoder = (body: Uint8Array) => { apiVersion: string; kind: string; object: Record<string, unknown> };

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The message of Go's json.Unmarshal for text JSON.parse refused (JavaScript's own words if Go would accept it). */
function jsonSyntaxMessage(text: string, e: unknown): string {
  return goJsonSyntaxError(Buffer.from(text)) ?? (e as Error).message;
}

/** Parses JSON text (a patch or DeleteOptions), turning a syntax error into a 400 with Go's message. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(jsonSyntaxMessage(text, e));
  }
}

/**
 * A body whose apiVersion and kind could not even be read (bad JSON or YAML, not an object): the decoder's
 * error, which `unrecognizedObject` words as kube-apiserver does once it knows the kind the endpoint takes.
 */
export class UnreadableBodyError extends StatusError {
  constructor(readonly detail: string) {
    super({ code: 400, reason: 'BadRequest', message: detail });
  }
}

/** The 400 kube-apiserver answers for an unreadable body: the expected kind, the error and a summary of the body. */
export function unrecognizedObject(kind: string, e: UnreadableBodyError, body: Uint8Array): StatusError {
  return badRequest(`the object provided is unrecognized (must be of type ${kind}): ${e.detail} (${summarizeBody(body, 30)})`);
}

/** Kubernetes' summary of a body in errors: JSON objects as text, anything else in hex, cut after `max` bytes. */
function summarizeBody(body: Uint8Array, max: number): string {
  if (body.length === 0) return '<empty>';
  const head = body.subarray(0, max);
  const more = body.length > max ? ' ...' : '';
  return body[0] === 0x7b ? utf8.decode(head) + more : Buffer.from(head).toString('hex') + more;
}

/** Parses YAML text (one document), turning errors into Kubernetes' 400. */
export function parseYamlBody(text: string): unknown {
  const yaml = yamlLibrary();
  try {
    return yaml.parse(text, { uniqueKeys: false, maxAliasCount: 100, merge: true });
  } catch (e) {
    const msg = e instanceof yaml.YAMLParseError ? e.message.split('\n')[0] : String(e);
    throw new UnreadableBodyError(`error converting YAML to JSON: yaml: ${msg}`);
  }
}

/** Decodes a create/update body by its Content-Type. Anything but a JSON object is a 400. */
export function decodeObjectBody(contentTypeHeader: string | undefined, body: Uint8Array, protobuf?: ProtobufDecoder): KubeObject {
  const ct = contentTypeOf(contentTypeHeader);
  let value: unknown;
  if (ct === 'application/json' || ct === '') {
    if (ct === '' && body.length > 0 && body[0] !== 0x7b) throw unsupportedMediaType(contentTypeHeader ?? '', objectMediaTypes);
    const text = utf8.decode(body);
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new UnreadableBodyError(`couldn't get version/kind; json parse error: ${jsonSyntaxMessage(text, e)}`);
    }
  } else if (ct === 'application/yaml' || ct === 'application/x-yaml' || ct === 'text/yaml') {
    value = parseYamlBody(utf8.decode(body));
  } else if (ct === 'application/vnd.kubernetes.protobuf' && protobuf) {
    const d = protobuf(body);
    value = { ...d.object, apiVersion: d.apiVersion, kind: d.kind };
  } else {
    throw unsupportedMediaType(contentTypeHeader ?? '', objectMediaTypes);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UnreadableBodyError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonTypeName(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  return value as KubeObject;
}

/** Go's name of a JSON value's type, as in its decode errors. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Checks that a body's apiVersion and kind fit the endpoint, filling them in when absent. */
export function checkTypeMeta(obj: KubeObject, expected: { apiVersion: string; kind: string }): void {
  if (obj.apiVersion !== undefined && typeof obj.apiVersion !== 'string') throw badRequest(`apiVersion: Invalid value: must be a string`);
  if (obj.kind !== undefined && typeof obj.kind !== 'string') throw badRequest(`kind: Invalid value: must be a string`);
  if (obj.apiVersion && obj.apiVersion !== expected.apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected.apiVersion})`);
  }
  if (obj.kind && obj.kind !== expected.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${expected.kind})`);
  }
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw badRequest(`${expected.kind} in version "${expected.apiVersion.split('/').pop()}" cannot be handled as a ${expected.kind}: json: cannot unmarshal ${jsonTypeName(obj.metadata)} into Go struct field ${expected.kind}.metadata of type v1.ObjectMeta`);
  }
  obj.apiVersion = expected.apiVersion;
  obj.kind = expected.kind;
}

/** True when `e` is a 4xx StatusError (bad input rather than a server fault). */
export function isClientError(e: unknown): boolean {
  return e instanceof StatusError && e.code >= 400 && e.code < 500;
}
