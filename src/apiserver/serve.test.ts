import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';
import { ensurePki, type Pki } from '../cmd/certs.js';
import { silentLogger } from '../util/index.js';
import type { ApiHandler, ApiRequest, ApiResponse } from './http.js';
import { serve, userFromCertificate, type RunningServer, type ServeOptions } from './serve.js';
import { PushStream } from './respond.js';
import { authenticatorChain, bearerTokenAuthenticator, certificateAuthenticator } from './authentication.js';

let pki: Pki;
const dir = mkdtempSync(join(tmpdir(), 'kin-serve-'));
const servers: RunningServer[] = [];
before(async () => {
  pki = await ensurePki(dir);
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A server whose handler the test can swap. */
async function start(handler: ApiHandler, extra: Partial<ServeOptions> = {}): Promise<RunningServer> {
  const s = await serve(handler, {
    host: '127.0.0.1',
    port: 0,
    tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem },
    logger: silentLogger,
    shutdownGraceMs: 200,
    ...extra,
  });
  servers.push(s);
  return s;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

type ClientCert = 'admin' | 'server' | 'none';

function call(
  port: number,
  opts: { method?: string; path?: string; body?: Buffer | string; headers?: Record<string, string>; cert?: ClientCert; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: opts.headers ?? {},
        ca: pki.caCertPem,
        ...clientCert(opts.cert ?? 'admin'),
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

function clientCert(which: ClientCert): { cert?: string; key?: string } {
  if (which === 'admin') return { cert: pki.adminCertPem, key: pki.adminKeyPem };
  if (which === 'server') return { cert: pki.serverCertPem, key: pki.serverKeyPem };
  return {};
}

const text = (body: string, status = 200): ApiResponse => ({ status, headers: { 'content-type': 'text/plain' }, body });

/** Waits for `cond`, polling; fails after ten seconds so a broken test ends. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

/** A promise with its resolve function, to step a stream from the test. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

test('a client certificate signed by the CA reaches the handler as the user', async () => {
  const seen: (ApiRequest['user'] | 'none')[] = [];
  const s = await start(async (req) => {
    seen.push(req.user ?? 'none');
    return text('ok');
  });
  await call(s.port, { cert: 'admin' });
  await call(s.port, { cert: 'none' });
  await call(s.port, { cert: 'server' });
  assert.deepEqual(seen, [{ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, 'none', 'none']);
});

test('a resumed TLS session keeps its client-certificate user', async () => {
  const names: (string | undefined)[] = [];
  const reused: boolean[] = [];
  const s = await start(async (req) => {
    names.push(req.user?.username);
    return text('ok');
  });
  const agent = new Agent({ keepAlive: false, maxCachedSessions: 4 }); // a new connection per request, sessions cached
  for (let i = 0; i < 2; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem, agent }, (res) => {
        reused.push((res.socket as TLSSocket).isSessionReused());
        res.resume().on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  }
  agent.destroy();
  assert.deepEqual(reused, [false, true]);
  assert.deepEqual(names, ['kubernetes-admin', 'kubernetes-admin']);
});

test('the handler gets method, raw path, query, lower-case headers and the body', async () => {
  let got: ApiRequest | undefined;
  const s = await start(async (req) => {
    got = req;
    return text('done', 201);
  });
  const reply = await call(s.port, {
    method: 'POST',
    path: '/api/v1/namespaces/a%2Fb/configmaps?fieldManager=kubectl&dryRun=All&dryRun=x',
    headers: { 'Content-Type': 'application/json', 'X-Custom': 'Yes' },
    body: '{"a":1}',
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body, 'done');
  assert.equal(reply.headers['content-length'], '4');
  assert.ok(got);
  assert.equal(got.method, 'POST');
  assert.equal(got.path, '/api/v1/namespaces/a%2Fb/configmaps');
  assert.deepEqual(got.query.getAll('dryRun'), ['All', 'x']);
  assert.equal(got.query.get('fieldManager'), 'kubectl');
  assert.equal(got.headers['content-type'], 'application/json');
  assert.equal(got.headers['x-custom'], 'Yes');
  assert.equal(Buffer.from(got.body).toString(), '{"a":1}');
  assert.equal(got.signal.aborted, false);
});

test('a body over the limit gets 413 with a Status, and the server keeps serving', async () => {
  let calls = 0;
  const s = await start(async () => {
    calls++;
    return text('ok');
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const big = Buffer.alloc(3 * 1024 * 1024 + 1, 0x61);
  const reply = await call(s.port, { method: 'POST', path: '/api/v1/namespaces', body: big, agent });
  assert.equal(reply.status, 413);
  assert.deepEqual(JSON.parse(reply.body), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Request entity too large: limit is 3145728',
    reason: 'RequestEntityTooLarge',
    code: 413,
  });
  assert.equal((await call(s.port, { agent })).status, 200);
  assert.equal((await call(s.port)).status, 200);
  assert.equal(calls, 2, 'the handler never saw the oversized request');
  agent.destroy();
});

test('a chunked upload is cut off at the limit', async () => {
  let calls = 0;
  const s = await start(
    async () => {
      calls++;
      return text('ok');
    },
    { maxRequestBodyBytes: 1024 },
  );
  const reply = await new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, method: 'PUT', path: '/x', ca: pki.caCertPem, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (let i = 0; i < 8; i++) req.write(Buffer.alloc(512, 0x62)); // no Content-Length: chunked
    req.end();
  });
  assert.equal(reply.status, 413);
  assert.equal(JSON.parse(reply.body).message, 'Request entity too large: limit is 1024');
  assert.equal(calls, 0);
  assert.equal((await call(s.port)).status, 200);
});

test('a streamed body reaches the client chunk by chunk, headers first', async () => {
  const first = gate();
  const second = gate();
  const s = await start(async () => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: (async function* () {
      await first.promise;
      yield '{"type":"ADDED"}\n';
      await second.promise;
      yield new TextEncoder().encode('{"type":"MODIFIED"}\n');
    })(),
  }));
  const events: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/watch', ca: pki.caCertPem, agent: false }, (res) => {
      events.push(`status ${res.statusCode} ${res.headers['transfer-encoding']}`);
      first.open(); // the headers came before any chunk was produced
      res.on('data', (c: Buffer) => {
        events.push(c.toString());
        second.open(); // the first chunk arrived while the stream was still open
      });
      res.on('end', () => {
        events.push('end');
        resolve();
      });
    });
    req.on('error', reject);
    req.end();
  });
  assert.deepEqual(events, ['status 200 chunked', '{"type":"ADDED"}\n', '{"type":"MODIFIED"}\n', 'end']);
});

test('a client that goes away aborts the signal and stops the stream', async () => {
  let signal: AbortSignal | undefined;
  let stopped = false;
  const s = await start(async (req) => {
    if (req.path !== '/watch') return text('ok');
    signal = req.signal;
    return {
      status: 200,
      headers: {},
      body: (async function* () {
        try {
          yield 'event\n';
          // Wait for an event that never comes, unless the request ends.
          await new Promise((resolve) => req.signal.addEventListener('abort', resolve));
        } finally {
          stopped = true;
        }
      })(),
    };
  });
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/watch', ca: pki.caCertPem, agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end();
  });
  await until(() => stopped, 'the stream to stop');
  assert.equal(signal?.aborted, true);
  assert.equal((await call(s.port)).status, 200);
});

test('a pushed stream reaches the client as it is pushed, and ends when the producer ends it', async () => {
  let body: PushStream | undefined;
  const s = await start(async () => {
    body = new PushStream(() => assert.fail('the reader did not go away'));
    body.push('{"type":"ADDED"}\n'); // pushed before the response went out
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  });
  const events: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/watch', ca: pki.caCertPem, agent: false }, (res) => {
      events.push(`status ${res.statusCode} ${res.headers['transfer-encoding']}`);
      res.on('data', (c: Buffer) => {
        events.push(c.toString());
        if (events.length === 2) body!.push(new TextEncoder().encode('{"type":"MODIFIED"}\n'));
        else body!.end();
      });
      res.on('end', () => {
        events.push('end');
        resolve();
      });
    });
    req.on('error', reject);
    req.end();
  });
  assert.deepEqual(events, ['status 200 chunked', '{"type":"ADDED"}\n', '{"type":"MODIFIED"}\n', 'end']);
});

test('a client that goes away stops a pushed stream and aborts the signal', async () => {
  let signal: AbortSignal | undefined;
  let closed = false;
  let body: PushStream | undefined;
  const s = await start(async (req) => {
    if (req.path !== '/watch') return text('ok');
    signal = req.signal;
    body = new PushStream(() => (closed = true));
    body.push('event\n');
    return { status: 200, headers: {}, body };
  });
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/watch', ca: pki.caCertPem, agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end();
  });
  await until(() => closed, 'the pushed stream to close');
  assert.equal(signal?.aborted, true);
  body!.push('late\n'); // dropped: nobody reads any more
  assert.equal((await call(s.port)).status, 200);
});

test('close ends open pushed streams cleanly', async () => {
  const received = gate();
  let closed = false;
  const s = await serve(
    async () => {
      const body = new PushStream(() => (closed = true));
      body.push('first\n');
      return { status: 200, headers: {}, body };
    },
    { host: '127.0.0.1', port: 0, tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem }, logger: silentLogger },
  );
  const ended = new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/watch', ca: pki.caCertPem, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        received.open();
      });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
  await received.promise;
  await s.close();
  assert.equal(await ended, 'first\n');
  assert.equal(closed, true);
});

test('a slow reader holds the stream back instead of buffering it', async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x63);
  const total = 256; // 16 MiB, far more than socket buffers hold
  let produced = 0;
  const s = await start(async () => ({
    status: 200,
    headers: {},
    body: (async function* () {
      for (; produced < total; ) {
        produced++;
        yield chunk;
      }
    })(),
  }));
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/', ca: pki.caCertPem, agent: false }, (res) => {
      res.pause();
      void (async () => {
        // Wait until the producer has stalled: the count stops moving while nothing is read.
        let last = -1;
        for (let stable = 0; stable < 5; stable = produced === last ? stable + 1 : 0) {
          last = produced;
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.ok(produced < total, `produced ${produced} of ${total} chunks while the client read nothing`);
        res.on('data', (c: Buffer) => (received += c.length));
        res.on('end', resolve);
        res.resume();
      })().catch(reject);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(received, total * chunk.length);
});

test('a throwing handler gets a 500 Status and the server carries on', async () => {
  let n = 0;
  const s = await start(async () => {
    if (n++ === 0) throw new Error('boom');
    return text('ok');
  });
  const reply = await call(s.port);
  assert.equal(reply.status, 500);
  assert.equal(JSON.parse(reply.body).reason, 'InternalError');
  assert.equal((await call(s.port)).status, 200);
});

/** Sends raw bytes over TLS and returns everything the server answers before closing. */
function rawExchange(port: number, bytes: string, opts: { endAfterWrite?: boolean; destroyAfterWrite?: boolean; noCert?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port, ca: pki.caCertPem, ...(opts.noCert ? {} : { cert: pki.adminCertPem, key: pki.adminKeyPem }) }, () => {
      sock.write(bytes);
      if (opts.destroyAfterWrite) {
        sock.destroy();
        resolve('');
      }
    });
    let out = '';
    sock.on('data', (c: Buffer) => {
      out += c.toString();
      if (opts.endAfterWrite) sock.end();
    });
    sock.on('close', () => resolve(out));
    sock.on('error', reject);
  });
}

const malformed = [
  { name: 'a header line without a colon', bytes: 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', status: '400' },
  { name: 'a request target that is not a path', bytes: 'GET foo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', status: '400' },
  { name: 'a bad Content-Length', bytes: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', status: '400' },
];
for (const c of malformed) {
  test(`${c.name} gets a 400 and does not stop the server`, async () => {
    let calls = 0;
    const s = await start(async () => {
      calls++;
      return text('ok');
    });
    const answer = await rawExchange(s.port, c.bytes);
    assert.match(answer, new RegExp(`^HTTP/1.1 ${c.status} `));
    assert.equal(calls, 0);
    assert.equal((await call(s.port)).status, 200);
  });
}

test('an upload cut short is dropped without reaching the handler', async () => {
  let calls = 0;
  const s = await start(async () => {
    calls++;
    return text('ok');
  });
  await rawExchange(s.port, 'POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a little', { destroyAfterWrite: true });
  assert.equal((await call(s.port)).status, 200);
  assert.equal(calls, 1);
});

test('a bearer token the authenticator accepts reaches the handler as its user, without the Authorization header', async () => {
  const seen: unknown[] = [];
  const tokens = bearerTokenAuthenticator(async (t) => {
    if (t !== 'good') throw new Error('unknown token');
    return { username: 'system:serviceaccount:default:robot', uid: 'u1', groups: ['system:serviceaccounts', 'system:authenticated'], extra: {} };
  });
  const s = await start(
    async (req) => {
      seen.push([req.user?.username ?? 'none', req.headers['authorization'] ?? 'no header']);
      return text('ok');
    },
    { authenticator: authenticatorChain(certificateAuthenticator(), tokens) },
  );
  assert.equal((await call(s.port, { cert: 'none', headers: { authorization: 'Bearer good' } })).status, 200);
  assert.equal((await call(s.port, { cert: 'admin', headers: { authorization: 'Bearer bad' } })).status, 200, 'the certificate is asked first');
  assert.equal((await call(s.port, { cert: 'none' })).status, 200, 'no credentials: the handler decides');
  assert.deepEqual(seen, [['system:serviceaccount:default:robot', 'no header'], ['kubernetes-admin', 'Bearer bad'], ['none', 'no header']]);
});

test('a refused bearer token gets 401 Unauthorized without reaching the handler, upgrades too', async () => {
  let reached = 0;
  const refuse = bearerTokenAuthenticator(async () => {
    throw new Error('unknown token');
  });
  const s = await start(
    async () => {
      reached++;
      return text('ok');
    },
    { authenticator: authenticatorChain(certificateAuthenticator(), refuse), upgrade: () => reached++ },
  );
  const r = await call(s.port, { cert: 'none', headers: { authorization: 'bearer nope' } });
  assert.equal(r.status, 401);
  assert.equal(r.body, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
  const answer = await rawExchange(s.port, 'GET /echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n', { noCert: true });
  assert.match(answer, /^HTTP\/1.1 401 /);
  assert.equal(reached, 0);
});

test('an upgrade request gets a 400 when nothing takes upgrades', async () => {
  const s = await start(async () => text('ok'));
  const answer = await rawExchange(s.port, 'GET /api/v1/namespaces/d/pods/p/exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
  assert.match(answer, /^HTTP\/1.1 400 /);
  assert.match(answer, /"reason":"BadRequest"/);
});

test('an upgrade request is handed over with its socket and user', async () => {
  let user: string | undefined;
  const s = await start(async () => text('ok'), {
    upgrade: (u) => {
      user = u.user?.username;
      u.socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
      const echo = (c: Buffer) => u.socket.end(c.toString().toUpperCase());
      // Bytes sent right behind the request head arrive as `head`, the rest as data.
      if (u.head.length > 0) echo(u.head);
      else u.socket.once('data', echo);
    },
  });
  const answer = await rawExchange(s.port, 'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello');
  assert.match(answer, /^HTTP\/1.1 101 /);
  assert.match(answer, /HELLO$/);
  assert.equal(user, 'kubernetes-admin');
});

test('close ends open streams cleanly and resolves', async () => {
  const streaming = gate();
  const s = await serve(
    async (req) => ({
      status: 200,
      headers: {},
      body: (async function* () {
        yield 'first\n';
        streaming.open();
        await new Promise((resolve) => req.signal.addEventListener('abort', resolve));
      })(),
    }),
    { host: '127.0.0.1', port: 0, tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem }, logger: silentLogger },
  );
  const ended = new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/watch', ca: pki.caCertPem, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
  await streaming.promise;
  await s.close();
  assert.equal(await ended, 'first\n');
});

test('userFromCertificate follows Kubernetes: CN is the name, every O a group, no CN no user', () => {
  const cases = [
    { subject: { CN: 'jane', O: ['dev', 'ops'] }, want: { username: 'jane', groups: ['dev', 'ops', 'system:authenticated'] } },
    { subject: { CN: 'node', O: 'system:nodes' }, want: { username: 'node', groups: ['system:nodes', 'system:authenticated'] } },
    { subject: { CN: 'solo' }, want: { username: 'solo', groups: ['system:authenticated'] } },
    { subject: { O: 'orphans' }, want: undefined },
  ];
  for (const c of cases) assert.deepEqual(userFromCertificate({ subject: c.subject } as never), c.want);
});
