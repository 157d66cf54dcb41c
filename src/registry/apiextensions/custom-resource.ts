// The strategy of a custom resource: one CRD version made into a ResourceStrategy for the generic store.
import type { KubeObject, ResourceInfo, SubresourceInfo } from '../../api/index.js';
import { allVerbs } from '../../api/index.js';
import { nameIsDNSSubdomain, type FieldError } from '../../machinery/index.js';
import type { Conversion, Printer, ResourceStrategy, SubresourceStrategy, TableColumn } from '../strategy.js';
import { age, ageColumn, nameColumn } from '../printing.js';
import { printerColumnCell } from '../../machinery/jsonpath.js';
import type { Crd, CrdVersion, JsonSchemaProps } from './customresourcedefinition/types.js';
import type { JSONSchemaProps } from '../../machinery/structural/index.js';
import { compileCustomSchema, jsonPathValue } from './schema.js';

/** A CRD version's schema, compiled once: pruning, defaulting and validation (OpenAPI keywords and CEL rules). */
export interface CompiledCustomSchema {
  /** Removes fields the schema does not know; returns their paths. */
  prune(obj: KubeObject): string[];
  /** Applies the schema's defaults. */
  applyDefaults(obj: KubeObject): void;
  /** Validates against the schema and its CEL rules; with `old`, transition rules run too and unchanged values ratchet. */
  validate(obj: KubeObject, old: KubeObject | undefined): FieldError[];
}

/** The OpenAPI component name of a custom kind, as Kubernetes names it: the group reversed, then version and kind. */
export function customComponentName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function printerFor(version: CrdVersion): Printer {
  const cols = version.additionalPrinterColumns ?? [];
  if (cols.length === 0) {
    return { columns: [nameColumn, ageColumn], row: (o, ctx) => [o.metadata?.name ?? '', age(o.metadata?.creationTimestamp, ctx.now)] };
  }
  const columns: TableColumn[] = [
    nameColumn,
    ...cols.map((c) => ({
      name: c.name,
      type: (c.type === 'date' ? 'date' : c.type) as TableColumn['type'],
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns,
    row: (o, ctx) => [
      o.metadata?.name ?? '',
      ...cols.map((c) => {
        try {
          return printerColumnCell(o, { jsonPath: c.jsonPath, type: c.type }, ctx.now);
        } catch {
          return null;
        }
      }),
    ],
  };
}

const statusSubresource: SubresourceStrategy = {
  prepareForUpdate(obj, old) {
    for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
    for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') obj[k] = structuredClone(v);
  },
  validateUpdate: () => [],
};

/** The schema as published in OpenAPI: the CRD's schema with apiVersion, kind and metadata added, as Kubernetes does. */
function publishedSchema(schema: JsonSchemaProps, gvk: { group: string; version: string; kind: string }): Record<string, unknown> {
  const props = { ...(schema.properties ?? {}) } as Record<string, unknown>;
  props['apiVersion'] = { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources' };
  props['kind'] = { type: 'string', description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds' };
  props['metadata'] = { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' };
  return { ...schema, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [gvk] };
}

// The compiled schemas of a CRD's versions, shared by the strategies of its served versions.
const compiledSchemas = new WeakMap<Crd, Map<string, CompiledCustomSchema>>();

function compiledVersion(crd: Crd, version: CrdVersion): CompiledCustomSchema {
  let byName = compiledSchemas.get(crd);
  if (!byName) compiledSchemas.set(crd, (byName = new Map()));
  let c = byName.get(version.name);
  if (!c) {
    const schema = version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    byName.set(version.name, (c = compileCustomSchema(schema as JSONSchemaProps)));
  }
  return c;
}

/** The strategy of one served version of a CRD. */
export function customResourceStrategy(crd: Crd, version: CrdVersion): ResourceStrategy {
  const spec = crd.spec;
  const names = crd.status?.acceptedNames?.kind ? { ...spec.names, ...crd.status.acceptedNames } : spec.names;
  const kind = names.kind;
  const self = { group: spec.group, version: version.name, kind };
  const subresources: SubresourceInfo[] = [];
  const hasStatus = version.subresources?.status !== undefined;
  if (hasStatus) subresources.push({ name: 'status', kind: self, verbs: ['get', 'patch', 'update'] });
  const scale = version.subresources?.scale;
  if (scale) subresources.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  const info: ResourceInfo = {
    group: spec.group,
    version: version.name,
    kind,
    plural: names.plural,
    singular: names.singular ?? kind.toLowerCase(),
    namespaced: spec.scope === 'Namespaced',
    listKind: names.listKind ?? kind + 'List',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: allVerbs,
    subresources,
  };
  const schema = version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const compiled = compiledVersion(crd, version);
  const schemaName = customComponentName(spec.group, version.name, kind);
  const selectable = version.selectableFields ?? [];
  // Versions share one storage location; with conversion None only apiVersion changes between them. Objects read
  // from storage are pruned and defaulted with the schema of the version they were stored in, as Kubernetes' storage
  // decoder does: a default added to the CRD later (or a status default of an object whose status was never
  // written) shows on reads without being written back.
  const storageVersion = spec.versions.find((v) => v.storage)?.name ?? version.name;
  const served = `${spec.group}/${version.name}`;
  const stored = `${spec.group}/${storageVersion}`;
  const conversion: Conversion = {
    toStorage: (obj) => (obj.apiVersion === stored ? obj : { ...obj, apiVersion: stored }),
    fromStorage: (obj) => {
      const at = typeof obj.apiVersion === 'string' ? obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1) : storageVersion;
      const v = spec.versions.find((x) => x.name === at);
      const c = v === undefined ? undefined : v === version ? compiled : compiledVersion(crd, v);
      if (c) {
        c.prune(obj);
        c.applyDefaults(obj);
      }
      obj.apiVersion = served;
      return obj;
    },
  };
  const strategy: ResourceStrategy = {
    info,
    schemaName,
    nameValidation: nameIsDNSSubdomain,
    defaults: (obj) => compiled.applyDefaults(obj),
    prune: (obj) => compiled.prune(obj),
    prepareForCreate(obj) {
      if (hasStatus) delete obj['status'];
    },
    prepareForUpdate(obj, old) {
      if (!hasStatus) return;
      if (old['status'] === undefined) delete obj['status'];
      else obj['status'] = structuredClone(old['status']);
    },
    // On update the whole validation runs in validateUpdate, with the old object (transition rules, ratcheting).
    validate: (obj, ctx) => (ctx.operation === 'update' ? [] : compiled.validate(obj, undefined)),
    validateUpdate: (obj, old) => compiled.validate(obj, old),
    printer: printerFor(version),
    definitions: { [schemaName]: publishedSchema(schema, self) },
    ...(hasStatus ? { status: { ...statusSubresource, validateUpdate: (obj: KubeObject, old: KubeObject) => compiled.validate(obj, old) } } : {}),
    ...(scale ? { scale } : {}),
    conversion,
  };
  if (selectable.length) {
    strategy.selectableFields = (obj) => {
      const out: Record<string, string> = {};
      for (const f of selectable) {
        const key = f.jsonPath.replace(/^\./, '');
        let v: unknown;
        try {
          v = jsonPathValue(obj, f.jsonPath);
        } catch {
          v = undefined;
        }
        out[key] = v === undefined || v === null ? '' : String(v);
      }
      return out;
    };
  }
  return strategy;
}
