// The verbs on stored resources: get, list, watch, create, update, patch, delete, deletecollection.
import type { KubeObject } from '../api/index.js';
import { apiVersionOf } from '../api/index.js';
import type { GenericStore, ObjectFilter, ObjectRef, StoreWatchEvent } from '../registry/generic-store.js';
import { badRequest, fieldError, methodNotAllowed, notFound, StatusError, unsupportedMediaType } from '../machinery/index.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { checkTypeMeta, decodeObjectBody, parseJsonBody, UnreadableBodyError, unrecognizedObject, type FieldValidation } from './body.js';
import { dryRunErrors, throwOptionErrors, writeParams, type OptionsKind } from './write-options.js';
import { negotiateResource, contentTypeOf, type Representation } from './media.js';
import { framedPartialObjectMetadata, includeObjectParam, partialObjectMetadataBytes, renderTable, sharedPartialObjectMetadata } from './table.js';
import { attachDecoded } from '../util/index.js';
import { listParams, type ListParams } from './list-options.js';
import type { ServerContext } from './context.js';
import { jsonResponse, PushStream, statusSuccess, toYaml } from './respond.js';
import { admitDelete, writeAdmission } from './admission.js';

/** The parts of a resource URL. */
export interface ResourceTarget {
  store: GenericStore;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

/** Handles one request on a resource. */
export async function handleResource(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const m = req.method;
  if (t.subresource && t.subresource !== 'status') {
    return ctx.subresources(req, t);
  }
  if (t.name === undefined) {
    if (m === 'GET') {
      const p = listParams(req.query);
      return p.watch ? watch(ctx, req, t, p) : list(ctx, req, t, p);
    }
    if (m === 'POST') return create(ctx, req, t);
    if (m === 'DELETE') return deleteCollection(ctx, req, t);
    throw methodNotAllowed();
  }
  if (m === 'GET') return get(ctx, req, t);
  if (m === 'PUT') return update(ctx, req, t);
  if (m === 'PATCH') return patch(ctx, req, t);
  if (m === 'DELETE' && !t.subresource) return del(ctx, req, t);
  throw methodNotAllowed();
}

// ---- reads ---------------------------------------------------------------------------------------

function render(ctx: ServerContext, req: ApiRequest, t: ResourceTarget, rep: Representation, ref: ObjectRef): ApiResponse {
  const obj = t.store.object(ref);
  if (rep.kind === 'table') {
    const body = renderTable([{ obj, json: () => t.store.json(ref) }], {
      printer: t.store.strategy.printer,
      now: ctx.clock.now(),
      include: includeObjectParam(req.query.get('includeObject')),
      version: rep.version,
      resourceVersion: String(ref.rv),
    });
    return jsonResponse(200, body, `application/json;as=Table;v=${rep.version};g=meta.k8s.io`);
  }
  if (rep.kind === 'metadata') return jsonResponse(200, partialObjectMetadataBytes(obj, rep.version));
  if (rep.yaml) return { status: 200, headers: { 'content-type': 'application/yaml' }, body: toYaml(obj) };
  return jsonResponse(200, t.store.jsonBytes(ref));
}

async function get(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const rep = negotiateResource(req.headers['accept']);
  const ref = await t.store.get(t.namespace, t.name!);
  if (t.subresource === 'status' && !t.store.strategy.status) throw notFound({ group: t.store.strategy.info.group, resource: t.store.strategy.info.plural, name: t.name });
  return render(ctx, req, t, rep, ref);
}

/** Compiles the label and field selectors of a request into one filter. */
function filterOf(ctx: ServerContext, req: ApiRequest, store: GenericStore): ObjectFilter | undefined {
  const ls = req.query.get('labelSelector');
  const fs = req.query.get('fieldSelector');
  const labels = ls ? ctx.selectors.labels(ls) : undefined;
  const fields = fs ? ctx.selectors.fields(fs, store) : undefined;
  if (!labels && !fields) return undefined;
  return (obj) => (!labels || labels(obj.metadata?.labels ?? {})) && (!fields || fields(store.fields(obj)));
}

const comma = Buffer.from(',');
const listEnd = Buffer.from(']}');

async function list(ctx: ServerContext, req: ApiRequest, t: ResourceTarget, p: ListParams): Promise<ApiResponse> {
  const rep = negotiateResource(req.headers['accept']);
  const q = req.query;
  const res = await t.store.list({
    namespace: t.namespace,
    filter: filterOf(ctx, req, t.store),
    limit: p.limit,
    continue: p.continue,
    resourceVersion: p.resourceVersion,
    resourceVersionMatch: p.resourceVersionMatch,
  });
  const info = t.store.strategy.info;
  if (rep.kind === 'table') {
    const body = renderTable(
      res.items.map((ref) => ({ obj: t.store.object(ref), json: () => t.store.json(ref) })),
      {
        printer: t.store.strategy.printer,
        now: ctx.clock.now(),
        include: includeObjectParam(q.get('includeObject')),
        version: rep.version,
        resourceVersion: res.resourceVersion,
        ...(res.continue ? { continue: res.continue } : {}),
        ...(res.remainingItemCount !== undefined ? { remainingItemCount: res.remainingItemCount } : {}),
      },
    );
    return jsonResponse(200, body, `application/json;as=Table;v=${rep.version};g=meta.k8s.io`);
  }
  const meta: Record<string, unknown> = { resourceVersion: res.resourceVersion };
  if (res.continue) meta['continue'] = res.continue;
  if (res.remainingItemCount !== undefined) meta['remainingItemCount'] = res.remainingItemCount;
  // An in-process client that reads the body takes the shared decoded objects attached to it instead of parsing.
  if (rep.kind === 'metadata') {
    const apiVersion = `meta.k8s.io/${rep.version}`;
    const objs = res.items.map((ref) => t.store.object(ref));
    const parts: Uint8Array[] = [Buffer.from(`{"kind":"PartialObjectMetadataList","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`)];
    for (let i = 0; i < objs.length; i++) {
      if (i > 0) parts.push(comma);
      parts.push(partialObjectMetadataBytes(objs[i]!, rep.version));
    }
    parts.push(listEnd);
    const body = attachDecoded(Buffer.concat(parts), { kind: 'PartialObjectMetadataList', apiVersion, metadata: meta, items: objs.map((o) => sharedPartialObjectMetadata(o, rep.version)) });
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  }
  if (rep.yaml) {
    const items = res.items.map((ref) => t.store.object(ref));
    return { status: 200, headers: { 'content-type': 'application/yaml' }, body: toYaml({ kind: info.listKind, apiVersion: apiVersionOf(info.group, info.version), metadata: meta, items }) };
  }
  const head = `{"kind":${JSON.stringify(info.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(info.group, info.version))},"metadata":${JSON.stringify(meta)},"items":[`;
  // The items' JSON bytes (made once per revision) are copied once into the body: no joined string to scan and
  // encode again, which for 10,000 objects cost more than the copy.
  const parts: Uint8Array[] = [Buffer.from(head)];
  for (let i = 0; i < res.items.length; i++) {
    if (i > 0) parts.push(comma);
    parts.push(t.store.jsonBytes(res.items[i]!));
  }
  parts.push(listEnd);
  const body = Buffer.concat(parts);
  attachDecoded(body, { kind: info.listKind, apiVersion: apiVersionOf(info.group, info.version), metadata: meta, items: res.items.map((ref) => t.store.object(ref)) });
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

// The line of a watch event that carries the object as stored, encoded once per revision and event type and shared
// by every watcher that sends it (keyed by the stored bytes, which every watcher of one event shares), with the
// decoded event attached for in-process watchers.
// The store is part of the key: stores that convert versions serve the same bytes as different JSON.
const eventLines = new WeakMap<Uint8Array, { rv: number; type: string; store: GenericStore; line: Uint8Array }>();

function eventLine(store: GenericStore, type: string, ref: ObjectRef): Uint8Array {
  const hit = eventLines.get(ref.value);
  if (hit && hit.rv === ref.rv && hit.type === type && hit.store === store) return hit.line;
  const line = attachDecoded(store.framedJson(ref, `{"type":"${type}","object":`, '}\n'), { type, object: store.object(ref) });
  eventLines.set(ref.value, { rv: ref.rv, type, store, line });
  return line;
}

// The same for metadata-only watchers (the garbage collector and quota follow every resource that way).
const metadataEventLines = new WeakMap<Uint8Array, { rv: number; type: string; store: GenericStore; version: string; line: Uint8Array }>();

function metadataEventLine(store: GenericStore, type: string, ref: ObjectRef, version: string): Uint8Array {
  const hit = metadataEventLines.get(ref.value);
  if (hit && hit.rv === ref.rv && hit.type === type && hit.store === store && hit.version === version) return hit.line;
  const obj = store.object(ref);
  const line = attachDecoded(framedPartialObjectMetadata(obj, version, `{"type":"${type}","object":`, '}\n'), { type, object: sharedPartialObjectMetadata(obj, version) });
  metadataEventLines.set(ref.value, { rv: ref.rv, type, store, version, line });
  return line;
}

async function watch(ctx: ServerContext, req: ApiRequest, t: ResourceTarget, p: ListParams): Promise<ApiResponse> {
  const rep = negotiateResource(req.headers['accept']);
  const q = req.query;
  if (p.continue) throw badRequest('continue is not supported on watch');
  const filter = filterOf(ctx, req, t.store);
  const include = rep.kind === 'table' ? includeObjectParam(q.get('includeObject')) : 'Metadata';
  // Real servers end idle watches after a randomised 30-60 minutes; clients re-establish them.
  const timeoutS = p.timeoutSeconds === undefined || p.timeoutSeconds === 0 ? Math.floor(1800 * (1 + Math.random())) : Math.max(0, p.timeoutSeconds);
  const ac = new AbortController();
  const abort = () => ac.abort();
  req.signal.addEventListener('abort', abort, { once: true });
  const cancelTimer = ctx.clock.setTimer(abort, timeoutS * 1000);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    cancelTimer();
    req.signal.removeEventListener('abort', abort);
    ac.abort();
  };
  const info = t.store.strategy.info;
  const apiVersion = apiVersionOf(info.group, info.version);
  let first = true;
  const encode = (e: StoreWatchEvent): Uint8Array | string => {
    if (e.type === 'ERROR') return `{"type":"ERROR","object":${JSON.stringify(e.error.status)}}\n`;
    if (e.type === 'BOOKMARK') {
      const meta: Record<string, unknown> = { resourceVersion: String(e.rv) };
      if (e.initialEventsEnd) meta['annotations'] = { 'k8s.io/initial-events-end': 'true' };
      return `{"type":"BOOKMARK","object":${JSON.stringify({ kind: info.kind, apiVersion, metadata: meta })}}\n`;
    }
    let obj: string;
    if (rep.kind === 'table') {
      obj = renderTable([{ obj: t.store.object(e.ref), json: () => t.store.json(e.ref) }], {
        printer: t.store.strategy.printer,
        now: ctx.clock.now(),
        include,
        version: rep.version,
        resourceVersion: String(e.ref.rv),
        columns: first,
      });
      first = false;
    } else if (rep.kind === 'metadata') {
      return metadataEventLine(t.store, e.type, e.ref, rep.version);
    } else {
      return eventLine(t.store, e.type, e.ref);
    }
    return `{"type":"${e.type}","object":${obj}}\n`;
  };
  // The body is pushed to as events happen; the watch stops when its reader goes away.
  const body = new PushStream(stop);
  // Started before the response goes out, so that a write the client makes once it has the response is seen.
  try {
    await t.store.subscribe(
      {
        namespace: t.namespace,
        filter,
        resourceVersion: p.resourceVersion,
        resourceVersionMatch: p.resourceVersionMatch,
        sendInitialEvents: p.sendInitialEvents,
        allowBookmarks: p.allowWatchBookmarks && rep.kind !== 'table',
        signal: ac.signal,
      },
      {
        event: (e) => body.push(encode(e)),
        end: () => {
          stop();
          body.end();
        },
      },
    );
  } catch (e) {
    stop();
    throw e;
  }
  const ct = rep.kind === 'table' ? `application/json;as=Table;v=${rep.version};g=meta.k8s.io` : 'application/json';
  return { status: 200, headers: { 'content-type': ct, 'cache-control': 'no-cache, private' }, body };
}

// ---- writes --------------------------------------------------------------------------------------

/** Reads `dryRun`: only "All" is allowed; anything else is the 422 of the request's options kind. */
export function dryRunParam(values: string[], kind: OptionsKind = 'UpdateOptions'): boolean {
  throwOptionErrors(kind, dryRunErrors(values));
  return values.length > 0;
}

/** Applies the schema rules of fieldValidation to a decoded object; returns warnings for Warn. */
export function checkFields(ctx: ServerContext, obj: KubeObject, t: ResourceTarget, mode: FieldValidation): string[] {
  const info = t.store.strategy.info;
  const prune = t.store.strategy.prune;
  // Custom resources prune by their own schema (type errors come later, as 422 from validation).
  const r = prune ? { unknown: prune(obj) } : ctx.schema.check(obj, t.store.strategy.schemaName, { kind: info.kind, version: info.version, dropUnknown: mode !== 'Strict' });
  if ('error' in r && r.error) throw badRequest(r.error);
  if (r.unknown.length === 0) return [];
  if (mode === 'Strict') {
    const list = r.unknown.map((f) => `unknown field ${JSON.stringify(f)}`).join(', ');
    throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${list}`);
  }
  return mode === 'Warn' ? r.unknown.map((f) => `unknown field ${JSON.stringify(f)}`) : [];
}

function decodeFor(ctx: ServerContext, req: ApiRequest, t: ResourceTarget, mode: FieldValidation): { obj: KubeObject; warnings: string[] } {
  const info = t.store.strategy.info;
  let obj: KubeObject;
  try {
    obj = decodeObjectBody(req.headers['content-type'], req.body, ctx.protobuf);
  } catch (e) {
    throw e instanceof UnreadableBodyError ? unrecognizedObject(info.kind, e, req.body) : e;
  }
  checkTypeMeta(obj, { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind });
  const warnings = checkFields(ctx, obj, t, mode);
  return { obj, warnings };
}

function namespaceOfBody(obj: KubeObject, t: ResourceTarget): void {
  const ns = obj.metadata?.namespace;
  if (!t.store.strategy.info.namespaced) return;
  if (ns !== undefined && ns !== '' && t.namespace !== undefined && ns !== t.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/** An update's body must name the object of the URL (an absent name does not), in its namespace if it has one. */
function checkName(obj: KubeObject, name: string, namespace: string | undefined): void {
  const objName = obj.metadata?.name ?? '';
  if (objName !== name) throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
  const objNs = obj.metadata?.namespace ?? '';
  if (namespace && objNs && objNs !== namespace) {
    throw badRequest(`the namespace of the object (${objNs}) does not match the namespace on the request (${namespace})`);
  }
}

function withWarnings(res: ApiResponse, warnings: string[]): ApiResponse {
  if (warnings.length) res.headers['warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  return res;
}

async function create(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const info = t.store.strategy.info;
  if (info.namespaced && t.namespace === undefined) throw methodNotAllowed();
  const { dryRun, fieldManager, fieldValidation } = writeParams(req.query, 'CreateOptions');
  const { obj, warnings } = decodeFor(ctx, req, t, fieldValidation);
  namespaceOfBody(obj, t);
  const admission = writeAdmission(ctx.admission, req, t, dryRun);
  await admission?.mutate(obj, undefined);
  const ref = await t.store.create(t.namespace, obj, { dryRun, fieldManager: fieldManager ?? managerFromUserAgent(req), validate: admission?.validate });
  const out = dryRun ? jsonResponse(201, JSON.stringify({ ...obj, metadata: { ...obj.metadata } })) : jsonResponse(201, t.store.responseJson(ref));
  return withWarnings(out, [...warnings, ...(t.store.strategy.warnings?.(t.store.object(ref), undefined) ?? [])]);
}

/** The default field manager: the user agent's first token, as Kubernetes derives it. */
export function managerFromUserAgent(req: ApiRequest): string {
  const ua = req.headers['user-agent'] ?? '';
  const first = ua.split('/')[0] ?? '';
  return first.slice(0, 128) || 'unknown';
}

async function update(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const { dryRun, fieldManager, fieldValidation } = writeParams(req.query, 'UpdateOptions');
  const { obj, warnings } = decodeFor(ctx, req, t, fieldValidation);
  const name = t.name!;
  checkName(obj, name, t.namespace);
  const manager = fieldManager ?? managerFromUserAgent(req);
  const sub = t.subresource === 'status' ? 'status' : undefined;
  const admission = writeAdmission(ctx.admission, req, t, dryRun);
  const { ref, created } = await t.store.update(
    t.namespace,
    name,
    async (current) => {
      const next = structuredCloneJson(obj);
      await admission?.mutate(next, current);
      return next;
    },
    { dryRun, fieldManager: manager, subresource: sub, validate: admission?.validate },
  );
  const out = jsonResponse(created ? 201 : 200, t.store.responseJson(ref));
  return withWarnings(out, warnings);
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The patch types and the media types that select them. */
const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'] as const;

async function patch(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const ct = contentTypeOf(req.headers['content-type']);
  const info = t.store.strategy.info;
  if (!(patchTypes as readonly string[]).includes(ct)) throw unsupportedMediaType(req.headers['content-type'] ?? '', patchTypes);
  const { dryRun, fieldManager, fieldValidation: mode } = writeParams(req.query, 'PatchOptions', ct);
  if (ct === 'application/strategic-merge-patch+json' && !ctx.patch.strategicSupported(t.store)) {
    throw unsupportedMediaType(req.headers['content-type'] ?? '', patchTypes.filter((p) => p !== 'application/strategic-merge-patch+json'));
  }
  if (ct === 'application/apply-patch+yaml') return ctx.apply(req, t, { dryRun, fieldManager, mode });
  const text = new TextDecoder().decode(req.body);
  const patchDoc = parseJsonBody(text);
  const manager = fieldManager ?? managerFromUserAgent(req);
  const sub = t.subresource === 'status' ? 'status' : undefined;
  let warnings: string[] = [];
  const admission = writeAdmission(ctx.admission, req, t, dryRun);
  const { ref } = await t.store.update(
    t.namespace,
    t.name!,
    async (current) => {
      if (!current) throw notFound({ group: info.group, resource: info.plural, name: t.name });
      const currentRv = current.metadata?.resourceVersion;
      let next: KubeObject;
      if (ct === 'application/json-patch+json') next = ctx.patch.json(current, patchDoc);
      else if (ct === 'application/merge-patch+json') next = ctx.patch.merge(current, patchDoc);
      else next = ctx.patch.strategic(current, patchDoc, t.store);
      if (next === null || typeof next !== 'object' || Array.isArray(next)) throw badRequest('the patch produced something that is not an object');
      checkTypeMeta(next, { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind });
      warnings = checkFields(ctx, next, t, mode);
      // A patch that sets resourceVersion makes it a precondition; otherwise the patch applies to the latest version.
      const patchedRv = next.metadata?.resourceVersion;
      if (next.metadata && patchedRv === currentRv) delete next.metadata.resourceVersion;
      await admission?.mutate(next, current);
      return next;
    },
    { dryRun, fieldManager: manager, subresource: sub, validate: admission?.validate },
  );
  return withWarnings(jsonResponse(200, t.store.responseJson(ref)), warnings);
}

/** DeleteOptions from the body (JSON or protobuf) and the query. */
export interface DeleteRequest {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  /** The deprecated orphanDependents, when given (false makes a delete that is not done yet answer 202). */
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

function parseDeleteOptions(ctx: ServerContext, req: ApiRequest): DeleteRequest {
  let body: Record<string, unknown> = {};
  if (req.body.length > 0) {
    const ct = contentTypeOf(req.headers['content-type']);
    if (ct === 'application/vnd.kubernetes.protobuf' && ctx.protobuf) body = ctx.protobuf(req.body).object;
    else {
      const v = parseJsonBody(new TextDecoder().decode(req.body));
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest('DeleteOptions must be an object');
      body = v as Record<string, unknown>;
    }
  }
  const q = req.query;
  const dryRunValues = [...q.getAll('dryRun'), ...(Array.isArray(body['dryRun']) ? (body['dryRun'] as unknown[]).map(String) : [])];
  const out: DeleteRequest = { dryRun: dryRunValues.length > 0 };
  const errs = dryRunErrors(dryRunValues);
  const gp = q.get('gracePeriodSeconds') ?? (body['gracePeriodSeconds'] !== undefined ? String(body['gracePeriodSeconds']) : null);
  if (gp !== null && gp !== '') {
    if (!/^-?\d+$/.test(gp)) throw badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(gp)}`);
    out.gracePeriodSeconds = Number(gp);
  }
  const pp = q.get('propagationPolicy') ?? (typeof body['propagationPolicy'] === 'string' ? body['propagationPolicy'] : null);
  const orphan = q.get('orphanDependents') ?? (typeof body['orphanDependents'] === 'boolean' ? String(body['orphanDependents']) : null);
  if (pp !== null && pp !== '') {
    // ValidateDeleteOptions' checks, in its order (before the dryRun check).
    if (orphan !== null) errs.unshift(fieldError.invalid('propagationPolicy', pp, 'orphanDependents and deletionPropagation cannot be both set'));
    if (!['Orphan', 'Background', 'Foreground'].includes(pp)) {
      errs.splice(orphan !== null ? 1 : 0, 0, fieldError.notSupported('propagationPolicy', pp, ['Foreground', 'Background', 'Orphan', 'nil']));
    }
    out.propagationPolicy = pp;
  } else if (orphan !== null && orphan !== 'false' && orphan !== '0') out.propagationPolicy = 'Orphan';
  throwOptionErrors('DeleteOptions', errs);
  if (orphan !== null) out.orphanDependents = !(orphan === 'false' || orphan === '0');
  const pre = body['preconditions'];
  if (pre && typeof pre === 'object') {
    const p = pre as Record<string, unknown>;
    out.preconditions = {};
    if (typeof p['uid'] === 'string') out.preconditions.uid = p['uid'];
    if (typeof p['resourceVersion'] === 'string') out.preconditions.resourceVersion = p['resourceVersion'];
  }
  return out;
}

function withoutPreconditions(opts: DeleteRequest): DeleteRequest {
  const { preconditions: _p, ...rest } = opts;
  return rest;
}

/** Resources whose DELETE answers with the object rather than a Status. */
const returnsDeletedObject = new Set(['pods', 'namespaces']);

async function del(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const opts = parseDeleteOptions(ctx, req);
  await admitDelete(ctx.admission, req, t, t.name!, opts.dryRun);
  const res = await ctx.deleter(t.store, t.namespace, t.name!, opts);
  const info = t.store.strategy.info;
  if (res.pending || returnsDeletedObject.has(info.plural) || info.group.includes('.') && !info.group.endsWith('k8s.io')) {
    // kube-apiserver answers 202 only for an object not gone yet whose client set orphanDependents=false.
    return jsonResponse(res.pending && opts.orphanDependents === false ? 202 : 200, t.store.responseJson(res.ref));
  }
  const obj = t.store.object(res.ref);
  return jsonResponse(200, statusSuccess({ name: t.name!, group: info.group, kind: info.plural, uid: obj.metadata?.uid }));
}

async function deleteCollection(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const info = t.store.strategy.info;
  if (!info.verbs.includes('deletecollection')) throw methodNotAllowed();
  // The list part is checked as a list's (422 ListOptions).
  listParams(req.query);
  const opts = parseDeleteOptions(ctx, req);
  const filter = filterOf(ctx, req, t.store);
  const { items } = await t.store.list({ namespace: t.namespace, filter });
  const out: string[] = [];
  for (const ref of items) {
    const obj = t.store.object(ref);
    try {
      await admitDelete(ctx.admission, req, { ...t, namespace: obj.metadata?.namespace }, obj.metadata!.name!, opts.dryRun);
      const r = await ctx.deleter(t.store, obj.metadata?.namespace, obj.metadata!.name!, withoutPreconditions(opts));
      out.push(t.store.json(r.ref));
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'NotFound') continue;
      throw e;
    }
  }
  const rv = String(await ctx.currentRevision());
  return jsonResponse(200, `{"kind":${JSON.stringify(info.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(info.group, info.version))},"metadata":{"resourceVersion":${JSON.stringify(rv)}},"items":[${out.join(',')}]}`);
}

/** PUT on a namespace's finalize subresource: replaces spec.finalizers only. */
export async function finalizeNamespace(ctx: ServerContext, req: ApiRequest, t: ResourceTarget): Promise<ApiResponse> {
  const { dryRun, fieldValidation } = writeParams(req.query, 'UpdateOptions');
  const { obj, warnings } = decodeFor(ctx, req, t, fieldValidation);
  const { ref } = await t.store.update(t.namespace, t.name!, () => obj, { dryRun, subresource: 'finalize' });
  return withWarnings(jsonResponse(200, t.store.responseJson(ref)), warnings);
}
