// Custom-resource creates/s and updates/s over HTTPS: (a) a kind whose CRD schema has ~50 fields and 10 CEL
// rules (bench/crd-fixtures.mjs) against (b) the same objects under a CRD whose schema is only
// `type: object, x-kubernetes-preserve-unknown-fields: true` (no validation), both served by the same kin, on
// memory storage (so storage does not dominate) and on sqlite, at 1 and 16 concurrent clients.
// Each cell is bounded by a request count and a time limit after a short warm-up; rounds are interleaved (the
// order of storages and of kinds rotates each round) and the reported ratio (a)/(b) is the median of the
// per-round ratios. Server CPU per request (from /proc) gives what the schema and the rules cost per object.
// Updates are PUTs of whole objects with their resourceVersion (a custom resource allows no unconditional
// update): spec.replicas and one env value change, so spec's rules (the transition rule among them) and the
// containers' rules run again; the unchanged parts ratchet, as in Kubernetes.
//
// Usage: node bench/crd.mjs [--clients 1,16] [--rounds 3] [--count 3000] [--time 2.5] [--targets memory,sqlite]
//          [--ops create,update] [--kinds validated,open] [--pool 64] [--warmup 1.5] [--cpu-prof] [--top 30]
import {
  emitSummary, expectStatus, flags, fmt, isMain, machineFacts, makeAgent, median, percentile, printTable, procCpuMs,
  request, runLoad, sleep, startKin, tempDir,
} from './common.mjs';
import { crd, group, kinds, makeObject, mutate, version } from './crd-fixtures.mjs';
import { printProfile, startProfiledKin } from './profile.mjs';

const ns = 'bench';
const sent = new Map(); // port -> requests sent (to express a CPU profile per request)
const send = (agent, port, opts, want) => {
  sent.set(port, (sent.get(port) ?? 0) + 1);
  return expectStatus(agent, port, opts, want);
};
const collection = (which) => `/apis/${group}/${version}/namespaces/${ns}/${kinds[which].plural}`;

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const clientsList = String(opts.clients ?? '1,16').split(',').map(Number);
  const rounds = Number(opts.rounds ?? 3);
  const count = Number(opts.count ?? 3000);
  const timeMs = Number(opts.time ?? 2.5) * 1000;
  const storages = String(opts.targets ?? 'memory,sqlite').split(',');
  const ops = String(opts.ops ?? 'create,update').split(',');
  const whichList = String(opts.kinds ?? 'validated,open').split(',');
  const pool = Math.max(Number(opts.pool ?? 64), ...clientsList);
  const sample = JSON.stringify(makeObject('validated', 'app-00000', ns, 1));
  console.log(`# crd  ${JSON.stringify(machineFacts())}`);
  console.log(`# custom resources of ${sample.length} bytes; (a) validated: ~50-field schema + 10 CEL rules, (b) open: preserve-unknown-fields;`);
  console.log(`# clients ${clientsList.join('/')}; ${rounds} rounds; each cell <= ${count} requests and <= ${timeMs / 1000} s after a warm-up; updates cycle over ${pool} objects per kind`);

  const dirs = [];
  const targets = [];
  const profiles = [];
  try {
    for (const storage of storages) {
      const d = tempDir();
      dirs.push(d);
      const kin = opts['cpu-prof'] ? await startProfiledKin({ storage, dataDir: d.path }) : await startKin({ storage, dataDir: d.path });
      if (kin.profileDir) profiles.push(kin);
      kin.cpuAtReadyMs = procCpuMs(kin.pid);
      targets.push(kin);
    }
    let seq = 0;
    const pools = new Map(); // `${kind} ${which}` -> free list of {name, obj, rv, n}
    for (const t of targets) {
      await setUp(t, whichList);
      for (const which of whichList) pools.set(`${t.kind} ${which}`, ops.includes('update') ? await fillPool(t, which, pool) : []);
    }

    // The stored size of one object of each kind (the typed managedFields of the validated kind are larger).
    for (const t of targets.slice(0, 1)) {
      const a = makeAgent(t.tls, 1);
      const sizes = [];
      for (const which of whichList) sizes.push(`${which} ${(await request(a, t.port, { path: `${collection(which)}/probe` })).body.length} bytes`);
      a.destroy();
      console.log(`# an object as the server returns it: ${sizes.join(', ')}`);
    }

    // One untimed pass over every (storage, kind, op) first, so that no measured cell pays for JIT compilation or
    // for the first use of a code path.
    const warmMs = Number(opts.warmup ?? 1.5) * 1000;
    for (const t of targets) {
      for (const which of whichList) {
        for (const op of ops) {
          const agent = makeAgent(t.tls, 4);
          const doOp = op === 'create' ? createOp(agent, t.port, which, `warm-${seq++}`) : updateOp(agent, t.port, which, pools.get(`${t.kind} ${which}`));
          const w = await runLoad({ clients: 4, count: 2000, timeMs: warmMs, op: doOp });
          agent.destroy();
          if (w.errors > 0) throw new Error(`${t.kind} ${which} ${op} warm-up: ${w.firstError?.message}`);
        }
      }
    }

    // results[op][clients][kind][which] = [{rps, lat, serverCpuUs}] per round
    const results = {};
    for (let r = 0; r < rounds; r++) {
      for (const clients of clientsList) {
        for (const op of ops) {
          const order = targets.map((_, i) => targets[(i + r) % targets.length]);
          for (const t of order) {
            const whichOrder = whichList.map((_, i) => whichList[(i + r) % whichList.length]);
            for (const which of whichOrder) {
              const agent = makeAgent(t.tls, clients);
              const tag = `r${r}c${clients}-${seq++}`;
              const doOp = op === 'create' ? createOp(agent, t.port, which, tag) : updateOp(agent, t.port, which, pools.get(`${t.kind} ${which}`));
              const warm = await runLoad({ clients, count: Math.max(50, clients * 4), timeMs: 400, op: (i) => doOp(`w${i}`) });
              if (warm.errors > 0) throw new Error(`${t.kind} ${which} ${op}: ${warm.firstError?.message}`);
              const cpu0 = procCpuMs(t.pid);
              const res = await runLoad({ clients, count, timeMs, op: doOp });
              res.serverCpuUs = ((procCpuMs(t.pid) - cpu0) * 1000) / Math.max(1, res.done);
              agent.destroy();
              ((((results[op] ??= {})[clients] ??= {})[t.kind] ??= {})[which] ??= []).push(res);
              console.log(`round ${r + 1}  ${op.padEnd(6)} c=${String(clients).padEnd(2)} ${t.kind.padEnd(10)} ${which.padEnd(9)} ${fmt(res.rps).padStart(6)} req/s  p50 ${fmt(percentile(res.lat, 50), 2)} ms  p99 ${fmt(percentile(res.lat, 99), 2)} ms  server CPU ${fmt(res.serverCpuUs)} us/req  (${res.done} ok, ${res.errors} errors${res.errors ? ': ' + res.firstError?.message.slice(0, 160) : ''})`);
            }
          }
        }
      }
    }

    const summary = [];
    const rows = [];
    const both = whichList.includes('validated') && whichList.includes('open');
    for (const op of ops) {
      for (const clients of clientsList) {
        for (const t of targets) {
          const cell = results[op][clients][t.kind];
          const stat = (which) => {
            const runs = cell[which] ?? [];
            const lat = runs.flatMap((x) => x.lat);
            return { rps: median(runs.map((x) => x.rps)), p50: percentile(lat, 50), p99: percentile(lat, 99), cpu: median(runs.map((x) => x.serverCpuUs)), errors: runs.reduce((n, x) => n + x.errors, 0) };
          };
          const a = stat('validated');
          const b = stat('open');
          const ratio = both ? median(cell.validated.map((x, i) => x.rps / cell.open[i].rps)) : NaN;
          const cpuRatio = both ? b.cpu / a.cpu : NaN;
          const cpuExtra = both ? median(cell.validated.map((x, i) => x.serverCpuUs - cell.open[i].serverCpuUs)) : NaN;
          const show = (s) => (Number.isFinite(s.rps) ? `${fmt(s.rps)} (${fmt(s.p50, 2)}/${fmt(s.p99, 2)}) ${fmt(s.cpu)}us${s.errors ? ` ${s.errors} err` : ''}` : '-');
          rows.push([op, clients, t.kind, show(a), show(b), pctOf(ratio), pctOf(cpuRatio), fmt(cpuExtra)]);
          if (both) {
            summary.push({
              metric: `${op}s/s at ${clients} client${clients > 1 ? 's' : ''}, ${t.kind}: 10 CEL rules + schema (a) vs open schema (b)`,
              value: `${fmt(a.rps)}/s vs ${fmt(b.rps)}/s = ${pctOf(ratio)} (CPU/req ${fmt(a.cpu)} vs ${fmt(b.cpu)} us, +${fmt(cpuExtra)} us)`,
              target: 'a/b ratio',
              pass: null,
            });
          }
        }
      }
    }
    console.log('\nreq/s (p50/p99 ms) server CPU per request; a/b = median over rounds of validated req/s / open req/s in the same round;');
    console.log('cpu b/a = open CPU per request / validated CPU per request; +cpu = median of (validated - open) server CPU per request, us');
    printTable(['op', 'clients', 'storage', '(a) validated', '(b) open', 'a/b', 'cpu b/a', '+cpu us'], rows, console.log, 3);

    if (profiles.length) {
      const cpuMs = new Map(profiles.map((p) => [p, procCpuMs(p.pid) - p.cpuAtReadyMs]));
      for (const t of targets) await t.stop();
      for (const p of profiles) {
        const prof = await printProfile(p, Number(opts.top ?? 30));
        if (prof) printAreas(prof, { requests: sent.get(p.port) ?? 0, cpuMs: cpuMs.get(p), whichList });
      }
    }
    return summary;
  } finally {
    for (const t of targets) await t.stop();
    for (const d of dirs) d.remove();
  }
}

// kin's self time grouped by what it does, per request sent (setup, warm-up and every cell; run one kind at a
// time, `--kinds validated` then `--kinds open`, for a per-kind figure).
const areas = [
  ['CEL (machinery/cel, cel-js, re2)', (f) => /^dist\/machinery\/cel\/|@marcbachmann\/cel-js|@bufbuild\/re2/.test(f)],
  ['OpenAPI schema: validate, prune, default (machinery/structural)', (f) => f.startsWith('dist/machinery/structural/')],
  ['glue: registry/apiextensions', (f) => f.startsWith('dist/registry/apiextensions/')],
  ['managed fields (machinery/managed-fields)', (f) => f.startsWith('dist/machinery/managed-fields/')],
  ['JSON codec and watch cache (registry/codec, storage)', (f) => f === 'dist/registry/codec.js' || f.startsWith('dist/storage/')],
  ['controllers in kin up and their client (controllers, client)', (f) => f.startsWith('dist/controllers/') || f.startsWith('dist/client/')],
  ['rest of kin (dist/)', (f) => f.startsWith('dist/')],
  ['TLS writes (writev)', (f) => f === 'writev'],
  ['garbage collector', (f) => f === '(garbage collector)'],
  ['rest (node internals, native, V8)', () => true],
];
function printAreas(prof, { requests, cpuMs, whichList }) {
  const us = new Map(areas.map(([name]) => [name, 0]));
  for (const [file, t] of prof.allFiles) {
    const [name] = areas.find(([, test]) => test(file));
    us.set(name, us.get(name) + t);
  }
  // A profile's sample times are wall time while the thread runs JavaScript, descheduled time included: spread
  // the process's own CPU time (from /proc, whole life) over the areas by their shares instead.
  const busyUs = prof.busyMs * 1000;
  console.log(`\nself time by area (${requests} requests sent: setup, warm-up and cells; kinds ${whichList.join(', ')}; process CPU after ready ${fmt(cpuMs)} ms, profile busy ${fmt(prof.busyMs)} ms)`);
  printTable(['area', 'share', 'CPU us/request'], [...us].map(([name, t]) => [name, `${((100 * t) / busyUs).toFixed(1)}%`, fmt(((t / busyUs) * cpuMs * 1000) / Math.max(1, requests))]));
}

const pctOf = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '-');

// The namespace and both CRDs; waits until each CRD is Established and its resource takes a create.
async function setUp(t, whichList) {
  const a = makeAgent(t.tls, 4);
  try {
    await expectStatus(a, t.port, { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }, [201, 409]);
    for (const which of whichList) {
      const def = crd(which);
      await expectStatus(a, t.port, { method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: JSON.stringify(def) }, 201);
      const deadline = Date.now() + 15_000;
      for (;;) {
        const got = await request(a, t.port, { path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${def.metadata.name}` });
        const established = got.status === 200 && JSON.parse(got.body).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
        if (established) {
          const probe = await request(a, t.port, { method: 'POST', path: collection(which), body: JSON.stringify(makeObject(which, 'probe', ns, 0)) });
          if (probe.status === 201) break;
          if (probe.status !== 404) throw new Error(`${t.kind}: probe ${which} object: HTTP ${probe.status}: ${probe.body.toString('utf8').slice(0, 600)}`);
        }
        if (Date.now() > deadline) throw new Error(`${t.kind}: CRD ${def.metadata.name} not served after 15 s`);
        await sleep(50);
      }
    }
  } finally {
    a.destroy();
  }
}

// Bodies are built once per (kind, i mod 48) with a placeholder name, then only the name is spliced in, so the
// load generator spends little time on them.
const templates = new Map();
function body(which, name, i) {
  const key = `${which} ${i % 48}`;
  let t = templates.get(key);
  if (!t) {
    const json = JSON.stringify(makeObject(which, '\u0000', ns, i % 48));
    const at = json.indexOf('\\u0000');
    t = [json.slice(0, at), json.slice(at + 6)];
    templates.set(key, t);
  }
  return t[0] + name + t[1];
}

function createOp(agent, port, which, tag) {
  return (i) => send(agent, port, { method: 'POST', path: collection(which), body: body(which, `${tag}-${i}`, typeof i === 'number' ? i : 0) }, 201);
}

const rvOf = (buf) => /"resourceVersion":"(\d+)"/.exec(buf.toString('utf8'))?.[1];

// The objects updates cycle over: created here, each with its latest resourceVersion.
async function fillPool(t, which, n) {
  const a = makeAgent(t.tls, 8);
  const free = [];
  try {
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < n; i += 8) {
        const obj = makeObject(which, `upd-${i}`, ns, i);
        const r = await send(a, t.port, { method: 'POST', path: collection(which), body: JSON.stringify(obj) }, 201);
        free.push({ name: obj.metadata.name, obj, rv: rvOf(r.body), n: 0 });
      }
    }));
  } finally {
    a.destroy();
  }
  return free;
}

// One update takes an object no other client holds, so no update meets a conflict.
function updateOp(agent, port, which, free) {
  return async () => {
    const e = free.shift();
    if (!e) throw new Error('update pool is empty (more clients than pooled objects)');
    try {
      mutate(e.obj, ++e.n);
      e.obj.metadata.resourceVersion = e.rv;
      const r = await send(agent, port, { method: 'PUT', path: `${collection(which)}/${e.name}`, body: JSON.stringify(e.obj) }, 200);
      e.rv = rvOf(r.body);
    } catch (err) {
      // Refresh the resourceVersion so one failure does not make every later update of this object fail.
      const got = await request(agent, port, { path: `${collection(which)}/${e.name}` }).catch(() => undefined);
      if (got?.status === 200) e.rv = rvOf(got.body);
      throw err;
    } finally {
      free.push(e);
    }
  };
}

if (isMain(import.meta.url)) {
  const rows = await run(flags());
  emitSummary('crd', rows);
}
