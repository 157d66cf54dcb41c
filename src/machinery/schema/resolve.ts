// Following component references and naming schemas the way Kubernetes' Go types are named.
import { componentRefPrefix, type Definitions, type OpenApiSchema } from '../../api/index.js';

/** A schema with its references followed, and the component name it came from (if any). */
export interface ResolvedSchema {
  schema: OpenApiSchema;
  name?: string;
}

const empty: OpenApiSchema = {};

/** Follows `$ref` and a single-entry `allOf: [{$ref}]` (how fields refer to components) to the component. */
export function resolveSchema(s: OpenApiSchema, defs: Definitions): ResolvedSchema {
  let cur = s;
  let name: string | undefined;
  for (let i = 0; i < 32; i++) {
    const ref = cur.$ref ?? (cur.allOf?.length === 1 ? cur.allOf[0]?.$ref : undefined);
    if (ref === undefined) break;
    name = ref.startsWith(componentRefPrefix) ? ref.slice(componentRefPrefix.length) : ref;
    cur = defs[name] ?? empty;
  }
  return name === undefined ? { schema: cur } : { schema: cur, name };
}

/** The last segment of a component name: `Pod` for `io.k8s.api.core.v1.Pod`. */
export function shortName(componentName: string): string {
  return componentName.slice(componentName.lastIndexOf('.') + 1);
}

/** `v1.Pod` for `io.k8s.api.core.v1.Pod`, `resource.Quantity` for `...pkg.api.resource.Quantity`: Go's type name. */
export function goNameOfComponent(componentName: string): string {
  const parts = componentName.split('.');
  const short = parts.pop() ?? '';
  return `${parts.pop() ?? ''}.${short}`;
}

/** Component types whose values Kubernetes keeps as raw JSON: any value is accepted. */
const rawJsonComponents = new Set(['io.k8s.apimachinery.pkg.runtime.RawExtension', 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1']);

/** True when any JSON value is acceptable for the schema (raw extensions, schemas without a type). */
export function acceptsAnything(r: ResolvedSchema): boolean {
  if (r.name !== undefined && rawJsonComponents.has(r.name)) return true;
  const s = r.schema;
  return (
    s.type === undefined &&
    s.properties === undefined &&
    s.items === undefined &&
    s.additionalProperties === undefined &&
    s.oneOf === undefined &&
    s.anyOf === undefined &&
    s['x-kubernetes-int-or-string'] !== true
  );
}

/** True for the IntOrString component or a field marked `x-kubernetes-int-or-string`. */
export function isIntOrString(field: OpenApiSchema, r: ResolvedSchema): boolean {
  return field['x-kubernetes-int-or-string'] === true || r.schema['x-kubernetes-int-or-string'] === true;
}

/** True for resource.Quantity. */
export function isQuantity(r: ResolvedSchema): boolean {
  return r.name === 'io.k8s.apimachinery.pkg.api.resource.Quantity';
}

/**
 * The Go type Kubernetes' decoder names for a field in errors: `int32`, `[]v1.Container`, `map[string]string`,
 * `v1.PodSpec`. A recorded `x-kin-go-type` wins (named string types such as `v1.Protocol`).
 */
export function goTypeName(field: OpenApiSchema, defs: Definitions): string {
  const recorded = field['x-kin-go-type'];
  if (typeof recorded === 'string') return recorded;
  const r = resolveSchema(field, defs);
  if (r.name !== undefined) return goNameOfComponent(r.name);
  const s = r.schema;
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return s.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return s.format === 'float' ? 'float32' : 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return '[]' + (s.items ? goTypeName(s.items, defs) : 'interface {}');
    case 'object':
      if (typeof s.additionalProperties === 'object') return 'map[string]' + goTypeName(s.additionalProperties, defs);
      return 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

/** The element type inside a recorded Go slice or map type (`v1.Protocol` in `[]v1.Protocol`), if it can tell. */
export function goElementType(goType: string | undefined): string | undefined {
  if (goType === undefined) return undefined;
  if (goType.startsWith('[]')) return goType.slice(2);
  const m = /^map\[[^\]]+\](.+)$/.exec(goType);
  return m ? m[1] : undefined;
}
