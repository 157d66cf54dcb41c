// The checks Kubernetes runs on a CRD version's openAPIV3Schema before it serves the resource: the schema must
// be structural, use only supported keywords, have valid and pruned defaults, and fit the status subresource.
import { defaultErrors } from './default-validation.js';
import { checkSchemaKeywords, mapListKeysMapSetErrors } from './crd-schema.js';
import { FieldErrorType, fieldError, type FieldError } from '../field-errors.js';
import { structuralErrors, unsupportedSchemaError } from './structural-rules.js';
import type { JSONSchemaProps } from './types.js';

/** Options of checkStructural. */
export interface StructuralCheckOptions {
  /** The status subresource is enabled for this version: only some keywords are allowed at the root. */
  statusEnabled?: boolean;
  /**
   * On a CRD update, the old CRD's schemas (every version): checks the old CRD already failed are relaxed, as
   * Kubernetes does so that existing CRDs stay updatable.
   */
  oldSchemas?: readonly JSONSchemaProps[];
}

// Internal field names in Kubernetes' struct order, by JSON name; the status check walks them in this order.
const rootFields: readonly [string, string][] = [
  ['id', 'ID'], ['$schema', 'Schema'], ['$ref', 'Ref'], ['description', 'Description'], ['type', 'Type'], ['nullable', 'Nullable'],
  ['format', 'Format'], ['title', 'Title'], ['default', 'Default'], ['maximum', 'Maximum'], ['exclusiveMaximum', 'ExclusiveMaximum'],
  ['minimum', 'Minimum'], ['exclusiveMinimum', 'ExclusiveMinimum'], ['maxLength', 'MaxLength'], ['minLength', 'MinLength'],
  ['pattern', 'Pattern'], ['maxItems', 'MaxItems'], ['minItems', 'MinItems'], ['uniqueItems', 'UniqueItems'], ['multipleOf', 'MultipleOf'],
  ['enum', 'Enum'], ['maxProperties', 'MaxProperties'], ['minProperties', 'MinProperties'], ['required', 'Required'], ['items', 'Items'],
  ['allOf', 'AllOf'], ['oneOf', 'OneOf'], ['anyOf', 'AnyOf'], ['not', 'Not'], ['properties', 'Properties'],
  ['additionalProperties', 'AdditionalProperties'], ['patternProperties', 'PatternProperties'], ['dependencies', 'Dependencies'],
  ['additionalItems', 'AdditionalItems'], ['definitions', 'Definitions'], ['externalDocs', 'ExternalDocs'], ['example', 'Example'],
  ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields'], ['x-kubernetes-embedded-resource', 'XEmbeddedResource'],
  ['x-kubernetes-int-or-string', 'XIntOrString'], ['x-kubernetes-list-map-keys', 'XListMapKeys'], ['x-kubernetes-list-type', 'XListType'],
  ['x-kubernetes-map-type', 'XMapType'], ['x-kubernetes-validations', 'XValidations'],
];
const allowedAtRoot = [
  'Description', 'Type', 'Format', 'Title', 'Maximum', 'ExclusiveMaximum', 'Minimum', 'ExclusiveMinimum', 'MaxLength', 'MinLength',
  'Pattern', 'MaxItems', 'MinItems', 'UniqueItems', 'MultipleOf', 'Required', 'Items', 'Properties', 'ExternalDocs', 'Example',
  'XPreserveUnknownFields', 'XValidations',
];

function statusRootErrors(s: JSONSchemaProps, path: string): FieldError[] {
  const rec = s as Record<string, unknown>;
  for (const [json, goName] of rootFields) {
    const v = rec[json];
    if (v === undefined || v === false || v === '' || v === null) continue;
    if (goName === 'Type') {
      if (s.type !== 'object') return [fieldError.invalid(`${path}.type`, s.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled')];
      continue;
    }
    if (!allowedAtRoot.includes(goName)) {
      const detail = `only [${allowedAtRoot.join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`;
      return [{ type: FieldErrorType.Invalid, field: path, omitValue: true, detail: `${JSON.stringify(s)}: ${detail}` }];
    }
  }
  return [];
}

/** True when `pred` holds for `s` or any schema nested in it. */
export function schemaHas(s: JSONSchemaProps | undefined, pred: (s: JSONSchemaProps) => boolean): boolean {
  if (!s) return false;
  if (pred(s)) return true;
  const nested: (JSONSchemaProps | undefined)[] = [
    ...(Array.isArray(s.items) ? s.items : [s.items]),
    ...(s.allOf ?? []),
    ...(s.anyOf ?? []),
    ...(s.oneOf ?? []),
    s.not,
    ...Object.values(s.properties ?? {}),
    typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined,
    ...Object.values(s.patternProperties ?? {}),
    typeof s.additionalItems === 'object' ? s.additionalItems : undefined,
    ...Object.values(s.definitions ?? {}),
    ...Object.values(s.dependencies ?? {}).map((d) => (Array.isArray(d) ? undefined : d)),
  ];
  return nested.some((x) => schemaHas(x, pred));
}

const validTypes = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** True when the schema is not structural (or cannot be read as one). */
export function isNonStructural(s: JSONSchemaProps): boolean {
  return unsupportedSchemaError(s) !== undefined || structuralErrors(s, '').length > 0;
}

function hasNonAtomicSetType(s: JSONSchemaProps): boolean {
  return schemaHas(s, (x) => {
    const items = x.items !== undefined && !Array.isArray(x.items) ? x.items : undefined;
    if (x['x-kubernetes-list-type'] !== 'set' || !items) return false;
    if (items.type === 'array') return items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic';
    if (items.type === 'object') return items['x-kubernetes-map-type'] !== 'atomic';
    return false;
  });
}

function hasUnprunedDefaults(s: JSONSchemaProps): boolean {
  if (!schemaHas(s, (x) => x.default !== undefined)) return false;
  if (isNonStructural(s)) return false;
  return defaultErrors(s, '', true).some((e) => (e.detail ?? '').endsWith('must not have unknown fields'));
}

/**
 * Every error Kubernetes reports for a CRD version's openAPIV3Schema at `path`, in its order: status-subresource
 * root restrictions, nullable root, structural-schema errors (or, when structural, invalid defaults), keyword
 * errors (checkSchemaKeywords is included: do not call both), and last the reason the schema cannot be read. Pass the path Kubernetes uses:
 * `spec.validation.openAPIV3Schema` when every version of the CRD has the same schema (Kubernetes moves it
 * to the top level internally), else `spec.versions[i].schema.openAPIV3Schema`. Example:
 * `spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields`.
 * CEL rules are compiled elsewhere.
 */
export function checkStructural(schema: JSONSchemaProps, path: string, opts: StructuralCheckOptions = {}): FieldError[] {
  const old = opts.oldSchemas ?? [];
  const oldHas = (pred: (s: JSONSchemaProps) => boolean): boolean => old.some(pred);
  const requireStructural = !oldHas(isNonStructural);
  const requirePrunedDefaults = !oldHas(hasUnprunedDefaults);
  const errs: FieldError[] = [];
  if (opts.statusEnabled) errs.push(...statusRootErrors(schema, path));
  if (schema.nullable) errs.push(fieldError.forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  let initError: string | undefined;
  if (requireStructural) {
    initError = unsupportedSchemaError(schema);
    if (initError === undefined) {
      const se = structuralErrors(schema, path);
      errs.push(...(se.length > 0 ? se : defaultErrors(schema, path, requirePrunedDefaults)));
    }
  }
  errs.push(
    ...checkSchemaKeywords(schema, path, {
      requireValidPropertyType: !oldHas((s) => schemaHas(s, (x) => !!x.type && !validTypes.has(x.type))),
      requireAtomicSetType: !oldHas(hasNonAtomicSetType),
      requireMapListKeysMapSetValidation: !oldHas((s) => schemaHas(s, (x) => mapListKeysMapSetErrors(x, '').length > 0)),
    }),
  );
  if (errs.length === 0 && initError !== undefined) errs.push(fieldError.invalid(path, '', initError));
  return errs;
}
