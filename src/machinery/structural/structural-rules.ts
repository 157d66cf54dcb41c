// The rules that make a schema structural (Kubernetes' ValidateStructural): every specified field has a type,
// logical junctors (allOf, anyOf, oneOf, not) only restrict values already specified outside them, metadata
// at the root may only restrict name and generateName, and the x-kubernetes extensions fit together.
import { fieldError, fieldErrorMessage, type FieldError } from '../field-errors.js';
import { compileGoRegexp } from './go-regexp.js';
import { invalidValue } from './go-print.js';
import type { JSONSchemaProps } from './types.js';

type Level = 'root' | 'item' | 'field';

const c = (path: string, name: string): string => `${path}.${name}`;
const k = (path: string, key: string): string => `${path}[${key}]`;
const itemsOf = (s: JSONSchemaProps): JSONSchemaProps | undefined => (s.items !== undefined && !Array.isArray(s.items) ? s.items : undefined);
const propsOf = (s: JSONSchemaProps): [string, JSONSchemaProps][] => Object.entries(s.properties ?? {});

function isZero(v: unknown): boolean {
  return v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0);
}

// `anyOf: [{type: integer}, {type: string}]` with nothing else in the two branches.
function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  if (!anyOf || anyOf.length !== 2) return false;
  const only = (x: JSONSchemaProps, t: string): boolean => x.type === t && Object.entries(x).every(([key, v]) => key === 'type' || isZero(v));
  return only(anyOf[0] as JSONSchemaProps, 'integer') && only(anyOf[1] as JSONSchemaProps, 'string');
}

function valueValidationErrors(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, path: string, out: FieldError[]): void {
  if (!skipAnyOf) (s.anyOf ?? []).forEach((x, i) => nestedErrors(x, false, lvl, `${c(path, 'anyOf')}[${i}]`, out));
  (s.allOf ?? []).forEach((x, i) => nestedErrors(x, skipFirstAllOfAnyOf && i === 0, lvl, `${c(path, 'allOf')}[${i}]`, out));
  (s.oneOf ?? []).forEach((x, i) => nestedErrors(x, false, lvl, `${c(path, 'oneOf')}[${i}]`, out));
  if (s.not) nestedErrors(s.not, false, lvl, c(path, 'not'), out);
  if (s.pattern) {
    const p = compileGoRegexp(s.pattern);
    if (p.error !== undefined) out.push(fieldError.invalid(c(path, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${p.error}`));
  }
}

// A schema inside allOf/anyOf/oneOf/not may only hold value validations.
function nestedErrors(s: JSONSchemaProps, skipAnyOf: boolean, lvl: Level, path: string, out: FieldError[]): void {
  valueValidationErrors(s, skipAnyOf, false, lvl, path, out);
  const items = itemsOf(s);
  if (items) nestedErrors(items, false, lvl, c(path, 'items'), out);
  for (const [name, p] of propsOf(s)) nestedErrors(p, false, 'field', k(c(path, 'properties'), name), out);
  const forbid = (field: string, detail: string): void => void out.push(fieldError.forbidden(c(path, field), detail));
  if (s.type) forbid('type', 'must be empty to be structural');
  if (s.additionalProperties === true || typeof s.additionalProperties === 'object') forbid('additionalProperties', 'must be undefined to be structural');
  if (s.default !== undefined && s.default !== null) forbid('default', 'must be undefined to be structural');
  if (s.title) forbid('title', 'must be empty to be structural');
  if (s.description) forbid('description', 'must be empty to be structural');
  if (s.nullable) forbid('nullable', 'must be false to be structural');
  if (s['x-kubernetes-preserve-unknown-fields']) forbid('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  if (s['x-kubernetes-embedded-resource']) forbid('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (s['x-kubernetes-int-or-string']) forbid('x-kubernetes-int-or-string', 'must be false to be structural');
  if ((s['x-kubernetes-list-map-keys']?.length ?? 0) > 0) forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (s['x-kubernetes-list-type'] !== undefined) forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (s['x-kubernetes-map-type'] !== undefined) forbid('x-kubernetes-map-type', 'must be undefined to be structural');
  if ((s['x-kubernetes-validations']?.length ?? 0) > 0) forbid('x-kubernetes-validations', 'must be empty to be structural');
  if (s.properties && 'metadata' in s.properties) out.push(fieldError.forbidden(k(c(path, 'properties'), 'metadata'), 'must not be specified in a nested context'));
}

// Metadata may restrict name and generateName at the root, nothing else.
function metadataErrors(m: JSONSchemaProps, checkMetadata: boolean, lvl: Level, path: string, out: FieldError[]): void {
  if (checkMetadata && m.type !== 'object') out.push(fieldError.invalid(c(path, 'type'), m.type ?? '', 'must be object'));
  if (lvl !== 'root') return;
  const names = Object.keys(m.properties ?? {});
  const onlyNames = names.length > 0 && names.every((n) => n === 'name' || n === 'generateName');
  const rest = Object.entries(m).filter(([key, v]) => {
    if (key === 'type' || key === 'default' || key === '$schema' || key === 'id' || key === '$ref') return false;
    if (key === 'properties') return !onlyNames && Object.keys(v ?? {}).length > 0;
    if (key === 'x-kubernetes-preserve-unknown-fields') return v === true;
    if (key === 'additionalProperties') return v !== undefined;
    return !isZero(v) && v !== null;
  });
  if (rest.length > 0) out.push(fieldError.forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
}

function invariantErrors(s: JSONSchemaProps, lvl: Level, path: string, out: FieldError[]): void {
  const type = s.type ?? '';
  const items = itemsOf(s);
  const ap = s.additionalProperties;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (type === 'array' && !items) out.push(fieldError.required(c(path, 'items'), 'must be specified'));
  if (items) invariantErrors(items, 'item', c(path, 'items'), out);
  for (const [name, p] of propsOf(s)) invariantErrors(p, 'field', k(c(path, 'properties'), name), out);
  if (ap !== undefined) {
    if (lvl === 'root') out.push(fieldError.forbidden(c(path, 'additionalProperties'), 'must not be used at the root'));
    if (typeof ap === 'object') invariantErrors(ap, 'field', c(path, 'additionalProperties'), out);
  }
  if (intOrString && preserve) out.push(invalidValue(c(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) out.push(invalidValue(c(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = (s.allOf?.length ?? 0) >= 1 && isIntOrStringAnyOf(s.allOf?.[0]?.anyOf);
  valueValidationErrors(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, path, out);
  if (embedded && type !== 'object') {
    if (!type) out.push(fieldError.required(c(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else out.push(fieldError.invalid(c(path, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && !intOrString && !preserve) {
    const where = { root: 'at the root', item: 'for specified array items', field: 'for specified object fields' }[lvl];
    out.push(fieldError.required(c(path, 'type'), `must not be empty ${where}`));
  }
  if (embedded && ap !== undefined) out.push(fieldError.forbidden(c(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type && type !== 'object') out.push(fieldError.invalid(c(path, 'type'), type, 'must be object at the root'));
  const checkMetadata = lvl === 'root' || embedded;
  const props = s.properties ?? {};
  for (const name of ['kind', 'apiVersion']) {
    const p = props[name];
    if (p && checkMetadata && p.type !== 'string') out.push(fieldError.invalid(c(k(c(path, 'properties'), name), 'type'), p.type ?? '', 'must be string'));
  }
  if (props['metadata']) metadataErrors(props['metadata'], checkMetadata, lvl, k(c(path, 'properties'), 'metadata'), out);
  if (embedded && !preserve && Object.keys(props).length === 0) {
    out.push(fieldError.required(c(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
}

// Every property or items schema inside a junctor must also be specified outside of it.
function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string, out: FieldError[]): void {
  if (!s) {
    out.push(fieldError.required(sPath, `because it is defined in ${vPath}`));
    return;
  }
  valueCompleteness(v, s, sPath, vPath, out);
  const vItems = itemsOf(v);
  if (vItems) nestedCompleteness(vItems, itemsOf(s), c(sPath, 'items'), c(vPath, 'items'), out);
  for (const [name, vp] of propsOf(v)) {
    const sp = s.properties?.[name];
    if (!sp) out.push(fieldError.required(k(c(sPath, 'properties'), name), `because it is defined in ${k(c(vPath, 'properties'), name)}`));
    else nestedCompleteness(vp, sp, k(c(sPath, 'properties'), name), k(c(vPath, 'properties'), name), out);
  }
}

function valueCompleteness(v: JSONSchemaProps, s: JSONSchemaProps, sPath: string, vPath: string, out: FieldError[]): void {
  if (v.not) nestedCompleteness(v.not, s, sPath, c(vPath, 'not'), out);
  (v.allOf ?? []).forEach((x, i) => nestedCompleteness(x, s, sPath, `${c(vPath, 'allOf')}[${i}]`, out));
  (v.anyOf ?? []).forEach((x, i) => nestedCompleteness(x, s, sPath, `${c(vPath, 'anyOf')}[${i}]`, out));
  (v.oneOf ?? []).forEach((x, i) => nestedCompleteness(x, s, sPath, `${c(vPath, 'oneOf')}[${i}]`, out));
}

/** Structural-schema errors of `schema` at `path`, sorted by message as Kubernetes sorts them. */
export function structuralErrors(schema: JSONSchemaProps, path: string): FieldError[] {
  const out: FieldError[] = [];
  invariantErrors(schema, 'root', path, out);
  valueCompleteness(schema, schema, path, path, out);
  const msg = out.map((e) => [fieldErrorMessage(e), e] as const);
  msg.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return msg.map(([, e]) => e);
}

/**
 * The first reason the schema cannot even be read as structural (Kubernetes' NewStructural), such as
 * `OpenAPIV3Schema '$ref' is not supported`, or undefined.
 */
export function unsupportedSchemaError(s: JSONSchemaProps): string | undefined {
  if (s.id) return "OpenAPIV3Schema 'id' is not supported";
  if (s.$schema) return "OpenAPIV3Schema 'schema' is not supported";
  if (s.$ref) return "OpenAPIV3Schema '$ref' is not supported";
  if (Object.keys(s.patternProperties ?? {}).length > 0) return "OpenAPIV3Schema 'patternProperties' is not supported";
  if (Object.keys(s.dependencies ?? {}).length > 0) return "OpenAPIV3Schema 'dependencies' is not supported";
  if (s.additionalItems !== undefined) return "OpenAPIV3Schema 'additionalItems' is not supported";
  if (Object.keys(s.definitions ?? {}).length > 0) return "OpenAPIV3Schema 'definitions' is not supported";
  for (const x of [s.not, ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const e = x && unsupportedSchemaError(x);
    if (e) return e;
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  if (Array.isArray(s.items)) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  for (const x of [itemsOf(s), ...Object.values(s.properties ?? {}), typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined]) {
    const e = x && unsupportedSchemaError(x);
    if (e) return e;
  }
  return undefined;
}

