// Test helpers for the fetch-shaped core: a server over memory storage, one-call requests and a watch reader.
import type { ResourceStrategy } from '../../registry/strategy.js';
import { assembleApiServer, type ApiServer } from '../assemble.js';
import type { ApiHandler, ApiRequest, ApiResponse, UserInfo } from '../http.js';
import { MemoryBackend, WatchCache, type Backend, type MemoryBackendOptions, type WatchCacheOptions } from '../../storage/index.js';
import { FakeClock, silentLogger } from '../../util/index.js';

/** The user every test request is made as (the core only checks that someone is authenticated). */
export const testUser: UserInfo = { username: 'kin-test-admin', groups: ['system:masters', 'system:authenticated'] };

/** Options of one request. */
export interface CallOptions {
  /** A JSON value (serialized), text or bytes. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  query?: Record<string, string | string[]> | URLSearchParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** `null` sends the request unauthenticated. */
  user?: UserInfo | null;
}

/** A response with its body read (except a streamed one, which stays in `stream`). */
export interface CallResult {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body as text ('' for a streamed body). */
  text: string;
  /** The body parsed as JSON. */
  json<T = Record<string, any>>(): T;
  /** A streamed body (watch), untouched. */
  stream: AsyncIterable<Uint8Array | string> | undefined;
  raw: ApiResponse;
}

function toQuery(q: CallOptions['query']): URLSearchParams {
  if (q instanceof URLSearchParams) return q;
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(q ?? {})) for (const x of Array.isArray(v) ? v : [v]) out.append(k, x);
  return out;
}

function toBytes(body: unknown): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

/** Builds an ApiRequest; `path` may carry a query string, merged with `opts.query`. */
export function makeRequest(method: string, path: string, opts: CallOptions = {}): ApiRequest {
  const qi = path.indexOf('?');
  const query = toQuery(opts.query);
  if (qi >= 0) for (const [k, v] of new URLSearchParams(path.slice(qi + 1))) query.append(k, v);
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  if (opts.accept !== undefined) headers['accept'] = opts.accept;
  const body = toBytes(opts.body);
  if (opts.contentType !== undefined) headers['content-type'] = opts.contentType;
  else if (opts.body !== undefined && !(opts.body instanceof Uint8Array) && typeof opts.body !== 'string') headers['content-type'] = 'application/json';
  const req: ApiRequest = { method, path: qi >= 0 ? path.slice(0, qi) : path, query, headers, body, signal: opts.signal ?? new AbortController().signal };
  if (opts.user !== null) req.user = opts.user ?? testUser;
  return req;
}

/** Sends one request to a handler and reads the response body (streams are left to `readEvents`). */
export async function call(handler: ApiHandler, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const res = await handler(makeRequest(method, path, opts));
  const b = res.body;
  let text = '';
  let stream: AsyncIterable<Uint8Array | string> | undefined;
  if (typeof b === 'string') text = b;
  else if (b instanceof Uint8Array) text = Buffer.from(b).toString('utf8');
  else if (b !== undefined) stream = b;
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
    stream,
    raw: res,
  };
}

/** One decoded watch event. */
export interface WatchEventJson {
  type: string;
  object: Record<string, any>;
}

/**
 * Reads watch events from a streamed body: `n` of them, or until the stream ends when `n` is undefined.
 * Chunks may hold several lines or part of one, as a transport may deliver them.
 */
export class WatchReader {
  private readonly it: AsyncIterator<Uint8Array | string>;
  private buf = '';
  private done = false;
  constructor(stream: AsyncIterable<Uint8Array | string>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** The next event, or undefined once the stream has ended. */
  async next(): Promise<WatchEventJson | undefined> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        if (line.trim() === '') continue;
        return JSON.parse(line) as WatchEventJson;
      }
      if (this.done) {
        if (this.buf.trim() === '') return undefined;
        const line = this.buf;
        this.buf = '';
        return JSON.parse(line) as WatchEventJson;
      }
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf += typeof r.value === 'string' ? r.value : Buffer.from(r.value).toString('utf8');
    }
  }

  /** The next `n` events; fails if the stream ends before. */
  async take(n: number): Promise<WatchEventJson[]> {
    const out: WatchEventJson[] = [];
    while (out.length < n) {
      const e = await this.next();
      if (!e) throw new Error(`watch ended after ${out.length} of ${n} events: ${JSON.stringify(out)}`);
      out.push(e);
    }
    return out;
  }

  /** Every remaining event, until the stream ends. */
  async rest(): Promise<WatchEventJson[]> {
    const out: WatchEventJson[] = [];
    for (let e = await this.next(); e; e = await this.next()) out.push(e);
    return out;
  }

  /** Stops reading (runs the stream's cleanup). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** A reader over a watch response; fails when the response is not a stream. */
export function watchReader(res: CallResult): WatchReader {
  if (!res.stream) throw new Error(`not a watch stream: ${res.status} ${res.text}`);
  return new WatchReader(res.stream);
}

/** Options of a test server. */
export interface TestServerOptions {
  /** Strategies of the built-in kinds (tests pass `builtinStrategies()`). */
  strategies?: ResourceStrategy[];
  cache?: WatchCacheOptions;
  memory?: MemoryBackendOptions;
  clock?: FakeClock;
  /** Create the system namespaces and the kubernetes Service first (default true). */
  bootstrap?: boolean;
}

/** An assembled API server over memory storage behind a watch cache, with a fake clock. */
export interface TestServer {
  api: ApiServer;
  handler: ApiHandler;
  backend: Backend;
  clock: FakeClock;
  close(): Promise<void>;
}

/** Assembles an API server over `new WatchCache(new MemoryBackend())` for tests. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const clock = opts.clock ?? new FakeClock();
  const cache = new WatchCache(new MemoryBackend(opts.memory), { ...opts.cache });
  await cache.whenReady();
  const api = assembleApiServer({ backend: cache, clock, logger: silentLogger, serverAddress: '127.0.0.1:6443', strategies: opts.strategies ?? [] });
  if (opts.bootstrap !== false) await api.bootstrap();
  return { api, handler: api.handler, backend: cache, clock, close: () => cache.close() };
}
