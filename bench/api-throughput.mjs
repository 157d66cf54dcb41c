// Creates/s and gets/s against kin (sqlite and memory storage) and against the floor server, at 1, 16 and 64
// concurrent clients over keep-alive HTTPS (node:https Agent, keepAlive, maxSockets = clients, the admin
// client certificate). Each cell is bounded by a request count and a time limit; rounds are interleaved
// (floor, kin-sqlite, kin-memory, rotated each round) and each kin figure is divided by the floor figure of
// the same round; the reported ratio is the median of those per-round ratios.
// Then the storage floor: raw better-sqlite3 inserts of the same row size into kin's table layout (WAL,
// synchronous=FULL), one row per transaction and 100 rows per transaction.
//
// Usage: node bench/api-throughput.mjs [--clients 1,16,64] [--rounds 3] [--count 8000] [--time 2.5]
//          [--size 2048] [--targets floor,sqlite,memory] [--ops create,get] [--no-sqlite-floor] [--cpu-prof]
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  configMapBody, emitSummary, expectStatus, flags, fmt, isMain, machineFacts, makeAgent, median, percentile,
  printTable, procCpuMs, request, runLoad, startFloor, startKin, tempDir,
} from './common.mjs';
import { startProfiledKin, printProfile } from './profile.mjs';

const ns = 'bench';
const collection = `/api/v1/namespaces/${ns}/configmaps`;
const getNames = 100; // GETs cycle over this many stored objects

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const clientsList = String(opts.clients ?? '1,16,64').split(',').map(Number);
  const rounds = Number(opts.rounds ?? 3);
  const count = Number(opts.count ?? 8000);
  const timeMs = Number(opts.time ?? 2.5) * 1000;
  const size = Number(opts.size ?? 2048);
  const targetNames = String(opts.targets ?? 'floor,sqlite,memory').split(',');
  const ops = String(opts.ops ?? 'create,get').split(',');
  console.log(`# api-throughput  ${JSON.stringify(machineFacts())}`);
  console.log(`# ConfigMaps of ${configMapBody('x', ns, size).length} bytes; clients ${clientsList.join('/')}; ${rounds} rounds; each cell <= ${count} requests and <= ${timeMs / 1000} s after a warm-up`);

  const dirs = [];
  const targets = [];
  const profiles = [];
  try {
    for (const name of targetNames) {
      if (name === 'floor') continue;
      const d = tempDir();
      dirs.push(d);
      const kin = opts['cpu-prof'] ? await startProfiledKin({ storage: name, dataDir: d.path }) : await startKin({ storage: name, dataDir: d.path });
      if (kin.profileDir) profiles.push(kin);
      targets.push(kin);
    }
    if (targetNames.includes('floor')) {
      let pkiParent = targets[0]?.dataDir;
      if (!pkiParent) {
        // No kin target: borrow a data dir's certificates from a short-lived kin.
        const d = tempDir();
        dirs.push(d);
        const k = await startKin({ storage: 'memory', dataDir: d.path });
        await k.stop();
        pkiParent = d.path;
      }
      targets.unshift(await startFloor({ pkiDir: join(pkiParent, 'pki') }));
    }
    // Namespace and the objects GETs read, on every target.
    for (const t of targets) {
      const a = makeAgent(t.tls, 8);
      if (t.kind !== 'floor') await expectStatus(a, t.port, { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }, [201, 409]);
      for (let i = 0; i < getNames; i++) await expectStatus(a, t.port, { method: 'POST', path: collection, body: configMapBody(`get-${i}`, ns, size) }, [201, 409]);
      a.destroy();
    }

    const sqliteTarget = targets.find((t) => t.kind === 'kin-sqlite');
    const createdBytes = (await createdSize(targets.find((t) => t.kind !== 'floor'), size)) ?? size;
    const rawOne = []; // raw 1-row sqlite commits/s, measured right after each round's kin-sqlite creates at 1 client

    // results[op][clients][kind] = [{rps, lat, errors}] per round
    const results = {};
    let seq = 0;
    for (let r = 0; r < rounds; r++) {
      for (const clients of clientsList) {
        for (const op of ops) {
          const order = targets.map((_, i) => targets[(i + r) % targets.length]);
          for (const t of order) {
            const agent = makeAgent(t.tls, clients);
            const tag = `r${r}c${clients}${t.kind}-${seq++}`;
            const doOp = op === 'create'
              ? (i) => expectStatus(agent, t.port, { method: 'POST', path: collection, body: configMapBody(`${tag}-${i}`, ns, size) }, 201)
              : (i) => expectStatus(agent, t.port, { path: `${collection}/get-${i % getNames}` }, 200);
            const warm = await runLoad({ clients, count: Math.max(100, clients * 4), timeMs: 500, op: op === 'create' ? (i) => doOp(`w${i}`) : doOp });
            if (warm.errors > 0) throw new Error(`${t.kind} ${op}: ${warm.firstError?.message}`);
            const cpu0 = procCpuMs(t.pid);
            const client0 = process.cpuUsage();
            const res = await runLoad({ clients, count, timeMs, op: doOp });
            const client1 = process.cpuUsage(client0);
            res.serverCpuUs = ((procCpuMs(t.pid) - cpu0) * 1000) / Math.max(1, res.done);
            res.clientCpuUs = (client1.user + client1.system) / Math.max(1, res.done);
            agent.destroy();
            const cell = (((results[op] ??= {})[clients] ??= {})[t.kind] ??= []);
            cell.push(res);
            console.log(`round ${r + 1}  ${op.padEnd(6)} c=${String(clients).padEnd(3)} ${t.kind.padEnd(11)} ${fmt(res.rps).padStart(7)} req/s  p50 ${fmt(percentile(res.lat, 50), 2)} ms  p99 ${fmt(percentile(res.lat, 99), 2)} ms  server CPU ${fmt(res.serverCpuUs)} us/req, client ${fmt(res.clientCpuUs)} us/req  (${res.done} ok, ${res.errors} errors${res.errors ? ': ' + res.firstError?.message.slice(0, 120) : ''})`);
          }
          if (op === 'create' && clients === 1 && sqliteTarget && !opts['no-sqlite-floor']) {
            // The disk's fsync rate drifts with other work on the machine: measure the storage floor of a
            // single-client create (one durable commit each) right beside it.
            const raw = rawSqliteInserts(createdBytes, { batch: 1, rows: 3000, timeMs: 1000 });
            rawOne.push(raw.rps);
            console.log(`round ${r + 1}  raw sqlite, 1 row/txn      ${fmt(raw.rps).padStart(7)} commits/s  p50 ${fmt(raw.p50, 2)} ms  p99 ${fmt(raw.p99, 2)} ms  CPU ${fmt(raw.cpuUs)} us/row`);
          }
        }
      }
    }

    // Per (op, clients): median req/s, pooled p50/p99, the median of per-round kin/floor ratios, and server CPU
    // per request (median over rounds), whose floor/kin ratio holds up better than req/s when other work shares
    // the machine.
    const kinKinds = targets.filter((t) => t.kind !== 'floor').map((t) => t.kind);
    const rows = [];
    const summary = [];
    for (const op of ops) {
      for (const clients of clientsList) {
        const cell = results[op][clients];
        const stat = (kind) => {
          const runs = cell[kind] ?? [];
          const lat = runs.flatMap((x) => x.lat);
          return { rps: median(runs.map((x) => x.rps)), p50: percentile(lat, 50), p99: percentile(lat, 99), cpu: median(runs.map((x) => x.serverCpuUs)) };
        };
        const floor = cell.floor ? stat('floor') : undefined;
        const row = [op, clients, floor ? `${fmt(floor.rps)} (${fmt(floor.p50, 2)}/${fmt(floor.p99, 2)}) ${fmt(floor.cpu)}us` : '-'];
        for (const kind of kinKinds) {
          const s = stat(kind);
          const ratio = cell.floor ? median(cell[kind].map((x, i) => x.rps / cell.floor[i].rps)) : NaN;
          const cpuRatio = floor ? floor.cpu / s.cpu : NaN;
          row.push(`${fmt(s.rps)} (${fmt(s.p50, 2)}/${fmt(s.p99, 2)}) ${fmt(s.cpu)}us`, pctOf(ratio), pctOf(cpuRatio));
          if (clients === Math.max(...clientsList)) {
            const target = op === 'create' ? 0.5 : 0.7;
            summary.push({
              metric: `${op}s/s at ${clients} clients, ${kind}`,
              value: `${fmt(s.rps)}/s = ${pctOf(ratio)} of floor ${fmt(floor?.rps)}/s (CPU/req ratio ${pctOf(cpuRatio)})`,
              target: `>= ${target * 100}% of floor`,
              pass: ratio >= target,
            });
          }
        }
        rows.push(row);
      }
    }
    console.log('\nreq/s (p50/p99 ms) server CPU per request; ratio = median over rounds of kin req/s / floor req/s in the same round;');
    console.log('cpu ratio = floor CPU per request / kin CPU per request');
    printTable(['op', 'clients', 'floor', ...kinKinds.flatMap((k) => [k, 'ratio', 'cpu ratio'])], rows);

    if (profiles.length) {
      for (const t of targets) await t.stop();
      for (const p of profiles) await printProfile(p);
    }
    if (!opts['no-sqlite-floor']) {
      const floorRows = sqliteFloor(createdBytes);
      summary.push(...floorRows.map((r) => r.row));
      // kin-sqlite at one client makes one durable commit per create: compare with raw single-row commits
      // measured in the same rounds.
      const one = results.create?.[1]?.['kin-sqlite'];
      if (one && rawOne.length === one.length) {
        const ratio = median(one.map((x, i) => x.rps / rawOne[i]));
        summary.push({ metric: 'creates/s at 1 client, kin-sqlite vs raw 1-row sqlite commits', value: `${fmt(median(one.map((x) => x.rps)))}/s = ${pctOf(ratio)} of ${fmt(median(rawOne))} commits/s (same rounds)`, target: 'storage floor', pass: null });
      }
    }
    return summary;
  } finally {
    for (const t of targets) await t.stop();
    for (const d of dirs) d.remove();
  }
}

const pctOf = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '-');

// The stored size of a created object (kin adds metadata), so the storage floor writes rows of that size.
async function createdSize(target, size) {
  if (!target) return undefined;
  const a = makeAgent(target.tls, 1);
  try {
    const r = await request(a, target.port, { path: `${collection}/get-0` });
    return r.status === 200 ? r.body.length : undefined;
  } finally {
    a.destroy();
  }
}

/** Raw better-sqlite3 inserts in kin's table layout and pragmas, `batch` rows per transaction, in a fresh file. */
export function rawSqliteInserts(rowBytes, { batch, rows, timeMs }) {
  const d = tempDir('kin-bench-sqlite-');
  try {
    const db = new Database(join(d.path, 'floor.db'));
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('cache_size = -32768');
    db.exec(`CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT NOT NULL, create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL,
      deleted INTEGER NOT NULL, value BLOB); CREATE INDEX kv_name_id ON kv (name, id);`);
    const values = Array.from({ length: 256 }, (_, i) => Buffer.from(configMapBody(`row-${i}`, ns, rowBytes)));
    const ins = db.prepare('INSERT INTO kv (id, name, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, 0, 0, ?)');
    const txn = db.transaction((start, n) => {
      for (let j = 0; j < n; j++) ins.run(start + j, `/registry/configmaps/${ns}/row-${start + j}`, start + j, values[(start + j) % values.length]);
    });
    const lat = [];
    let done = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const deadline = t0 + BigInt(timeMs * 1e6);
    while (done < rows && process.hrtime.bigint() < deadline) {
      const s = process.hrtime.bigint();
      txn(done + 1, batch);
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      done += batch;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    db.close();
    return { batch, rps: done / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99), cpuUs: (cpu.user + cpu.system) / done };
  } finally {
    d.remove();
  }
}

/** The storage floor: raw inserts with 1 and 100 rows per transaction; prints a table, returns figures and summary rows. */
export function sqliteFloor(rowBytes, { rows1 = 4000, rows100 = 30_000, timeMs = 3000 } = {}) {
  const results = [rawSqliteInserts(rowBytes, { batch: 1, rows: rows1, timeMs }), rawSqliteInserts(rowBytes, { batch: 100, rows: rows100, timeMs })];
  console.log(`\nstorage floor: better-sqlite3, kin's kv table, WAL, synchronous=FULL, rows of ${rowBytes} bytes`);
  printTable(['rows per txn', 'rows/s', 'commit p50 ms', 'commit p99 ms', 'CPU us/row (user+sys)'], results.map((r) => [r.batch, fmt(r.rps), fmt(r.p50, 3), fmt(r.p99, 3), fmt(r.cpuUs)]));
  return results.map((r) => ({ rps: r.rps, row: { metric: `raw sqlite inserts, ${r.batch} row(s)/txn`, value: `${fmt(r.rps)} rows/s, ${fmt(r.cpuUs)} us CPU/row`, target: 'storage floor', pass: null } }));
}

if (isMain(import.meta.url)) {
  const rows = await run(flags());
  emitSummary('api-throughput', rows);
}
