// Kubernetes protobuf request bodies: the `k8s\0` + runtime.Unknown envelope, decoded into the JSON object
// the same client would have sent as application/json.
import { badRequest, internalError, StatusError, unsupportedMediaType } from '../errors.js';
import { messageForKind } from './kinds.js';
import { decodeMessage } from './message.js';
import { compileTables, type MessageDef } from './schema.js';
import { allTables } from './tables/index.js';
import { WireError, WireReader, WireType } from './wire.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** The four bytes every Kubernetes protobuf body starts with: `k8s\0`. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** Media types kin takes for request bodies of kinds that have no protobuf table. */
const JSON_MEDIA_TYPES = ['application/json', 'application/yaml'] as const;

/** A decoded protobuf body: the envelope's type and the object as Go's JSON encoder would write it. */
export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  /** The object, including `kind` and `apiVersion` from the envelope. */
  object: Record<string, unknown>;
}

let registry: Map<string, MessageDef> | undefined;

/** The compiled tables (built on first use). */
export function protobufRegistry(): Map<string, MessageDef> {
  registry ??= compileTables(allTables);
  return registry;
}

/** True when a Content-Type header names Kubernetes protobuf (parameters ignored). */
export function isProtobuf(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const base = contentType.split(';')[0] ?? '';
  return base.trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

/** The runtime.Unknown envelope: {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}. */
interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

function readTypeMeta(bytes: Uint8Array): { apiVersion: string; kind: string } {
  const r = new WireReader(bytes);
  let apiVersion = '';
  let kind = '';
  while (!r.done()) {
    const { field, wire } = r.tag();
    if ((field === 1 || field === 2) && wire !== WireType.Bytes) throw new WireError(`wrong wire type ${wire} for TypeMeta field ${field}`);
    if (field === 1) apiVersion = r.string();
    else if (field === 2) kind = r.string();
    else r.skip(wire);
  }
  return { apiVersion, kind };
}

function readEnvelope(body: Uint8Array): Envelope {
  if (body.length < PROTOBUF_MAGIC.length || PROTOBUF_MAGIC.some((b, i) => body[i] !== b)) {
    throw new WireError('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  }
  const r = new WireReader(body.subarray(PROTOBUF_MAGIC.length));
  let typeMeta = { apiVersion: '', kind: '' };
  let raw: Uint8Array = new Uint8Array(0);
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field >= 1 && field <= 4 && wire !== WireType.Bytes) throw new WireError(`wrong wire type ${wire} for runtime.Unknown field ${field}`);
    if (field === 1) typeMeta = readTypeMeta(r.bytes());
    else if (field === 2) raw = r.bytes();
    else r.skip(wire); // contentEncoding and contentType are not used for request bodies
  }
  return { ...typeMeta, raw };
}

/**
 * Decodes a Kubernetes protobuf request body into the object kubectl would have sent as JSON.
 * Throws StatusError: 400 for malformed bytes or a missing kind, 415 for a kind kin has no table for.
 */
export function decodeProtobuf(body: Uint8Array): DecodedProtobuf {
  try {
    const env = readEnvelope(body);
    if (env.kind === '') throw badRequest(`Object 'Kind' is missing in protobuf body (apiVersion "${env.apiVersion}")`);
    if (env.apiVersion === '') throw badRequest(`Object 'apiVersion' is missing in protobuf body (kind "${env.kind}")`);
    const name = messageForKind(env.apiVersion, env.kind);
    const def = name === undefined ? undefined : protobufRegistry().get(name);
    if (!def) throw unsupportedMediaType(PROTOBUF_MEDIA_TYPE, JSON_MEDIA_TYPES);
    const fields = decodeMessage(def, env.raw, (n) => protobufRegistry().get(n));
    return { apiVersion: env.apiVersion, kind: env.kind, object: { kind: env.kind, apiVersion: env.apiVersion, ...fields } };
  } catch (err) {
    if (err instanceof StatusError) throw err;
    if (err instanceof WireError) throw badRequest(`unable to decode protobuf body: ${err.message}`);
    throw internalError(err);
  }
}
