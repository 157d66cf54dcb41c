// The node:https adapter: puts the fetch-shaped core (`ApiHandler`) on a TLS socket.
//
// It owns everything that needs the socket: client-certificate authentication, the request body limit, the
// AbortSignal that ends watches when the client goes away, streaming response bodies with backpressure,
// keep-alive and timeouts, protocol upgrades, and graceful shutdown. It never lets a bad request crash the
// process: malformed requests get a 400, resets and aborted uploads are logged and dropped.
//
// HTTP/1.1 only: kubectl and client libraries speak it, and it keeps the 'upgrade' path (exec, port-forward,
// attach) simple. ALPN advertises http/1.1 so Go clients do not try h2.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { StatusError } from '../machinery/index.js';
import { badRequest, internalError, tooLarge } from '../machinery/index.js';
import type { Logger } from '../util/index.js';
import { PushStream } from './respond.js';
import { maxRequestBodyBytes, type ApiBody, type ApiHandler, type ApiRequest, type ApiResponse, type UserInfo } from './http.js';
import { certificateAuthenticator, unauthorizedResponse, type AuthenticationResult, type Authenticator } from './authentication.js';

/** PEM text for the serving certificate and key, and the CA that client certificates must chain to. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** Client certificates are accepted only when they chain to this CA; without it, none are. */
  ca?: string;
}

/** An HTTP upgrade request (exec, attach, port-forward), handed over with its socket. */
export interface UpgradeRequest {
  req: IncomingMessage;
  socket: Duplex;
  /** Bytes the client sent after the request head. */
  head: Buffer;
  /** The authenticated user (client certificate or bearer token), when there is one. */
  user?: UserInfo;
}

/** How to serve. */
export interface ServeOptions {
  host: string;
  /** 0 picks a free port; the chosen one is in the result. */
  port: number;
  tls: TlsMaterial;
  logger: Logger;
  /** Turns a verified client certificate into a user; default `userFromCertificate` (CN and O, as Kubernetes). */
  authenticate?: (cert: PeerCertificate) => UserInfo | undefined;
  /**
   * Authenticates each request (headers and verified client certificate); replaces `authenticate`. Default: client
   * certificates only. A request it answers 'invalid' for gets 401 Unauthorized without reaching the handler.
   */
  authenticator?: Authenticator;
  /** Takes over upgrade requests; without it they get a 400. */
  upgrade?: (u: UpgradeRequest) => void;
  /** Largest request body accepted (default 3 MiB, as Kubernetes). */
  maxRequestBodyBytes?: number;
  /** How long `close()` lets in-flight requests finish before cutting connections (default 5 s). */
  shutdownGraceMs?: number;
}

/** A listening server. */
export interface RunningServer {
  /** The port actually bound. */
  port: number;
  /** Stops accepting, ends watch streams, lets in-flight requests finish (up to the grace period), then closes. */
  close(): Promise<void>;
}

export { authenticatedGroup, userFromCertificate } from './authentication.js';

// Keep-alive longer than Go's 90 s idle-connection timeout, so the client, not kin, closes idle connections
// (a server-side close races with the client reusing the connection).
const keepAliveTimeoutMs = 100_000;
// Receiving a request (head and body, at most 3 MiB) may take this long; a response (a watch) may take forever.
const requestTimeoutMs = 120_000;
const headersTimeoutMs = 60_000;
// After a 413, read and drop up to this much of the rest of the body so the client can finish sending and read
// the answer; past it, close the connection.
const maxDiscardBytes = 4 * 1024 * 1024;
const jsonHeaders = { 'content-type': 'application/json' };
// A pushed stream (a watch) whose client has this much unread is ended (see pipePush).
const maxStreamBacklogBytes = 64 * 1024 * 1024;

function statusResponse(err: StatusError, extraHeaders?: Record<string, string>): ApiResponse {
  return { status: err.code, headers: extraHeaders ? { ...jsonHeaders, ...extraHeaders } : jsonHeaders, body: JSON.stringify(err.status) };
}

/** A whole response written straight to a socket that has no ServerResponse (parse errors, refused upgrades). */
function rawResponse(status: string, contentType: string, body: string): string {
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function isStream(body: ApiBody | undefined): body is AsyncIterable<Uint8Array | string> {
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
}

/** Splits a request target into path and query; undefined when it is neither origin-form nor absolute-form. */
function splitTarget(url: string): { path: string; query: string } | undefined {
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
  }
  try {
    const u = new URL(url); // absolute-form, as sent through some proxies
    return u.protocol === 'https:' || u.protocol === 'http:' ? { path: u.pathname, query: u.search.slice(1) } : undefined;
  } catch {
    return undefined;
  }
}

const tooLargeBody = Symbol('too large');
const emptyBody = new Uint8Array(0);

/** True when a request has a body to read (a length or a chunked transfer). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/** Reads the body, stopping as soon as it passes `limit`. Rejects when the client goes away mid-upload. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | typeof tooLargeBody> {
  const declared = req.headers['content-length'];
  if (!hasBody(req)) return Promise.resolve(emptyBody);
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(tooLargeBody);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        resolve(tooLargeBody);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the client closed the connection during the upload'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Drops the rest of an over-limit body without keeping it, cutting the connection if there is too much. */
function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxDiscardBytes) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

/** Resolves when `res` can take more data, or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Puts `handler` on an HTTPS socket. Resolves once listening. */
export async function serve(handler: ApiHandler, opts: ServeOptions): Promise<RunningServer> {
  const { logger } = opts;
  const limit = opts.maxRequestBodyBytes ?? maxRequestBodyBytes;
  const authenticator = opts.authenticator ?? certificateAuthenticator(opts.authenticate);
  const certs = new WeakMap<TLSSocket, PeerCertificate | null>(); // a connection's certificate is read once
  const busy = new WeakMap<Duplex, number>(); // responses in progress per connection
  const streams = new Set<() => void>(); // stops each streaming response, for shutdown
  const upgraded = new Set<Duplex>();
  let closing = false;

  const server = createServer({
    cert: opts.tls.cert,
    key: opts.tls.key,
    ...(opts.tls.ca ? { ca: opts.tls.ca } : {}),
    // Ask for a client certificate but let requests without a valid one through: the core decides what an
    // anonymous or token-bearing request may do. `socket.authorized` says whether the chain checked out.
    requestCert: opts.tls.ca !== undefined,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    noDelay: true,
    keepAlive: true, // TCP keep-alive: notices dead watch clients
    keepAliveInitialDelay: 60_000,
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = headersTimeoutMs;
  server.timeout = 0; // no socket inactivity timeout: an idle watch is not a dead one

  /** The verified client certificate of a connection (undefined without one or when it does not chain to the CA). */
  function certificateOf(socket: TLSSocket): PeerCertificate | undefined {
    let cert = certs.get(socket);
    if (cert === undefined) {
      cert = null;
      // `authorized`: the certificate chains to the CA. OpenSSL also checks that its EKU allows client auth.
      if (opts.tls.ca && socket.authorized) {
        const peer = socket.getPeerCertificate();
        if (peer && Object.keys(peer).length > 0) cert = peer;
      }
      certs.set(socket, cert);
    }
    return cert ?? undefined;
  }

  const authFailed = (err: unknown): AuthenticationResult => {
    logger.warn('authentication failed', { error: String(err) });
    return 'invalid';
  };

  /** Who a request comes from; 'invalid' when its credentials were refused. Synchronous when the authenticator is. */
  function authenticate(headers: Record<string, string | undefined>, socket: TLSSocket): AuthenticationResult | Promise<AuthenticationResult> {
    try {
      const r = authenticator(headers, certificateOf(socket));
      return r instanceof Promise ? r.catch(authFailed) : r;
    } catch (err) {
      return authFailed(err);
    }
  }

  const onResponseError = (err: Error) => logger.debug('response error', { error: err.message });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    // The AbortSignal is made only when a handler asks for it (watches do; a GET does not): an AbortController
    // per request was the largest avoidable cost of a GET.
    let ac: AbortController | undefined;
    let gone = false;
    let stopStream: (() => void) | undefined;
    res.on('error', onResponseError);
    res.once('close', () => {
      busy.set(socket, (busy.get(socket) ?? 1) - 1);
      // Closed before the response was complete: the client went away (or shutdown cut it).
      if (!res.writableFinished) {
        gone = true;
        ac?.abort();
        stopStream?.();
      }
    });

    const target = splitTarget(req.url ?? '');
    if (!target) return send(res, statusResponse(badRequest(`invalid request target: ${JSON.stringify(req.url ?? '')}`)));

    let body: Uint8Array | typeof tooLargeBody;
    if (!hasBody(req)) body = emptyBody;
    else {
      try {
        body = await readBody(req, limit);
      } catch (err) {
        logger.debug('request body not received', { method: req.method, path: target.path, error: String(err) });
        res.destroy();
        return;
      }
    }
    if (body === tooLargeBody) {
      discardRest(req);
      return send(res, statusResponse(tooLarge(limit)));
    }

    const headers = req.headers as Record<string, string | string[] | undefined>;
    for (const k in headers) {
      const v = headers[k];
      if (Array.isArray(v)) headers[k] = v.join(', ');
    }
    let query: URLSearchParams | undefined;
    const apiReq: ApiRequest = {
      method: req.method ?? 'GET',
      path: target.path,
      // Parsed on first use: many requests have no query at all, and some never look at it.
      get query() {
        return (query ??= new URLSearchParams(target.query));
      },
      set query(q: URLSearchParams) {
        query = q;
      },
      headers: headers as Record<string, string | undefined>,
      body,
      get signal() {
        if (!ac) {
          ac = new AbortController();
          if (gone) ac.abort();
        }
        return ac.signal;
      },
    };
    let user = authenticate(apiReq.headers, socket as TLSSocket);
    if (user instanceof Promise) user = await user;
    if (user === 'invalid') return send(res, unauthorizedResponse());
    if (user) apiReq.user = user;

    let apiRes: ApiResponse;
    try {
      apiRes = await handler(apiReq);
    } catch (err) {
      logger.error('request handler failed', { method: apiReq.method, path: apiReq.path, error: String(err) });
      apiRes = statusResponse(internalError(err));
    }
    if (!isStream(apiRes.body)) return send(res, apiRes);
    if (apiRes.body instanceof PushStream) {
      stopStream = pipePush(res, apiRes, apiRes.body, { path: apiReq.path, abortRequest: () => ac?.abort() });
      return;
    }

    const it = apiRes.body[Symbol.asyncIterator]();
    let returned = false;
    const stop = () => {
      if (returned) return;
      returned = true;
      ac?.abort(); // lets a generator waiting for its next event finish now
      Promise.resolve()
        .then(() => it.return?.())
        .catch((err: unknown) => logger.debug('stream iterator failed to stop', { error: String(err) }));
    };
    stopStream = stop;
    if (res.destroyed) return stop();
    streams.add(stop);
    let finished = false;
    try {
      if (!writeHead(res, apiRes)) return;
      res.flushHeaders(); // a watch must see its 200 before the first event
      for (;;) {
        const next = await it.next();
        if (next.done) finished = true;
        if (next.done || returned || res.destroyed) break;
        const chunk = next.value;
        if (chunk.length === 0) continue; // an empty chunk would end a chunked body early
        if (!res.write(chunk)) await drained(res);
      }
      if (!res.destroyed) res.end();
    } catch (err) {
      finished = true; // a throwing iterator is done
      logger.error('response stream failed', { method: apiReq.method, path: apiReq.path, error: String(err) });
      res.destroy(); // a truncated chunked body tells the client the stream broke
    } finally {
      streams.delete(stop);
      if (!finished) stop();
      if (closing) setImmediate(() => server.closeIdleConnections());
    }
  }

  /**
   * Streams a pushed body: each chunk is written to the socket as the producer pushes it, with no async step in
   * between. A client that stops reading while more than `maxStreamBacklogBytes` wait for it is cut off, as
   * kube-apiserver ends watchers too slow to keep up (the client re-lists and watches again); until then Node
   * buffers for it. Returns the function that stops the stream (the client went away).
   */
  function pipePush(
    res: ServerResponse,
    apiRes: ApiResponse,
    body: PushStream,
    { path, abortRequest }: { path: string; abortRequest: () => void },
  ): (() => void) | undefined {
    let detach: (() => void) | undefined;
    let over = false;
    const finish = () => {
      if (over) return false;
      over = true;
      streams.delete(stop);
      if (closing) setImmediate(() => server.closeIdleConnections());
      return true;
    };
    const stop = () => {
      if (!finish()) return;
      abortRequest();
      detach?.(); // the producer stops (and ends the stream, which ends the response below)
      if (!res.destroyed && !res.writableEnded) res.end();
    };
    if (res.destroyed) {
      body.attach({ write() {}, end() {} })();
      return undefined;
    }
    if (!writeHead(res, apiRes)) {
      body.attach({ write() {}, end() {} })();
      return undefined;
    }
    res.flushHeaders(); // a watch must see its 200 before the first event
    streams.add(stop);
    detach = body.attach({
      write(chunk) {
        if (over || res.destroyed) return;
        res.write(chunk);
        if (res.writableLength > maxStreamBacklogBytes) {
          logger.warn('stream client too slow, ending its stream', { path, buffered: res.writableLength });
          stop();
        }
      },
      end() {
        finish();
        if (!res.destroyed && !res.writableEnded) res.end();
      },
    });
    return stop;
  }

  /** Writes status and headers; false (and the connection dropped) when the handler's headers are unusable. */
  function writeHead(res: ServerResponse, apiRes: ApiResponse, contentLength?: number): boolean {
    try {
      // One header object handed to writeHead (setHeader first would make Node merge two sets); the handler's
      // headers win over the ones added here.
      const length = contentLength !== undefined && apiRes.status !== 204 && apiRes.status !== 304;
      const headers = closing || length ? { ...(closing ? { connection: 'close' } : {}), ...(length ? { 'content-length': contentLength } : {}), ...apiRes.headers } : apiRes.headers;
      res.writeHead(apiRes.status, headers);
      return true;
    } catch (err) {
      logger.error('invalid response head', { status: apiRes.status, error: String(err) });
      if (!res.headersSent) {
        res.removeHeader('content-length');
        const fallback = statusResponse(internalError(err));
        const text = String(fallback.body);
        res.writeHead(fallback.status, { ...fallback.headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      } else res.destroy();
      return false;
    }
  }

  function send(res: ServerResponse, apiRes: ApiResponse): void {
    if (res.destroyed) return;
    const body = apiRes.body as Uint8Array | string | undefined;
    const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (writeHead(res, apiRes, length)) res.end(body);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((err: unknown) => {
      logger.error('request failed', { error: String(err) });
      res.destroy();
    });
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug('malformed request', { code: err.code, error: err.message });
    // Answer only where no response is under way on this connection; otherwise a reply would corrupt it.
    if (!socket.writable || err.code === 'ECONNRESET' || (busy.get(socket) ?? 0) > 0) {
      socket.destroy();
      return;
    }
    // Plain text, as the HTTP layer under Kubernetes answers these: no Status, the request never reached the API.
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(rawResponse(status, 'text/plain; charset=utf-8', status));
  });

  server.on('tlsClientError', (err: Error) => logger.debug('TLS handshake failed', { error: err.message }));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => logger.debug('upgraded connection error', { error: err.message }));
    if (!opts.upgrade || closing) {
      const err = badRequest(`upgrading the connection to ${JSON.stringify(req.headers.upgrade ?? '')} is not supported here`);
      socket.end(rawResponse('400 Bad Request', 'application/json', JSON.stringify(err.status)));
      return;
    }
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const u: UpgradeRequest = { req, socket, head };
    const proceed = (user: AuthenticationResult) => {
      if (user === 'invalid') {
        socket.end(rawResponse('401 Unauthorized', 'application/json', String(unauthorizedResponse().body)));
        return;
      }
      if (user) u.user = user;
      try {
        opts.upgrade!(u);
      } catch (err) {
        logger.error('upgrade handler failed', { error: String(err) });
        socket.destroy();
      }
    };
    const user = authenticate(req.headers as Record<string, string | undefined>, socket as TLSSocket);
    if (user instanceof Promise) void user.then(proceed);
    else proceed(user);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('server error', { error: err.message }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  let closed: Promise<void> | undefined;
  return {
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const cut = setTimeout(() => {
          server.closeAllConnections();
          for (const s of upgraded) s.destroy();
        }, opts.shutdownGraceMs ?? 5_000);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
        for (const stop of streams) stop(); // watch streams end cleanly; clients re-watch elsewhere
      });
      return closed;
    },
  };
}
