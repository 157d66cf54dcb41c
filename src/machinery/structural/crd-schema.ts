// The keyword checks Kubernetes runs on a CRD's openAPIV3Schema (ValidateCustomResourceDefinitionOpenAPISchema):
// unsupported keywords, defaults where they are not allowed, list and map types, list-map keys and the static
// shape of x-kubernetes-validations rules. CEL compilation of the rules is the CEL engine's job.
import { FieldErrorType, fieldError, type FieldError } from '../field-errors.js';
import { invalidValue } from './go-print.js';
import { compileNode } from './compile.js';
import { ruleFieldPath } from './field-path.js';
import { unsupportedSchemaError } from './structural-rules.js';
import type { JSONSchemaProps } from './types.js';

/** Which checks apply; on a CRD update some are relaxed when the old CRD already broke them. */
export interface SchemaCheckOptions {
  requireValidPropertyType: boolean;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
}

interface Ssv {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
}

const validTypes = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);
const supportedReasons = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

const k = (path: string, key: string): string => `${path}[${key}]`;
const c = (path: string, name: string): string => `${path}.${name}`;
const notEmpty = (o: object | undefined): boolean => o !== undefined && Object.keys(o).length > 0;

function goStrings(xs: readonly string[]): string {
  return `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;
}

// Keywords no CRD schema may use, and defaults where they are not allowed.
function standardChecks(s: JSONSchemaProps, path: string, ssv: Ssv, opts: SchemaCheckOptions, out: FieldError[]): void {
  if (opts.requireValidPropertyType && s.type && !validTypes.includes(s.type)) out.push(fieldError.notSupported(c(path, 'type'), s.type, validTypes));
  if (s.default !== undefined && !ssv.allowDefaults) {
    out.push(fieldError.forbidden(c(path, 'default'), 'must not be set' + (ssv.disallowDefaultsReason ? ' ' + ssv.disallowDefaultsReason : '')));
  }
  if (s.id) out.push(fieldError.forbidden(c(path, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined) out.push(fieldError.forbidden(c(path, 'additionalItems'), 'additionalItems is not supported'));
  if (notEmpty(s.patternProperties)) out.push(fieldError.forbidden(c(path, 'patternProperties'), 'patternProperties is not supported'));
  if (notEmpty(s.definitions)) out.push(fieldError.forbidden(c(path, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) out.push(fieldError.forbidden(c(path, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) out.push(fieldError.forbidden(c(path, '$ref'), '$ref is not supported'));
  if (s.type === 'null') out.push(fieldError.forbidden(c(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items)) out.push(fieldError.forbidden(c(path, 'items'), 'items must be a schema object and not an array'));
  if (ssv.insideResourceMeta && s['x-kubernetes-embedded-resource']) {
    out.push(fieldError.forbidden(c(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
}

function listAndMapTypeChecks(s: JSONSchemaProps, path: string, opts: SchemaCheckOptions, out: FieldError[]): void {
  const mapType = s['x-kubernetes-map-type'];
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const items = s.items !== undefined && !Array.isArray(s.items) ? s.items : undefined;
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    out.push(invalidValue(c(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  if (mapType !== undefined && s.type !== 'object') {
    if (!s.type) out.push(fieldError.required(c(path, 'type'), 'must be object if x-kubernetes-map-type is specified'));
    else out.push(fieldError.invalid(c(path, 'type'), s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') {
    out.push(fieldError.notSupported(c(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  if (listType !== undefined && s.type !== 'array') {
    if (!s.type) out.push(fieldError.required(c(path, 'type'), 'must be array if x-kubernetes-list-type is specified'));
    else out.push(fieldError.invalid(c(path, 'type'), s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (opts.requireAtomicSetType && listType === 'set' && items) {
    const msg = 'must be atomic as item of a list with x-kubernetes-list-type=set';
    const itemList = items['x-kubernetes-list-type'];
    if (items.type === 'array' && itemList !== undefined && itemList !== 'atomic') {
      out.push(invalidValue(c(c(path, 'items'), 'x-kubernetes-list-type'), itemList, msg));
    } else if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      // Kubernetes reports the item's list type here (usually unset).
      out.push(invalidValue(c(c(path, 'items'), 'x-kubernetes-map-type'), itemList ?? null, msg));
    }
  }
  if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
    out.push(fieldError.notSupported(c(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  if (keys.length > 0) {
    if (listType === undefined) out.push(fieldError.required(c(path, 'x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') out.push(fieldError.invalid(c(path, 'x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (keys.length === 0) out.push(fieldError.required(c(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) out.push(fieldError.required(c(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) out.push({ type: FieldErrorType.Invalid, field: c(path, 'items'), omitValue: true, detail: `${JSON.stringify(s.items)}: must only have a single schema if x-kubernetes-list-type is map` });
    if (items && items.type !== 'object') out.push(fieldError.invalid(c(c(path, 'items'), 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const key of keys) {
        const prop = items.properties?.[key];
        if (prop) {
          if (prop.type === 'array' || prop.type === 'object') {
            out.push(fieldError.invalid(c(k(c(c(path, 'items'), 'properties'), key), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
          }
        } else {
          out.push({ type: FieldErrorType.Invalid, field: c(path, 'x-kubernetes-list-map-keys'), omitValue: true, detail: `${goStrings(keys)}: entries must all be names of item properties` });
        }
        if (seen.has(key)) out.push({ type: FieldErrorType.Invalid, field: c(path, 'x-kubernetes-list-map-keys'), omitValue: true, detail: `${goStrings(keys)}: must not contain duplicate entries` });
        seen.add(key);
      }
    }
  }
  if (opts.requireMapListKeysMapSetValidation) out.push(...mapListKeysMapSetErrors(s, path));
}

/** Set and map list items may not be nullable; list-map keys must be required or defaulted, and not nullable. */
export function mapListKeysMapSetErrors(s: JSONSchemaProps, path: string): FieldError[] {
  const out: FieldError[] = [];
  const listType = s['x-kubernetes-list-type'];
  const items = s.items !== undefined && !Array.isArray(s.items) ? s.items : undefined;
  if (!items || (listType !== 'set' && listType !== 'map')) return out;
  if (items.nullable) out.push(fieldError.forbidden(c(c(path, 'items'), 'nullable'), 'cannot be nullable when x-kubernetes-list-type is ' + listType));
  if (listType === 'map') {
    const required = new Set(items.required ?? []);
    for (const key of s['x-kubernetes-list-map-keys'] ?? []) {
      const prop = items.properties?.[key];
      if (!prop) continue;
      const p = k(c(c(path, 'items'), 'properties'), key);
      if (!required.has(key) && prop.default === undefined) {
        out.push(fieldError.required(c(p, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
      }
      if (prop.nullable) out.push(fieldError.forbidden(c(p, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
    }
  }
  return out;
}

// The static checks of x-kubernetes-validations rules (Kubernetes 1.32 wording).
function ruleChecks(s: JSONSchemaProps, path: string, out: FieldError[]): void {
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const p = `${c(path, 'x-kubernetes-validations')}[${i}]`;
    const r = (rule.rule ?? '').trim();
    const msg = (rule.message ?? '').trim();
    if (r === '') out.push(fieldError.required(c(p, 'rule'), 'rule is not specified'));
    else if ((rule.message ?? '') !== '' && msg === '') out.push(fieldError.invalid(c(p, 'message'), rule.message, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg)) out.push(fieldError.invalid(c(p, 'message'), rule.message, 'message must not contain line breaks'));
    else if (/[\n\r]/.test(r) && msg === '') out.push(fieldError.required(c(p, 'message'), 'message must be specified if rule contains line breaks'));
    if ((rule.messageExpression ?? '') !== '' && (rule.messageExpression ?? '').trim() === '') {
      out.push(fieldError.required(c(p, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    }
    if (rule.reason !== undefined && !supportedReasons.includes(rule.reason)) out.push(fieldError.notSupported(c(p, 'reason'), rule.reason, supportedReasons));
    const fp = rule.fieldPath ?? '';
    if (fp !== '' && fp.trim() === '') out.push(fieldError.invalid(c(p, 'fieldPath'), fp, 'fieldPath must be non-empty if specified'));
    if (/[\n\r]/.test(fp)) out.push(fieldError.invalid(c(p, 'fieldPath'), fp, 'fieldPath must not contain line breaks'));
    if (fp !== '' && unsupportedSchemaError(s) === undefined && 'error' in ruleFieldPath(fp, compileNode(s, { flavor: 'structural' }))) {
      out.push(fieldError.invalid(c(p, 'fieldPath'), fp, 'fieldPath must be a valid path'));
    }
  });
}

function check(s: JSONSchemaProps | undefined, path: string, ssv: Ssv, isRoot: boolean, opts: SchemaCheckOptions, out: FieldError[]): void {
  if (!s) return;
  standardChecks(s, path, ssv, opts, out);
  if (s.uniqueItems) out.push(fieldError.forbidden(c(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  const ap = s.additionalProperties;
  if (ap !== undefined) {
    if (notEmpty(s.properties) && (ap === false || typeof ap === 'object')) {
      out.push(fieldError.forbidden(c(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ssv.insideResourceMeta ? { ...ssv, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : ssv;
    check(typeof ap === 'object' ? ap : undefined, c(path, 'additionalProperties'), sub, false, opts, out);
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    let sub = ssv;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && metaFields.has(name)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${name}` };
    }
    check(prop, k(c(path, 'properties'), name), sub, false, opts, out);
  }
  check(s.not, c(path, 'not'), ssv, false, opts, out);
  (s.allOf ?? []).forEach((x, i) => check(x, `${c(path, 'allOf')}[${i}]`, ssv, false, opts, out));
  (s.oneOf ?? []).forEach((x, i) => check(x, `${c(path, 'oneOf')}[${i}]`, ssv, false, opts, out));
  (s.anyOf ?? []).forEach((x, i) => check(x, `${c(path, 'anyOf')}[${i}]`, ssv, false, opts, out));
  for (const [name, d] of Object.entries(s.definitions ?? {})) check(d, k(c(path, 'definitions'), name), ssv, false, opts, out);
  if (Array.isArray(s.items)) s.items.forEach((x, i) => check(x, `${c(path, 'items')}[${i}]`, ssv, false, opts, out));
  else check(s.items, c(path, 'items'), ssv, false, opts, out);
  for (const [name, d] of Object.entries(s.dependencies ?? {})) if (!Array.isArray(d)) check(d, k(c(path, 'dependencies'), name), ssv, false, opts, out);
  listAndMapTypeChecks(s, path, opts, out);
  ruleChecks(s, path, out);
}

/** Keyword errors of a CRD's openAPIV3Schema at `path` (e.g. `spec.validation.openAPIV3Schema`); checkStructural includes them. */
export function checkSchemaKeywords(schema: JSONSchemaProps, path: string, opts: SchemaCheckOptions): FieldError[] {
  const out: FieldError[] = [];
  check(schema, path, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false }, true, opts, out);
  return out;
}

