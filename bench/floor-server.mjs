// The floor: a bare Node HTTPS server doing the least work an API server must do for the same requests, on the
// same transport as kin (node:https, kin's serving certificate, client certificates checked against kin's CA,
// HTTP/1.1 keep-alive). The throughput, list and watch benchmarks divide kin's figures by this server's,
// measured in the same run with the same client, so the ratio says how much of the machine kin's own work costs.
//
//   POST <collection>               parse the JSON body, stamp name-independent metadata (resourceVersion,
//                                   uid, creationTimestamp), serialize it again, keep the bytes, answer 201 with
//                                   them, and write an ADDED event line to every watcher of the collection
//   GET  <collection>/<name>        the stored bytes of that object (404 when unknown)
//   GET  <collection>               a List of every stored object of the collection (limit/continue supported)
//   GET  <collection>?watch=true    a streaming watch: one JSON event per line, as kin sends them
//
// A collection is any path whose last segment is not a stored name: /api/v1/namespaces/<ns>/<resource>.
// Usage: node bench/floor-server.mjs --port 0 --pki <kin-data-dir>/pki   (prints "floor ready: https://...")
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
}

/** Starts the floor server; resolves with the bound port and a `close()`. */
export function startFloorServer({ port = 0, pkiDir }) {
  const collections = new Map(); // collection path -> { objects: Map<name, string>, watchers: Set<ServerResponse> }
  let rv = 1;
  const coll = (path) => {
    let c = collections.get(path);
    if (!c) collections.set(path, (c = { objects: new Map(), watchers: new Set() }));
    return c;
  };

  const server = createServer({
    cert: readFileSync(join(pkiDir, 'apiserver.crt')),
    key: readFileSync(join(pkiDir, 'apiserver.key')),
    ca: readFileSync(join(pkiDir, 'ca.crt')),
    requestCert: true,
    rejectUnauthorized: false, // as kin: the request handler decides, here "a verified client certificate or 401"
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    noDelay: true,
    keepAlive: true,
    keepAliveInitialDelay: 60_000,
  });
  server.keepAliveTimeout = 100_000;
  server.timeout = 0;

  const send = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  server.on('request', (req, res) => {
    if (!req.socket.authorized) return send(res, 401, '{"kind":"Status","code":401}');
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));

    if (req.method === 'POST') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        let obj;
        try {
          obj = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(res, 400, '{"kind":"Status","code":400}');
        }
        const meta = (obj.metadata ??= {});
        meta.uid = randomUUID();
        meta.resourceVersion = String(++rv);
        meta.creationTimestamp = new Date().toISOString().slice(0, 19) + 'Z';
        const body = JSON.stringify(obj);
        const c = coll(path);
        c.objects.set(String(meta.name), body);
        send(res, 201, body);
        if (c.watchers.size > 0) {
          const line = `{"type":"ADDED","object":${body}}\n`;
          for (const w of c.watchers) w.write(line);
        }
      });
      return;
    }
    if (req.method !== 'GET') return send(res, 405, '{"kind":"Status","code":405}');

    const slash = path.lastIndexOf('/');
    const parent = collections.get(path.slice(0, slash));
    const item = parent?.objects.get(path.slice(slash + 1));
    if (item !== undefined) return send(res, 200, item);

    const c = collections.get(path);
    if (query.get('watch') === 'true') {
      const w = coll(path);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
      res.flushHeaders();
      w.watchers.add(res);
      res.on('close', () => w.watchers.delete(res));
      return;
    }
    if (!c) return send(res, 404, '{"kind":"Status","code":404}');
    // A list: the stored bytes joined, paged by position (the continue token is the next offset).
    const all = [...c.objects.values()];
    const start = Number(query.get('continue') ?? 0) || 0;
    const limit = Number(query.get('limit') ?? 0) || all.length;
    const items = all.slice(start, start + limit);
    const next = start + items.length < all.length ? `,"continue":"${start + items.length}"` : '';
    send(res, 200, `{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"${rv}"${next}},"items":[${items.join(',')}]}`);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () => new Promise((r) => {
          for (const c of collections.values()) for (const w of c.watchers) w.end();
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const pkiDir = arg('pki');
  if (!pkiDir) {
    console.error('usage: node bench/floor-server.mjs --port 0 --pki <kin-data-dir>/pki');
    process.exit(2);
  }
  const s = await startFloorServer({ port: Number(arg('port', '0')), pkiDir });
  process.stdout.write(`floor ready: https://127.0.0.1:${s.port}\n`);
  const stop = () => s.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
