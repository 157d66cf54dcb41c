// Embedded resources (`x-kubernetes-embedded-resource: true`): the apiVersion, kind and metadata checks Kubernetes
// runs on them, and the metadata clean-up its decoder does (unknown and empty ObjectMeta fields dropped).
import type { ObjectMeta } from '../../api/index.js';
import type { SchemaNode } from './compile.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { invalidValue } from './go-print.js';
import { isDNS1035Label, nameIsPathSegment } from '../names.js';
import { validateObjectMeta } from '../object-meta-validation.js';
import { timeParseError } from '../schema/index.js';
import { isInt64, isMap, type JsonMap } from './types.js';

type MetaFieldType = 'string' | 'int64' | 'time' | 'stringMap' | 'stringList' | 'list';
const metaFields: ReadonlyMap<string, MetaFieldType> = new Map<string, MetaFieldType>([
  ['name', 'string'],
  ['generateName', 'string'],
  ['namespace', 'string'],
  ['selfLink', 'string'],
  ['uid', 'string'],
  ['resourceVersion', 'string'],
  ['generation', 'int64'],
  ['creationTimestamp', 'time'],
  ['deletionTimestamp', 'time'],
  ['deletionGracePeriodSeconds', 'int64'],
  ['labels', 'stringMap'],
  ['annotations', 'stringMap'],
  ['ownerReferences', 'list'],
  ['finalizers', 'stringList'],
  ['managedFields', 'list'],
]);

// encoding/json's name for the JSON kind of a value in an UnmarshalTypeError.
function jsonKind(v: unknown): string {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

function cannot(v: unknown, field: string, goType: string): string {
  const what = typeof v === 'number' && goType === 'int64' ? `number ${v}` : jsonKind(v);
  return `json: cannot unmarshal ${what} into Go struct field ObjectMeta.${field} of type ${goType}`;
}

/** The error Go's JSON decoder gives when `metadata` does not fit ObjectMeta, or undefined. */
export function objectMetaDecodeError(metadata: unknown): string | undefined {
  if (metadata === null) return undefined;
  if (!isMap(metadata)) return `json: cannot unmarshal ${jsonKind(metadata)} into Go value of type v1.ObjectMeta`;
  for (const [k, v] of Object.entries(metadata)) {
    const t = metaFields.get(k);
    if (t === undefined || v === null) continue;
    switch (t) {
      case 'string':
        if (typeof v !== 'string') return cannot(v, k, 'string');
        break;
      case 'int64':
        if (typeof v !== 'number' || !isInt64(v)) return cannot(v, k, 'int64');
        break;
      case 'time':
        if (typeof v !== 'string') return cannot(v, k, 'string');
        if (timeParseError(v) !== undefined) return timeParseError(v);
        break;
      case 'stringMap':
        if (!isMap(v)) return cannot(v, k, 'map[string]string');
        for (const x of Object.values(v)) if (x !== null && typeof x !== 'string') return cannot(x, k, 'string');
        break;
      case 'stringList':
        if (!Array.isArray(v)) return cannot(v, k, '[]string');
        for (const x of v) if (x !== null && typeof x !== 'string') return cannot(x, k, 'string');
        break;
      case 'list':
        if (!Array.isArray(v)) return cannot(v, k, k === 'ownerReferences' ? '[]v1.OwnerReference' : '[]v1.ManagedFieldsEntry');
        break;
    }
  }
  return undefined;
}

// Go's schema.ParseGroupVersion error for more than one slash.
function parseGroupVersionError(apiVersion: string): string | undefined {
  return apiVersion.split('/').length > 2 ? `unexpected GroupVersion string: ${apiVersion}` : undefined;
}

function validateEmbeddedResource(path: string, x: JsonMap): FieldError[] {
  const errs: FieldError[] = [];
  const p = (k: string): string => (path ? `${path}.${k}` : k);
  if (!Object.prototype.hasOwnProperty.call(x, 'apiVersion')) errs.push(fieldError.required(p('apiVersion'), 'must not be empty'));
  if (!Object.prototype.hasOwnProperty.call(x, 'kind')) errs.push(fieldError.required(p('kind'), 'must not be empty'));
  for (const [k, v] of Object.entries(x)) {
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push(invalidValue(p(k), v, 'must be a string'));
      else if (v === '') errs.push(invalidValue(p(k), v, 'must not be empty'));
      else {
        const e = parseGroupVersionError(v);
        if (e) errs.push(invalidValue(p(k), v, e));
      }
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push(invalidValue(p(k), v, 'must be a string'));
      else if (v === '') errs.push(invalidValue(p(k), v, 'must not be empty'));
      else {
        const e = isDNS1035Label(v.toLowerCase());
        if (e.length > 0) errs.push(invalidValue(p(k), v, 'may have mixed case, but should otherwise match: ' + e.join(',')));
      }
    } else if (k === 'metadata') {
      const err = objectMetaDecodeError(v);
      if (err !== undefined) errs.push(invalidValue(p(k), v, err));
      else {
        const meta = { ...((v ?? {}) as ObjectMeta) };
        if (!meta.name) meta.name = 'fakename';
        errs.push(...validateObjectMeta(meta, { namespaced: (meta.namespace ?? '') !== '', nameValidator: nameIsPathSegment, path: p(k), strictFinalizerNames: false }));
      }
    }
  }
  return errs;
}

function visit(path: string, node: SchemaNode, value: unknown, out: FieldError[], asEmbedded = node.embeddedResource): void {
  if (!node.subtreeHasEmbedded && !asEmbedded) return;
  if (isMap(value)) {
    if (asEmbedded) out.push(...validateEmbeddedResource(path, value));
    for (const [k, v] of Object.entries(value)) {
      const sub = node.properties?.get(k);
      const ap = node.additionalProperties;
      if (sub) visit(path ? `${path}.${k}` : k, sub, v, out);
      else if (typeof ap === 'object') visit(`${path}[${k}]`, ap, v, out);
    }
  } else if (Array.isArray(value) && node.items) {
    value.forEach((v, i) => visit(`${path}[${i}]`, node.items as SchemaNode, v, out));
  }
}

/** Errors of the embedded resources inside `obj` (the root itself is not checked: its metadata is the object's). */
export function validateEmbeddedResources(node: SchemaNode, obj: unknown, path = ''): FieldError[] {
  const out: FieldError[] = [];
  visit(path, node, obj, out);
  return out;
}

/** Errors of `obj` checked as an embedded resource itself (apiVersion, kind, metadata), then of those inside. */
export function validateAsEmbeddedResource(node: SchemaNode, obj: unknown, path = ''): FieldError[] {
  const out: FieldError[] = [];
  visit(path, node, obj, out, true);
  return out;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);
}

/**
 * Cleans an embedded resource's metadata as Kubernetes' decoder does (ObjectMeta round trip): drops fields
 * ObjectMeta does not have (their paths go to `unknown`) and empty ones. Leaves metadata of the wrong type alone.
 */
export function coerceEmbeddedMetadata(obj: JsonMap, path: string, unknown: string[] | undefined): void {
  const meta = obj['metadata'];
  if (!isMap(meta) || objectMetaDecodeError(meta) !== undefined) return;
  for (const k of Object.keys(meta).sort()) {
    if (!metaFields.has(k)) {
      unknown?.push(`${path ? `${path}.` : ''}metadata.${k}`);
      delete meta[k];
    } else if (isEmpty(meta[k])) delete meta[k];
  }
}
