// LIST of 10,000 ConfigMaps in one namespace: the full list in one response, and the same list read in pages of
// `limit=500` following `continue`. Time per list is from sending the request to the last byte of the response
// (the client does not parse it in the timed part; one untimed parse per target checks the item count).
// Run against kin (sqlite and memory) and the floor server (which joins the stored bytes of the objects into a
// List), interleaved, with the server CPU per list.
//
// Usage: node bench/list.mjs [--objects 10000] [--size 1024] [--full-runs 15] [--paged-runs 5] [--page 500]
//          [--targets floor,sqlite,memory] [--cpu-prof]
import {
  configMapBody, emitSummary, expectStatus, flags, fmt, isMain, machineFacts, makeAgent, median, percentile,
  printTable, procCpuMs, runLoad, startFloor, startKin, tempDir,
} from './common.mjs';
import { join } from 'node:path';
import { printProfile, startProfiledKin } from './profile.mjs';

const ns = 'list-bench';
const collection = `/api/v1/namespaces/${ns}/configmaps`;
const targetMs = 100;

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const objects = Number(opts.objects ?? 10_000);
  const size = Number(opts.size ?? 1024);
  const fullRuns = Number(opts['full-runs'] ?? 15);
  const pagedRuns = Number(opts['paged-runs'] ?? 5);
  const page = Number(opts.page ?? 500);
  const targetNames = String(opts.targets ?? 'floor,sqlite,memory').split(',');
  console.log(`# list  ${JSON.stringify(machineFacts())}`);
  console.log(`# ${objects} ConfigMaps of ${configMapBody('cm-00000', ns, size).length} bytes in one namespace; full list x${fullRuns}, limit=${page} pages x${pagedRuns}`);

  const dirs = [];
  const targets = [];
  const profiles = [];
  try {
    for (const name of targetNames.filter((n) => n !== 'floor')) {
      const d = tempDir();
      dirs.push(d);
      const kin = opts['cpu-prof'] ? await startProfiledKin({ storage: name, dataDir: d.path }) : await startKin({ storage: name, dataDir: d.path });
      if (kin.profileDir) profiles.push(kin);
      targets.push(kin);
    }
    if (targetNames.includes('floor')) {
      if (!targets[0]) throw new Error('the floor borrows kin certificates: run it with at least one kin target');
      targets.unshift(await startFloor({ pkiDir: join(targets[0].dataDir, 'pki') }));
    }

    // Fill every target with the same objects.
    for (const t of targets) {
      const agent = makeAgent(t.tls, 64);
      if (t.kind !== 'floor') await expectStatus(agent, t.port, { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }, [201, 409]);
      const fill = await runLoad({
        clients: 64,
        count: objects,
        timeMs: 120_000,
        op: (i) => expectStatus(agent, t.port, { method: 'POST', path: collection, body: configMapBody(`cm-${String(i).padStart(5, '0')}`, ns, size) }, 201),
      });
      agent.destroy();
      if (fill.done !== objects) throw new Error(`${t.kind}: stored only ${fill.done} of ${objects} objects: ${fill.firstError?.message}`);
      console.log(`filled ${t.kind}: ${objects} creates in ${fmt(fill.seconds, 2)} s (${fmt(fill.rps)}/s at 64 clients)`);
      // One untimed full list, parsed, to check that the list is whole.
      const a = makeAgent(t.tls, 1);
      const r = await expectStatus(a, t.port, { path: collection }, 200);
      a.destroy();
      // kin's controllers add a ConfigMap of their own to every namespace (kube-root-ca.crt): count only ours.
      const n = JSON.parse(r.body.toString('utf8')).items.filter((o) => o.metadata.name.startsWith('cm-')).length;
      if (n !== objects) throw new Error(`${t.kind}: list returned ${n} of the ${objects} items`);
      t.listBytes = r.body.length;
    }

    const full = {}; // kind -> { ms: [], cpu: [] }
    const paged = {}; // kind -> { totalMs: [], pageMs: [], pages }
    for (let r = 0; r < Math.max(fullRuns, pagedRuns); r++) {
      const order = targets.map((_, i) => targets[(i + r) % targets.length]);
      for (const t of order) {
        const agent = makeAgent(t.tls, 1);
        if (r < fullRuns) {
          const f = (full[t.kind] ??= { ms: [], cpu: [] });
          const c0 = procCpuMs(t.pid);
          const s = process.hrtime.bigint();
          await expectStatus(agent, t.port, { path: collection }, 200);
          f.ms.push(Number(process.hrtime.bigint() - s) / 1e6);
          f.cpu.push(procCpuMs(t.pid) - c0);
        }
        if (r < pagedRuns) {
          const p = (paged[t.kind] ??= { totalMs: [], pageMs: [], pages: 0 });
          let cont = '';
          let pages = 0;
          const s0 = process.hrtime.bigint();
          do {
            const s = process.hrtime.bigint();
            const res = await expectStatus(agent, t.port, { path: `${collection}?limit=${page}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}` }, 200);
            p.pageMs.push(Number(process.hrtime.bigint() - s) / 1e6);
            // Only the continue token is read: it sits in the metadata at the head of the body.
            cont = /"continue":"([^"]*)"/.exec(res.body.subarray(0, 600).toString('utf8'))?.[1] ?? '';
            pages++;
          } while (cont && pages < objects);
          p.totalMs.push(Number(process.hrtime.bigint() - s0) / 1e6);
          p.pages = pages;
        }
        agent.destroy();
      }
    }

    const rows = [];
    const summary = [];
    const floorFull = full.floor ? median(full.floor.ms) : NaN;
    for (const t of targets) {
      const f = full[t.kind];
      const p = paged[t.kind];
      const m = median(f.ms);
      rows.push([
        t.kind, `${fmt(t.listBytes / 2 ** 20, 1)} MiB`, fmt(m), fmt(percentile(f.ms, 99)), fmt(median(f.cpu)),
        t.kind === 'floor' ? '-' : `${fmt(m / floorFull, 2)}x`,
        `${p.pages}`, fmt(median(p.pageMs), 2), fmt(percentile(p.pageMs, 99), 2), fmt(median(p.totalMs)),
      ]);
      if (t.kind !== 'floor') {
        summary.push({ metric: `full LIST of ${objects}, ${t.kind} (median)`, value: `${fmt(m)} ms (p99 ${fmt(percentile(f.ms, 99))}; floor ${fmt(floorFull)} ms)`, target: `< ${targetMs} ms`, pass: m < targetMs });
        summary.push({ metric: `LIST limit=${page} page, ${t.kind} (median)`, value: `${fmt(median(p.pageMs), 2)} ms/page, ${fmt(median(p.totalMs))} ms for all ${p.pages}`, target: '-', pass: null });
      }
    }
    console.log(`\nfull list: ms from request to last byte; server CPU ms per list; vs floor = kin time / floor time`);
    printTable(['target', 'size', 'full median', 'full p99', 'server CPU', 'vs floor', 'pages', 'page median', 'page p99', 'all pages median'], rows);
    if (profiles.length) for (const p of profiles) await printProfile(p);
    return summary;
  } finally {
    for (const t of targets) await t.stop();
    for (const d of dirs) d.remove();
  }
}

if (isMain(import.meta.url)) {
  emitSummary('list', await run(flags()));
}
