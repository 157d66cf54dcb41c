// The OpenAPI v3 document of one group-version (what `/openapi/v3/apis/<group>/<version>` serves): paths and
// operations of every resource, and the component schemas they refer to, closed under references.
import { createHash } from 'node:crypto';
import { componentRefPrefix, type Definitions, type OpenApiSchema, type ResourceInfo, type SubresourceInfo } from '../../api/index.js';
import { componentNameFor } from './names.js';
import {
  content,
  deleteCollectionParams,
  deleteParams,
  listMediaTypes,
  listParams,
  nameParam,
  namespaceParam,
  objectMediaTypes,
  patchMediaTypes,
  patchParams,
  prettyParam,
  responses,
  writeParams,
  type Parameter,
} from './parameters.js';

/** A group and version. */
export interface GroupVersion {
  group: string;
  version: string;
}

/** Options of openApiV3Document. */
export interface OpenApiV3Options {
  /** Component name of a resource's kind; default: the component tagged with its group/version/kind. */
  componentName?: (r: ResourceInfo) => string;
  /** Whether PATCH accepts strategic merge patch (false for custom resources); default true. */
  strategicMergePatch?: boolean | ((r: ResourceInfo) => boolean);
  /** `info.version` of the document. */
  serverVersion?: string;
}

/** A serialized group-version document and its cache key. */
export interface OpenApiV3Document {
  group: string;
  version: string;
  /** Path under /openapi/v3: `api/v1`, `apis/apps/v1`. */
  path: string;
  /** Upper-case hex SHA-512 of `json`; changes whenever the document does. */
  hash: string;
  /** The document, serialized. */
  json: string;
}

type Operation = Record<string, unknown>;
type PathItem = Record<string, unknown>;

const statusName = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const deleteOptionsName = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const patchName = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const listMetaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const ref = (name: string): OpenApiSchema => ({ $ref: componentRefPrefix + name });

/** `AppsV1`, `CoreV1`, `RbacAuthorizationV1`: the group-version part of Kubernetes' operation ids. */
function opGroup(gv: GroupVersion): string {
  const g = gv.group === '' ? 'core' : gv.group.replace(/\.k8s\.io$/, '');
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return g.split(/[.-]/).map(cap).join('') + cap(gv.version);
}

/** Builds the document of one group-version. */
class DocumentBuilder {
  readonly paths: Record<string, PathItem> = {};
  readonly schemas: Record<string, OpenApiSchema> = {};
  private readonly tag: string;
  private readonly idPrefix: string;
  private readonly prefix: string;

  constructor(
    gv: GroupVersion,
    private readonly defs: Definitions,
    private readonly opts: OpenApiV3Options,
  ) {
    // Kubernetes' tags: core_v1, apps_v1, rbacAuthorization_v1.
    const words = (gv.group === '' ? 'core' : gv.group.replace(/\.k8s\.io$/, '')).split(/[.-]/);
    this.tag = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('') + '_' + gv.version;
    this.idPrefix = opGroup(gv);
    this.prefix = gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
  }

  /** Adds a component (and, later, everything it refers to); synthesizes a permissive one when it is unknown. */
  private use(name: string, fallback: () => OpenApiSchema): OpenApiSchema {
    this.schemas[name] ??= this.defs[name] ?? fallback();
    return ref(name);
  }

  private kindSchema(name: string, gvk: { group: string; version: string; kind: string }): OpenApiSchema {
    return this.use(name, () => ({
      description: `${gvk.kind} of ${gvk.group === '' ? '' : gvk.group + '/'}${gvk.version}`,
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [gvk],
    }));
  }

  addResource(r: ResourceInfo): void {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const itemName = this.opts.componentName?.(r) ?? componentNameFor(this.defs, gvk);
    const item = this.kindSchema(itemName, gvk);
    const listGvk = { ...gvk, kind: r.listKind };
    const listName = this.opts.componentName ? itemName + 'List' : componentNameFor(this.defs, listGvk);
    const list = this.use(listName, () => ({
      description: `${r.listKind} is a list of ${r.kind}`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
        items: { description: `List of ${r.plural}.`, type: 'array', items: ref(itemName) },
        kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
        metadata: { allOf: [ref(listMetaName)], description: 'Standard list metadata.' },
      },
      'x-kubernetes-group-version-kind': [listGvk],
    }));
    const sm = typeof this.opts.strategicMergePatch === 'function' ? this.opts.strategicMergePatch(r) : this.opts.strategicMergePatch ?? true;
    const can = (v: string): boolean => (r.verbs as string[]).includes(v);
    const ns = r.namespaced ? 'Namespaced' : '';
    const base = `${this.prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const scope: Parameter[] = r.namespaced ? [namespaceParam, prettyParam] : [prettyParam];
    const op = (action: string, verb: string, what: string, extra: Operation): Operation => ({
      description: what,
      operationId: `${verb}${this.idPrefix}${extra.idSuffix ?? ns + r.kind}`,
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'idSuffix')),
      tags: [this.tag],
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });

    const collection: PathItem = {};
    if (can('list')) {
      collection.get = op('list', 'list', `list or watch objects of kind ${r.kind}`, {
        parameters: can('watch') ? listParams : listParams.filter((p) => !['watch', 'allowWatchBookmarks', 'sendInitialEvents'].includes(p.name)),
        responses: responses(['200'], listMediaTypes, list),
      });
    }
    if (can('create')) {
      collection.post = op('post', 'create', `create a ${r.kind}`, {
        parameters: writeParams,
        requestBody: { content: content(objectMediaTypes, item), required: true },
        responses: responses(['200', '201', '202'], objectMediaTypes, item),
      });
    }
    if (can('deletecollection')) {
      collection.delete = op('deletecollection', 'delete', `delete collection of ${r.kind}`, {
        idSuffix: `Collection${ns}${r.kind}`,
        parameters: deleteCollectionParams,
        requestBody: { content: content(['*/*'], this.use(deleteOptionsName, () => ({ type: 'object' }))) },
        responses: responses(['200'], objectMediaTypes, this.use(statusName, () => ({ type: 'object' }))),
      });
    }
    if (Object.keys(collection).length) this.paths[base] = { ...collection, parameters: scope };
    if (r.namespaced && can('list')) {
      this.paths[`${this.prefix}/${r.plural}`] = {
        get: op('list', 'list', `list or watch objects of kind ${r.kind}`, {
          idSuffix: `${r.kind}ForAllNamespaces`,
          parameters: listParams,
          responses: responses(['200'], listMediaTypes, list),
        }),
        parameters: [prettyParam],
      };
    }

    const itemPath: PathItem = {};
    if (can('get')) {
      itemPath.get = op('get', 'read', `read the specified ${r.kind}`, { responses: responses(['200'], objectMediaTypes, item) });
    }
    if (can('update')) {
      itemPath.put = op('put', 'replace', `replace the specified ${r.kind}`, {
        parameters: writeParams,
        requestBody: { content: content(objectMediaTypes, item), required: true },
        responses: responses(['200', '201'], objectMediaTypes, item),
      });
    }
    if (can('patch')) {
      itemPath.patch = op('patch', 'patch', `partially update the specified ${r.kind}`, {
        parameters: patchParams,
        requestBody: { content: content(patchMediaTypes(sm), this.use(patchName, () => ({ type: 'object' }))), required: true },
        responses: responses(['200', '201'], objectMediaTypes, item),
      });
    }
    if (can('delete')) {
      itemPath.delete = op('delete', 'delete', `delete a ${r.kind}`, {
        parameters: deleteParams,
        requestBody: { content: content(['*/*'], this.use(deleteOptionsName, () => ({ type: 'object' }))) },
        responses: responses(['200', '202'], objectMediaTypes, this.use(statusName, () => ({ type: 'object' }))),
      });
    }
    const itemScope = [nameParam(r.kind), ...scope];
    if (Object.keys(itemPath).length) this.paths[`${base}/{name}`] = { ...itemPath, parameters: itemScope };
    for (const sub of r.subresources) this.addSubresource(r, sub, base, itemScope, sm);
  }

  private addSubresource(r: ResourceInfo, sub: SubresourceInfo, base: string, scope: Parameter[], sm: boolean): void {
    const gvk = sub.kind;
    const name =
      gvk.group === r.group && gvk.version === r.version && gvk.kind === r.kind && this.opts.componentName
        ? this.opts.componentName(r)
        : componentNameFor(this.defs, gvk);
    const schema = this.kindSchema(name, gvk);
    const suffix = (r.namespaced ? 'Namespaced' : '') + r.kind + sub.name.charAt(0).toUpperCase() + sub.name.slice(1);
    const op = (action: string, verb: string, what: string, extra: Operation): Operation => ({
      description: `${what} ${sub.name} of the specified ${r.kind}`,
      operationId: `${verb}${this.idPrefix}${suffix}`,
      ...extra,
      tags: [this.tag],
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const item: PathItem = {};
    const verbs = sub.verbs as string[];
    if (verbs.includes('get')) item.get = op('get', 'read', 'read', { responses: responses(['200'], objectMediaTypes, schema) });
    if (verbs.includes('create')) {
      item.post = op('post', 'create', 'create', {
        parameters: writeParams,
        requestBody: { content: content(objectMediaTypes, schema), required: true },
        responses: responses(['200', '201', '202'], objectMediaTypes, schema),
      });
    }
    if (verbs.includes('update')) {
      item.put = op('put', 'replace', 'replace', {
        parameters: writeParams,
        requestBody: { content: content(objectMediaTypes, schema), required: true },
        responses: responses(['200', '201'], objectMediaTypes, schema),
      });
    }
    if (verbs.includes('patch')) {
      item.patch = op('patch', 'patch', 'partially update', {
        parameters: patchParams,
        requestBody: { content: content(patchMediaTypes(sm), this.use(patchName, () => ({ type: 'object' }))), required: true },
        responses: responses(['200', '201'], objectMediaTypes, schema),
      });
    }
    if (Object.keys(item).length) this.paths[`${base}/{name}/${sub.name}`] = { ...item, parameters: scope };
  }

  /** Adds every component the collected ones refer to. */
  close(): void {
    const queue = Object.keys(this.schemas);
    while (queue.length) {
      const name = queue.pop() as string;
      collectRefs(this.schemas[name], (target) => {
        if (this.schemas[target] === undefined) {
          this.schemas[target] = this.defs[target] ?? { description: `${target} (schema not known to this server)` };
          queue.push(target);
        }
      });
    }
  }
}

function collectRefs(node: unknown, found: (name: string) => void): void {
  if (Array.isArray(node)) {
    for (const v of node) collectRefs(v, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(componentRefPrefix)) found(v.slice(componentRefPrefix.length));
      else if (typeof v === 'object') collectRefs(v, found);
    }
  }
}

/** Sorted keys everywhere (as Kubernetes serializes), without kin's private `x-kin-*` extensions. */
function serialize(doc: unknown): string {
  return JSON.stringify(doc, (key, value: unknown) => {
    if (key.startsWith('x-kin-')) return undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value).sort()) out[k] = (value as Record<string, unknown>)[k];
      return out;
    }
    return value;
  });
}

/** `api/v1` or `apis/<group>/<version>`. */
export function groupVersionPath(gv: GroupVersion): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

const cache = new WeakMap<Definitions, Map<string, OpenApiV3Document>>();

/**
 * The OpenAPI v3 document of group-version `gv` for `resources` (those of other group-versions are ignored),
 * with schemas from `defs`. Cached per `defs` object and input, so repeated calls return the same string.
 */
export function openApiV3Document(gv: GroupVersion, resources: readonly ResourceInfo[], defs: Definitions, opts: OpenApiV3Options = {}): OpenApiV3Document {
  const mine = resources.filter((r) => r.group === gv.group && r.version === gv.version);
  const key = JSON.stringify([
    gv,
    mine,
    mine.map((r) => [opts.componentName?.(r), typeof opts.strategicMergePatch === 'function' ? opts.strategicMergePatch(r) : opts.strategicMergePatch]),
    opts.serverVersion,
  ]);
  let byKey = cache.get(defs);
  if (!byKey) cache.set(defs, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;

  const b = new DocumentBuilder(gv, defs, opts);
  for (const r of mine) b.addResource(r);
  b.close();
  const json = serialize({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: opts.serverVersion ?? 'unversioned' },
    paths: b.paths,
    components: { schemas: b.schemas },
  });
  const doc: OpenApiV3Document = {
    group: gv.group,
    version: gv.version,
    path: groupVersionPath(gv),
    hash: createHash('sha512').update(json).digest('hex').toUpperCase(),
    json,
  };
  byKey.set(key, doc);
  return doc;
}
