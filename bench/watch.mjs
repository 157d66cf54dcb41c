// Watch event latency with 1,000 concurrent watchers on one resource (ConfigMaps of one namespace, HTTP watch
// streams `?watch=true&resourceVersion=<rv>`), against kin (sqlite and memory) and the floor server.
//
// How it is measured: the watchers live in separate child processes (bench/watch-client.mjs, default 4 x 250
// streams), so the writer's process does not also decrypt 1,000 streams. This process creates one ConfigMap
// at a time, noting process.hrtime.bigint() when the POST is sent and when its response arrived; every
// watcher notes the same clock when the event's line arrives. CLOCK_MONOTONIC is shared by all processes on
// the machine, so latency = receipt - (send | response) across processes. The next write starts only after
// every watcher has the event (each child acknowledges over IPC), so each figure is one event's fan-out, not a
// queue of them. Latency from the response can be negative: a server may send watch events before the
// write's response has reached the writer.
//
// Client-side cost: on 2 cores the four watcher processes, the writer and the server share the CPUs, and each
// watcher process serves its streams one after another (TLS decryption included), so the last stream of a
// process waits for the others. The floor server's figures, measured the same way with the same clients, are
// that cost plus a bare fan-out; kin's figures minus the floor's are what kin adds.
//
// Usage: node bench/watch.mjs [--watchers 1000] [--procs 4] [--events 200] [--size 1024]
//          [--targets floor,sqlite,memory] [--cpu-prof]
import { join } from 'node:path';
import {
  configMapBody, emitSummary, expectStatus, flags, fmt, forkTracked, isMain, machineFacts, makeAgent, median,
  percentile, printTable, procCpuMs, repoRoot, sleep, startFloor, startKin, tempDir,
} from './common.mjs';
import { printProfile, startProfiledKin } from './profile.mjs';

const ns = 'watch-bench';
const collection = `/api/v1/namespaces/${ns}/configmaps`;
const targetP99Ms = 10;

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const watchers = Number(opts.watchers ?? 1000);
  const procs = Number(opts.procs ?? 4);
  const events = Number(opts.events ?? 200);
  const size = Number(opts.size ?? 1024);
  const targetNames = String(opts.targets ?? 'floor,sqlite,memory').split(',');
  console.log(`# watch  ${JSON.stringify(machineFacts())}`);
  console.log(`# ${watchers} watchers in ${procs} child processes; ${events} events (ConfigMaps of ${configMapBody('w-00000', ns, size).length} bytes), one at a time`);

  const dirs = [];
  const kins = [];
  const summary = [];
  const rows = [];
  try {
    for (const name of targetNames.filter((n) => n !== 'floor')) {
      const d = tempDir();
      dirs.push(d);
      const kin = opts['cpu-prof'] ? await startProfiledKin({ storage: name, dataDir: d.path }) : await startKin({ storage: name, dataDir: d.path });
      kins.push(kin);
    }
    const order = [];
    if (targetNames.includes('floor')) {
      if (!kins[0]) throw new Error('the floor borrows kin certificates: run it with at least one kin target');
      const floor = await startFloor({ pkiDir: join(kins[0].dataDir, 'pki') });
      floor.dataDir = kins[0].dataDir;
      order.push(floor);
    }
    order.push(...kins);

    for (const t of order) {
      const r = await measure(t, { watchers, procs, events, size });
      await t.stop(); // frees the CPU for the next target; a profiled kin writes its profile now
      const lr = r.fromResponse;
      const ls = r.fromSend;
      rows.push([
        t.kind, `${r.received}/${r.expected}`,
        fmt(percentile(ls, 50), 2), fmt(percentile(ls, 99), 2),
        fmt(percentile(lr, 50), 2), fmt(percentile(lr, 99), 2), fmt(percentile(lr, 100), 2),
        fmt(median(r.lastFromSend), 2), fmt(percentile(r.lastFromSend, 99), 2),
        fmt(median(r.writeMs), 2), fmt(r.serverCpuMsPerEvent, 2), fmt(r.clientCpuMsPerEvent, 2),
      ]);
      if (t.kind !== 'floor') {
        const p99 = percentile(lr, 99);
        summary.push({
          metric: `watch latency p99, ${watchers} watchers, ${t.kind}`,
          value: `${fmt(p99, 2)} ms from response (p50 ${fmt(percentile(lr, 50), 2)}), ${fmt(percentile(ls, 99), 2)} ms from send`,
          target: `< ${targetP99Ms} ms`,
          pass: p99 < targetP99Ms,
        });
      } else {
        summary.push({ metric: `watch latency p99, ${watchers} watchers, floor`, value: `${fmt(percentile(lr, 99), 2)} ms from response, ${fmt(percentile(ls, 99), 2)} ms from send`, target: 'floor', pass: null });
      }
      if (t.profileDir) await printProfile(t);
    }
    console.log('\nlatency in ms per (event, watcher); "all" = until the last of the watchers had the event; CPU ms per event');
    printTable(['target', 'received', 'send p50', 'send p99', 'resp p50', 'resp p99', 'resp max', 'all p50', 'all p99', 'write p50', 'server CPU', 'watchers CPU'], rows);
    return summary;
  } finally {
    for (const k of kins) await k.stop();
    for (const d of dirs) d.remove();
  }
}

async function measure(t, { watchers, procs, events, size }) {
  const agent = makeAgent(t.tls, 1);
  let rv = '0';
  if (t.kind !== 'floor') {
    await expectStatus(agent, t.port, { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }, [201, 409]);
    const l = await expectStatus(agent, t.port, { path: `${collection}?limit=1` }, 200);
    rv = JSON.parse(l.body.toString('utf8')).metadata.resourceVersion;
  }
  const kids = [];
  const acks = new Map(); // name -> count of children that have it everywhere
  let ackWaiter;
  try {
    const per = Math.ceil(watchers / procs);
    let remaining = watchers;
    for (let i = 0; i < procs && remaining > 0; i++) {
      const n = Math.min(per, remaining);
      remaining -= n;
      const k = forkTracked(join(repoRoot, 'bench', 'watch-client.mjs'));
      k.n = n;
      k.child.on('message', (m) => {
        if (m.got) {
          acks.set(m.got, (acks.get(m.got) ?? 0) + 1);
          if (ackWaiter && acks.get(ackWaiter.name) === kids.length) ackWaiter.resolve();
        }
      });
      kids.push(k);
    }
    const path = `${collection}?watch=true&resourceVersion=${rv}`;
    const t0 = Date.now();
    await Promise.all(kids.map((k) => new Promise((resolve, reject) => {
      const onMsg = (m) => {
        if (m.ready !== undefined) resolve();
        else if (m.error) reject(new Error(`${t.kind}: watcher: ${m.error}`));
      };
      k.child.on('message', onMsg);
      k.child.send({ start: { port: t.port, dataDir: t.dataDir, path, watchers: k.n } });
    })));
    console.log(`${t.kind}: ${watchers} watches open in ${Date.now() - t0} ms`);
    await sleep(500);

    const sent = new Map();
    const writeMs = [];
    let missed = 0;
    const cpu0 = procCpuMs(t.pid);
    const deadline = Date.now() + 60_000; // bounded: a slow machine gets fewer events, not a longer run
    for (let i = 0; i < events && Date.now() < deadline; i++) {
      const name = `w-${String(i).padStart(5, '0')}`;
      const body = configMapBody(name, ns, size);
      const all = new Promise((resolve) => {
        ackWaiter = { name, resolve };
        if (acks.get(name) === kids.length) resolve();
      });
      const s = Number(process.hrtime.bigint());
      await expectStatus(agent, t.port, { method: 'POST', path: collection, body }, 201);
      const e = Number(process.hrtime.bigint());
      sent.set(name, { s, e });
      writeMs.push((e - s) / 1e6);
      const timedOut = await Promise.race([all.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut) missed++;
      await sleep(2);
    }
    const serverCpuMs = procCpuMs(t.pid) - cpu0;

    const fromSend = [];
    const fromResponse = [];
    const lastFromSend = [];
    let received = 0;
    let clientCpuMs = 0;
    const last = new Map(); // name -> latest receipt across children
    await Promise.all(kids.map((k) => new Promise((resolve) => {
      k.child.on('message', (m) => {
        if (!m.times) return;
        clientCpuMs += m.cpuMs;
        for (const [name, ts] of Object.entries(m.times)) {
          const w = sent.get(name);
          if (!w) continue;
          for (const x of ts) {
            fromSend.push((x - w.s) / 1e6);
            fromResponse.push((x - w.e) / 1e6);
            received++;
            if (x > (last.get(name) ?? 0)) last.set(name, x);
          }
        }
        resolve();
      });
      k.child.send({ finish: true });
    })));
    for (const [name, x] of last) lastFromSend.push((x - sent.get(name).s) / 1e6);
    const expected = sent.size * watchers;
    console.log(`${t.kind}: ${sent.size} events, ${received}/${expected} receipts${missed ? `, ${missed} events not seen by every watcher within 5 s` : ''}`);
    return {
      fromSend, fromResponse, lastFromSend, writeMs, received, expected,
      serverCpuMsPerEvent: serverCpuMs / sent.size, clientCpuMsPerEvent: clientCpuMs / sent.size,
    };
  } finally {
    agent.destroy();
    for (const k of kids) await k.stop();
  }
}

if (isMain(import.meta.url)) {
  emitSummary('watch', await run(flags()));
}
