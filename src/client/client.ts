// A dynamic API client: get, list, watch, create, update, patch and delete on any resource, over a Transport.
import type { KubeList, KubeObject, Status } from '../api/index.js';
import { apiVersionOf } from '../api/index.js';
import { StatusError } from '../machinery/index.js';
import { decodedOf } from '../util/index.js';
import { bodyLines, bodyText, type ClientRequest, type Transport } from './transport.js';

/** Which resource a client works on. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

/** Options every call takes: `signal` abandons the request. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options of a list or watch. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  /**
   * Only metadata: the server answers with PartialObjectMetadata (kind/apiVersion `meta.k8s.io/v1`, the object's
   * metadata, no spec or status), as Kubernetes' metadata informers ask; far less to encode and parse.
   */
  metadataOnly?: boolean;
  /**
   * The caller only reads what it gets (an informer's store): over the in-process transport the objects may then be
   * the API server's own shared decoded objects, with no JSON to parse. Never mutate them.
   */
  sharedObjects?: boolean;
}

/** One event of a watch. */
export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** Options of a write. */
export interface WriteOptions {
  namespace?: string;
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  force?: boolean;
}

/** The patch types. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';
const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Options of a delete (DeleteOptions). */
export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const encoder = new TextEncoder();
const metadataAccept = 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json';
const metadataListAccept = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

/** The client of one resource. Every method throws a StatusError for a non-2xx answer. */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly transport: Transport,
    readonly ref: ResourceRef,
    private readonly userAgent: string,
  ) {}

  private path(namespace: string | undefined, name?: string, sub?: string): string {
    const r = this.ref;
    let p = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${r.plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  private async send(method: string, path: string, query: URLSearchParams, body?: unknown, contentType = 'application/json', signal?: AbortSignal, accept = 'application/json', shared = false): Promise<unknown> {
    const req: ClientRequest = {
      method,
      path,
      query,
      headers: { accept, 'user-agent': this.userAgent, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? new Uint8Array() : encoder.encode(JSON.stringify(body)),
      signal: signal ?? new AbortController().signal,
    };
    const res = await this.transport(req);
    if (shared && res.status === 200) {
      const decoded = decodedOf(res.body);
      if (decoded !== undefined) return decoded;
    }
    const text = await bodyText(res.body);
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.status >= 200 && res.status < 300) return parsed;
    throw statusErrorOf(res.status, parsed);
  }

  private writeQuery(o: WriteOptions | undefined): URLSearchParams {
    const q = new URLSearchParams();
    if (o?.dryRun) q.set('dryRun', 'All');
    if (o?.fieldManager) q.set('fieldManager', o.fieldManager);
    if (o?.fieldValidation) q.set('fieldValidation', o.fieldValidation);
    if (o?.force !== undefined) q.set('force', String(o.force));
    return q;
  }

  /** Reads one object (with `metadataOnly`, a PartialObjectMetadata of it). */
  async get(name: string, opts: { namespace?: string; metadataOnly?: boolean } & RequestOptions = {}): Promise<T> {
    return (await this.send('GET', this.path(opts.namespace, name), new URLSearchParams(), undefined, undefined, opts.signal, opts.metadataOnly ? metadataAccept : undefined)) as T;
  }

  async list(opts: ListOptions & RequestOptions = {}): Promise<KubeList<T>> {
    const accept = opts.metadataOnly ? metadataListAccept : undefined;
    return (await this.send('GET', this.path(opts.namespace), listQuery(opts), undefined, undefined, opts.signal, accept, opts.sharedObjects)) as KubeList<T>;
  }

  /** Watches until the server ends the stream or `signal` aborts. */
  async *watch(opts: ListOptions, signal: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    const q = listQuery(opts);
    q.set('watch', 'true');
    const accept = opts.metadataOnly ? metadataAccept : 'application/json';
    const res = await this.transport({ method: 'GET', path: this.path(opts.namespace), query: q, headers: { accept, 'user-agent': this.userAgent }, body: new Uint8Array(), signal });
    if (res.status !== 200) throw statusErrorOf(res.status, JSON.parse((await bodyText(res.body)) || 'null'));
    for await (const line of bodyLines(res.body, opts.sharedObjects === true)) yield (typeof line === 'string' ? JSON.parse(line) : line) as WatchEvent<T>;
  }

  async create(obj: T, opts: WriteOptions & RequestOptions = {}): Promise<T> {
    const r = this.ref;
    const body = { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(r.group, r.version) };
    return (await this.send('POST', this.path(opts.namespace ?? obj.metadata?.namespace), this.writeQuery(opts), body, undefined, opts.signal)) as T;
  }

  async update(obj: T, opts: WriteOptions & RequestOptions & { subresource?: 'status' } = {}): Promise<T> {
    const ns = opts.namespace ?? obj.metadata?.namespace;
    return (await this.send('PUT', this.path(ns, obj.metadata!.name!, opts.subresource), this.writeQuery(opts), obj, undefined, opts.signal)) as T;
  }

  async patch(name: string, type: PatchType, patch: unknown, opts: WriteOptions & RequestOptions & { subresource?: string } = {}): Promise<T> {
    return (await this.send('PATCH', this.path(opts.namespace, name, opts.subresource), this.writeQuery(opts), patch, patchContentTypes[type], opts.signal)) as T;
  }

  async delete(name: string, opts: DeleteOptions & RequestOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body['propagationPolicy'] = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = opts.gracePeriodSeconds;
    if (opts.preconditions) body['preconditions'] = opts.preconditions;
    if (opts.dryRun) body['dryRun'] = ['All'];
    return this.send('DELETE', this.path(opts.namespace, name), new URLSearchParams(), body, undefined, opts.signal);
  }
}

function listQuery(o: ListOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (o.labelSelector) q.set('labelSelector', o.labelSelector);
  if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
  if (o.limit) q.set('limit', String(o.limit));
  if (o.continue) q.set('continue', o.continue);
  if (o.resourceVersion !== undefined) q.set('resourceVersion', o.resourceVersion);
  if (o.resourceVersionMatch) q.set('resourceVersionMatch', o.resourceVersionMatch);
  if (o.timeoutSeconds !== undefined) q.set('timeoutSeconds', String(o.timeoutSeconds));
  if (o.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
  return q;
}

/** The StatusError a failed response stands for (a Status body, or one made from the HTTP status). */
export function statusErrorOf(code: number, body: unknown): StatusError {
  const s = body as Partial<Status> | undefined;
  if (s && s.kind === 'Status') {
    const { kind: _k, apiVersion: _a, metadata: _m, status: _s, ...rest } = s;
    return new StatusError({ ...rest, code: s.code ?? code } as ConstructorParameters<typeof StatusError>[0]);
  }
  return new StatusError({ code, reason: code === 404 ? 'NotFound' : 'InternalError', message: `the server responded with status ${code}` });
}

/** A client for every resource, over one transport. */
export class ApiClient {
  constructor(
    readonly transport: Transport,
    private readonly userAgent = 'kin',
  ) {}

  /** The client of one resource. */
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, ref, this.userAgent);
  }
}
