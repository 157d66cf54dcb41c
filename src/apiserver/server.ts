// The API server core: routes a request to discovery, OpenAPI, health or a resource verb, and turns every
// failure into a Status. This is the fetch-shaped `ApiHandler`; `serve.ts` puts it on a socket.
import type { ResourceInfo } from '../api/index.js';
import { badRequest, internalError, notFound, pathNotFound, StatusError, methodNotAllowed } from '../machinery/index.js';
import type { Registry } from '../registry/registry.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { ApiHandler, ApiRequest, ApiResponse } from './http.js';
import type { ServerContext } from './context.js';
import { handleResource } from './resources.js';
import { errorResponse, jsonResponse } from './respond.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupResources,
} from './discovery.js';
import { wantsAggregatedDiscovery } from './media.js';

/** The Kubernetes version kin reports: a minor that kubectl 1.32 and 1.33 accept. */
export const kubernetesVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Serves OpenAPI v3 documents (`/openapi/v3` and one per group-version). */
export interface OpenApiProvider {
  root(): string;
  /** The document of `api/v1` or `apis/<group>/<version>`, or undefined when not served. */
  document(gvPath: string): string | undefined;
}

/** A resource that is not stored: a POST computes an answer (access reviews and the like). */
export interface VirtualResource {
  info: ResourceInfo;
  create(req: ApiRequest, body: Uint8Array, namespace: string | undefined): Promise<ApiResponse>;
}

/** Health checks: name → check (throws or returns false when unhealthy). */
export type HealthChecks = Record<string, () => Promise<boolean> | boolean>;

/** Everything the core needs. */
export interface ApiServerOptions {
  context: ServerContext;
  openapi?: OpenApiProvider;
  virtual?: VirtualResource[];
  /** `host:port` clients reach the server at (legacy discovery reports it). */
  serverAddress: string;
  health?: HealthChecks;
  /** Non-resource paths served for authenticated users (`/.well-known/openid-configuration`, ...), by exact path. */
  paths?: Record<string, (req: ApiRequest) => ApiResponse>;
}

function decodeSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`invalid path segment: ${JSON.stringify(s)}`);
  }
}

/** The non-empty segments of a path, percent-decoded. */
function pathSegments(path: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const end = path.indexOf('/', start);
    const seg = end < 0 ? path.slice(start) : path.slice(start, end);
    if (seg !== '') parts.push(decodeSegment(seg));
    if (end < 0) return parts;
    start = end + 1;
  }
}

/** Builds the API server core handler. */
export function createApiHandler(opts: ApiServerOptions): ApiHandler {
  const ctx = opts.context;
  const registry: Registry = ctx.registry;
  const virtual = opts.virtual ?? [];
  const virtualByPath = new Map(virtual.map((v) => [`${v.info.group}/${v.info.version}/${v.info.plural}`, v]));
  let cacheGen = -1;
  let cache = new Map<string, string>();
  const cached = (key: string, make: () => string): string => {
    if (cacheGen !== registry.generation) {
      cache = new Map();
      cacheGen = registry.generation;
    }
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = make()));
    return v;
  };
  const allResources = (): ResourceInfo[] => [...registry.resources(), ...virtual.map((v) => v.info)];

  async function health(req: ApiRequest, which: string, rest: string[]): Promise<ApiResponse> {
    const checks: [string, () => Promise<boolean> | boolean][] = [['ping', () => true], ['log', () => true], ...Object.entries(opts.health ?? {})];
    if (rest.length > 0) {
      const c = checks.find(([n]) => n === rest[0]);
      if (!c) throw pathNotFound();
      const ok = await Promise.resolve(c[1]()).catch(() => false);
      return { status: ok ? 200 : 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: ok ? 'ok' : `internal server error: ${c[0]} failed` };
    }
    const results = await Promise.all(checks.map(async ([n, f]) => [n, await Promise.resolve(f()).catch(() => false)] as const));
    const ok = results.every(([, r]) => r);
    if (req.query.has('verbose') || !ok) {
      const lines = results.map(([n, r]) => (r ? `[+]${n} ok` : `[-]${n} failed: reason withheld`));
      lines.push(ok ? `${which} check passed` : `${which} check failed`);
      return { status: ok ? 200 : 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: lines.join('\n') + '\n' };
    }
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
  }

  function discovery(req: ApiRequest, parts: string[]): ApiResponse | undefined {
    if (req.method !== 'GET') throw methodNotAllowed();
    const groups = groupResources(allResources());
    const core = groups.filter((g) => g.name === '');
    const named = groups.filter((g) => g.name !== '');
    if (parts.length === 1) {
      const agg = wantsAggregatedDiscovery(req.headers['accept']);
      const isCore = parts[0] === 'api';
      if (agg) {
        const body = cached(`agg/${parts[0]}/${agg}`, () => aggregatedDiscovery(isCore ? core : named, agg));
        return jsonResponse(200, body, aggregatedContentType(agg));
      }
      return jsonResponse(200, isCore ? apiVersions(opts.serverAddress) : cached('apis', () => apiGroupList(named)));
    }
    if (parts[0] === 'api' && parts.length === 2) {
      if (parts[1] !== 'v1') throw pathNotFound();
      return jsonResponse(200, cached('api/v1', () => apiResourceList('', 'v1', core[0]?.versions[0]?.resources ?? [])));
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = named.find((x) => x.name === parts[1]);
      if (!g) throw pathNotFound();
      return jsonResponse(200, cached(`apis/${g.name}`, () => apiGroup(g)));
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const g = named.find((x) => x.name === parts[1]);
      const v = g?.versions.find((x) => x.version === parts[2]);
      if (!g || !v) throw pathNotFound();
      return jsonResponse(200, cached(`apis/${g.name}/${v.version}`, () => apiResourceList(g.name, v.version, v.resources)));
    }
    return undefined;
  }

  function openapi(req: ApiRequest, parts: string[]): ApiResponse {
    if (req.method !== 'GET') throw methodNotAllowed();
    if (!opts.openapi || parts[1] !== 'v3') throw pathNotFound();
    if (parts.length === 2) return jsonResponse(200, opts.openapi.root());
    const doc = opts.openapi.document(parts.slice(2).join('/'));
    if (doc === undefined) throw pathNotFound();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // A URL with the current hash never changes: let clients cache it.
    if (req.query.has('hash')) headers['cache-control'] = 'public, immutable';
    return { status: 200, headers, body: doc };
  }

  /** Resolves `/api/v1/...` and `/apis/g/v/...` below the group-version to a store and its target. */
  async function resource(req: ApiRequest, group: string, version: string, rest: string[]): Promise<ApiResponse> {
    if (!req.user) throw new StatusError({ message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    let r = rest;
    if (r[0] === 'watch') {
      // The deprecated /watch/ path prefix: same as ?watch=true.
      req.query.set('watch', 'true');
      r = r.slice(1);
    }
    let namespace: string | undefined;
    if (r[0] === 'namespaces' && r.length >= 3) {
      namespace = r[1];
      r = r.slice(2);
      // /api/v1/namespaces/{name}/{status|finalize} are subresources of the namespace itself.
      if (group === '' && r.length === 1 && (r[0] === 'status' || r[0] === 'finalize')) {
        r = ['namespaces', namespace!, r[0]];
        namespace = undefined;
      }
    }
    let [plural, name, sub, ...extra] = r;
    if (!plural || extra.length > 0) throw pathNotFound();
    if (rest[0] === 'watch' && name !== undefined) {
      // /watch/.../{name} watches the one object: the collection with a metadata.name selector.
      if (sub !== undefined) throw pathNotFound();
      const fs = req.query.get('fieldSelector');
      const term = `metadata.name=${name.replace(/[\\,=]/g, (c) => `\\${c}`)}`;
      req.query.set('fieldSelector', fs ? `${term},${fs}` : term);
      name = undefined;
    }
    const v = virtualByPath.size > 0 ? virtualByPath.get(`${group}/${version}/${plural}`) : undefined;
    if (v) {
      if (req.method !== 'POST' || name !== undefined) throw methodNotAllowed();
      return v.create(req, req.body, namespace);
    }
    const store: GenericStore | undefined = registry.find(group, version, plural);
    if (!store) throw pathNotFound();
    const info = store.strategy.info;
    if (namespace !== undefined && !info.namespaced) throw pathNotFound();
    if (sub !== undefined && !info.subresources.some((s) => s.name === sub) && !ctx.subresourceNames?.(info).includes(sub)) {
      throw pathNotFound();
    }
    if (info.namespaced && name !== undefined && namespace === undefined) throw pathNotFound();
    return handleResource(ctx, req, { store, namespace, name, subresource: sub });
  }

  async function route(req: ApiRequest): Promise<ApiResponse> {
    const parts = pathSegments(req.path);
    const head = parts[0];
    switch (head) {
      case undefined:
        return jsonResponse(200, JSON.stringify({ paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/openapi/v3', '/version'] }));
      case 'version':
        if (parts.length !== 1) throw pathNotFound();
        return jsonResponse(200, JSON.stringify(kubernetesVersion));
      case 'healthz':
      case 'livez':
      case 'readyz':
        return health(req, head, parts.slice(1));
      case 'openapi':
        return openapi(req, parts);
      case 'api':
      case 'apis': {
        const discoveryDepth = head === 'api' ? 2 : 3;
        if (parts.length <= discoveryDepth) {
          const d = discovery(req, parts);
          if (d) return d;
        }
        if (head === 'api') {
          if (parts[1] !== 'v1') throw pathNotFound();
          return resource(req, '', 'v1', parts.slice(2));
        }
        return resource(req, parts[1]!, parts[2]!, parts.slice(3));
      }
      default: {
        const serve = opts.paths?.[req.path];
        if (!serve) throw pathNotFound();
        if (!req.user) throw new StatusError({ message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
        if (req.method !== 'GET') throw methodNotAllowed();
        return serve(req);
      }
    }
  }

  return async (req) => {
    try {
      return await route(req);
    } catch (e) {
      if (e instanceof StatusError) return errorResponse(e);
      ctx.logger.error('request failed', { method: req.method, path: req.path, error: e instanceof Error ? e.stack : String(e) });
      return errorResponse(internalError(e));
    }
  };
}
