// Deletion at scale: the time to delete a namespace holding N objects (the namespace controller empties it, then
// the namespace goes), and the time for the garbage collector to remove N dependents of one deleted owner
// (background and foreground cascades), each reported next to the rate of plain deletes of the same objects —
// N DELETE requests from 16 clients — measured in the same run on the same kin.
//
// Usage: node bench/deletion.mjs [--objects 10000] [--size 512] [--storage sqlite|memory] [--clients 16]
//          [--cases plain,namespace,gc-background,gc-foreground] [--cpu-prof]
import {
  configMapBody, emitSummary, expectStatus, flags, fmt, isMain, machineFacts, makeAgent, printTable, procCpuMs,
  request, runLoad, sleep, startKin, tempDir,
} from './common.mjs';
import { printProfile, startProfiledKin } from './profile.mjs';

const pollMs = 50;

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const objects = Number(opts.objects ?? 10_000);
  const size = Number(opts.size ?? 512);
  const storage = String(opts.storage ?? 'sqlite');
  const clients = Number(opts.clients ?? 16);
  const cases = String(opts.cases ?? 'plain,namespace,gc-background,gc-foreground').split(',');
  console.log(`# deletion  ${JSON.stringify(machineFacts())}`);
  console.log(`# ${objects} ConfigMaps of ~${size} bytes per case, kin --storage ${storage}; plain deletes at ${clients} clients`);

  const dir = tempDir();
  const kin = opts['cpu-prof'] ? await startProfiledKin({ storage, dataDir: dir.path }) : await startKin({ storage, dataDir: dir.path });
  const agent = makeAgent(kin.tls, 64);
  const post = (path, obj) => expectStatus(agent, kin.port, { method: 'POST', path, body: JSON.stringify(obj) }, 201);
  const results = [];
  try {
    /** Creates a namespace, runs `first` (makes an owner), then fills it; `meta(i)` adds metadata to object i. */
    const fill = async (ns, meta = () => ({}), first = async () => {}) => {
      await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await first();
      const r = await runLoad({
        clients: 64,
        count: objects,
        timeMs: 300_000,
        op: (i) => {
          const body = JSON.parse(configMapBody(`cm-${String(i).padStart(5, '0')}`, ns, size));
          Object.assign(body.metadata, { labels: { ...body.metadata.labels, set: ns } }, meta(i));
          return expectStatus(agent, kin.port, { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: JSON.stringify(body) }, 201);
        },
      });
      if (r.done !== objects) throw new Error(`${ns}: created only ${r.done} of ${objects}: ${r.firstError?.message}`);
      console.log(`filled ${ns}: ${objects} creates in ${fmt(r.seconds, 2)} s`);
    };
    /** How many of the set's objects are left (a label-selected list with limit=1 reads remainingItemCount). */
    const left = async (ns) => {
      const r = await request(agent, kin.port, { path: `/api/v1/namespaces/${ns}/configmaps?labelSelector=set%3D${ns}&limit=1` });
      if (r.status === 404) return 0;
      const list = JSON.parse(r.body.toString('utf8'));
      return (list.items?.length ?? 0) + (list.metadata?.remainingItemCount ?? 0);
    };
    /** Polls until `done()` holds; returns seconds since `t0`. */
    const until = async (t0, done, what) => {
      for (let i = 0; ; i++) {
        if (await done()) return Number(process.hrtime.bigint() - t0) / 1e9;
        if (i * pollMs > 600_000) throw new Error(`${what}: not done after 10 minutes`);
        await sleep(pollMs);
      }
    };
    const timed = async (name, what, fn) => {
      const c0 = procCpuMs(kin.pid);
      const seconds = await fn();
      const cpu = procCpuMs(kin.pid) - c0;
      results.push({ name, what, seconds, rate: objects / seconds, cpuPerObject: cpu / objects });
      console.log(`${name}: ${objects} objects in ${fmt(seconds, 2)} s (${fmt(objects / seconds)}/s, ${fmt((cpu * 1000) / objects)} µs server CPU each)`);
    };

    if (cases.includes('plain')) {
      await fill('del-plain');
      await timed('plain deletes', `${objects} DELETE requests, ${clients} clients`, async () => {
        const r = await runLoad({
          clients,
          count: objects,
          timeMs: 600_000,
          op: (i) => expectStatus(agent, kin.port, { method: 'DELETE', path: `/api/v1/namespaces/del-plain/configmaps/cm-${String(i).padStart(5, '0')}` }, 200),
        });
        if (r.done !== objects) throw new Error(`plain deletes: ${r.done} of ${objects}: ${r.firstError?.message}`);
        return r.seconds;
      });
    }
    if (cases.includes('namespace')) {
      await fill('del-ns');
      await timed('namespace deletion', `DELETE namespace → 404`, async () => {
        const t0 = process.hrtime.bigint();
        await expectStatus(agent, kin.port, { method: 'DELETE', path: '/api/v1/namespaces/del-ns' }, [200, 202]);
        return until(t0, async () => (await request(agent, kin.port, { path: '/api/v1/namespaces/del-ns' })).status === 404, 'namespace deletion');
      });
    }
    for (const policy of ['Background', 'Foreground']) {
      const name = `gc-${policy.toLowerCase()}`;
      if (!cases.includes(name)) continue;
      const ns = `del-${name}`;
      let ref;
      await fill(ns, () => ({ ownerReferences: [ref] }), async () => {
        const owner = JSON.parse((await post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } })).body.toString('utf8'));
        ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid, blockOwnerDeletion: true };
      });
      await timed(`garbage collection (${policy})`, `DELETE owner (${policy}) → dependents gone`, async () => {
        const t0 = process.hrtime.bigint();
        await expectStatus(agent, kin.port, { method: 'DELETE', path: `/api/v1/namespaces/${ns}/configmaps/owner`, body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy }) }, [200, 202]);
        return until(t0, async () => (await left(ns)) === 0 && (policy === 'Background' || (await request(agent, kin.port, { path: `/api/v1/namespaces/${ns}/configmaps/owner` })).status === 404), `gc ${policy}`);
      });
    }

    const plain = results.find((r) => r.name === 'plain deletes');
    const rows = results.map((r) => [r.name, r.what, fmt(r.seconds, 2), fmt(r.rate), fmt(r.cpuPerObject * 1000), plain ? `${fmt((r.rate / plain.rate) * 100, 0)}%` : '-']);
    console.log(`\nrate = objects removed per second; vs plain = rate ÷ the plain-delete rate in this run`);
    printTable(['case', 'what is timed', 'seconds', 'objects/s', 'server µs/object', 'vs plain'], rows);
    if (kin.profileDir) await printProfile(kin);
    return results.map((r) => ({ metric: `${r.name}, ${objects} objects, kin-${storage}`, value: `${fmt(r.seconds, 2)} s (${fmt(r.rate)}/s${plain && r !== plain ? `, ${fmt((r.rate / plain.rate) * 100, 0)}% of plain deletes` : ''})`, target: '-', pass: null }));
  } finally {
    agent.destroy();
    await kin.stop();
    dir.remove();
  }
}

if (isMain(import.meta.url)) {
  emitSummary('deletion', await run(flags()));
}
