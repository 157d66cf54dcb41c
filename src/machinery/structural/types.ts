// The OpenAPI v3 schema of a CustomResourceDefinition version (apiextensions.k8s.io/v1 JSONSchemaProps, with
// Kubernetes' vendor extensions) and small helpers on decoded JSON values shared by the structural folder.

/** One x-kubernetes-validations rule (CEL); evaluated by the CEL engine through the validator's onNode hook. */
export interface ValidationRule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** An OpenAPI v3 schema as a CRD carries it in `spec.versions[*].schema.openAPIV3Schema`. */
export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  title?: string;
  default?: unknown;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  enum?: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  patternProperties?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  additionalItems?: JSONSchemaProps | boolean;
  definitions?: Record<string, JSONSchemaProps>;
  externalDocs?: { description?: string; url?: string };
  example?: unknown;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
}

/** A decoded JSON object. */
export type JsonMap = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when Kubernetes' decoder would hold this number as an int64 rather than a float64. */
export function isInt64(v: number): boolean {
  return Number.isInteger(v) && Math.abs(v) <= 9.223372036854776e18;
}

/** True when `o` has `k` as an own key holding a value (a JSON decoder never yields undefined). */
export function has(o: JsonMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;
}

/** Deep copy of a JSON value. */
export function jsonClone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(jsonClone) as T;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v as JsonMap)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: jsonClone(x), enumerable: true, writable: true, configurable: true });
    else out[k] = jsonClone(x);
  }
  return out as T;
}

/** JSON with object keys sorted, as Go's encoding/json writes maps: equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** Go's `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e6 on (`1e+06`). */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant = '0', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  // strconv's shortest %g uses the exponent form when exp < -4 or exp >= 6.
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** Go's `%v` of a decoded JSON number: int64 when integral, float64 otherwise. */
export function goNumber(v: number): string {
  return isInt64(v) ? BigInt(v).toString() : goFloat(v);
}
