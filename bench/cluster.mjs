// The scalability envelope on one machine: `kin up --simulated-nodes N`, then P pods created through Deployments
// (D replicas each, spread over a few namespaces). Reports pod startup latency (the pod's first appearance in a
// watch → the watch seeing it Running), API call latency during the run (a probe issuing mutating calls and
// single-object and namespace-scoped reads at a steady pace), kin's memory and CPU, against Kubernetes' SLOs
// (p99 pod startup ≤ 5 s, p99 mutating call ≤ 1 s, p99 single-object read ≤ 1 s, p99 namespace list ≤ 5 s).
// Baseline, measured in the same run: the rate at which a kin without nodes or controllers' work takes the same
// number of bare pods over POST (the API's own write rate for pods); the ratio says how close the whole pipeline
// (deployment → replicaset → scheduler → kubelet status) gets to it.
//
// Usage: node bench/cluster.mjs [--nodes 1000] [--pods 30000] [--replicas 100] [--namespaces 10]
//          [--rate 100] [--storage sqlite|memory] [--baseline-pods 5000] [--timeout-s 1800] [--cpu-prof]
// --rate: pods per second the Deployments ask for (one Deployment every replicas/rate seconds), as Kubernetes'
// load tests create pods at a set throughput; 0 creates every Deployment at once (saturation: startup latency
// then measures the queue, not the pipeline).
// The full envelope: --nodes 5000 --pods 150000 (needs ~2-3 GB of memory and a long time on 2 cores).
import { request as httpsRequest } from 'node:https';
import {
  emitSummary, expectStatus, flags, fmt, isMain, machineFacts, makeAgent, percentile, printTable, procCpuMs,
  request, rssMiB, runLoad, sleep, startKin, tempDir,
} from './common.mjs';
import { printProfile, startProfiledKin } from './profile.mjs';

const image = 'registry.k8s.io/pause:3.10';

function podTemplate(app) {
  return {
    metadata: { labels: { app } },
    spec: {
      containers: [{ name: 'app', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
      terminationGracePeriodSeconds: 1,
    },
  };
}

/** A watch over HTTPS that calls `onEvent(type, object)` for each line; returns `stop()`. */
function streamWatch(kin, agent, path, onEvent, accept = 'application/json') {
  let req;
  const done = new Promise((resolve) => {
    req = httpsRequest({ host: '127.0.0.1', port: kin.port, path, agent, headers: { accept } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line) {
            const ev = JSON.parse(line);
            onEvent(ev.type, ev.object);
          }
        }
      });
      res.on('end', resolve);
      res.on('error', resolve);
    });
    req.on('error', resolve);
    req.end();
  });
  return { stop: () => (req.destroy(), done) };
}

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const nodes = Number(opts.nodes ?? 1000);
  const pods = Number(opts.pods ?? 30_000);
  const replicas = Number(opts.replicas ?? 100);
  const namespaces = Number(opts.namespaces ?? 10);
  const storage = String(opts.storage ?? 'sqlite');
  const baselinePods = Number(opts['baseline-pods'] ?? 5000);
  const timeoutMs = Number(opts['timeout-s'] ?? 1800) * 1000;
  const rate = Number(opts.rate ?? 100);
  const deployments = Math.ceil(pods / replicas);
  console.log(`# cluster  ${JSON.stringify(machineFacts())}`);
  console.log(`# ${nodes} simulated nodes, ${pods} pods through ${deployments} Deployments of ${replicas} in ${namespaces} namespaces at ${rate > 0 ? `${rate} pods/s` : 'once'}, kin --storage ${storage}`);
  const rows = [];

  // ---- baseline: bare pods over POST on a kin with no nodes --------------------------------------------------
  let baselineRate = NaN;
  if (baselinePods > 0) {
    const dir = tempDir();
    const kin = await startKin({ storage, dataDir: dir.path, args: ['--simulated-nodes', '0'] });
    const agent = makeAgent(kin.tls, 16);
    try {
      await expectStatus(agent, kin.port, { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bare' } }) }, 201);
      const body = (i) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `bare-${i}`, namespace: 'bare', labels: { app: 'bare' } }, spec: podTemplate('bare').spec });
      // kin's ServiceAccount admission waits for the namespace's default ServiceAccount, as Kubernetes does.
      for (let i = 0; i < 100 && (await request(agent, kin.port, { path: '/api/v1/namespaces/bare/serviceaccounts/default' })).status !== 200; i++) await sleep(100);
      const r = await runLoad({ clients: 16, count: baselinePods, timeMs: 600_000, op: (i) => expectStatus(agent, kin.port, { method: 'POST', path: '/api/v1/namespaces/bare/pods', body: body(i) }, 201) });
      if (r.done !== baselinePods) throw new Error(`baseline: ${r.done} of ${baselinePods} pods: ${r.firstError?.message}`);
      baselineRate = r.rps;
      console.log(`baseline: ${baselinePods} bare pods POSTed in ${fmt(r.seconds, 2)} s = ${fmt(r.rps)} pods/s (16 clients, no nodes)`);
    } finally {
      agent.destroy();
      await kin.stop();
      dir.remove();
    }
  }

  // ---- the cluster -------------------------------------------------------------------------------------------
  const dir = tempDir();
  const args = ['--simulated-nodes', String(nodes)];
  const kin = opts['cpu-prof'] ? await startProfiledKin({ storage, dataDir: dir.path, args }) : await startKin({ storage, dataDir: dir.path, args, timeoutMs: 120_000 });
  const agent = makeAgent(kin.tls, 16);
  const probeAgent = makeAgent(kin.tls, 4);
  const watchAgent = makeAgent(kin.tls, 4);
  const watches = [];
  const cpu0 = procCpuMs(kin.pid);
  let rssPeak = rssMiB(kin.pid);
  try {
    // Nodes registered and Ready.
    const t0 = Date.now();
    for (;;) {
      const r = await request(agent, kin.port, { path: '/api/v1/nodes' });
      const list = JSON.parse(r.body.toString('utf8'));
      const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      if (ready >= nodes) break;
      if (Date.now() - t0 > 600_000) throw new Error(`only ${ready} of ${nodes} nodes Ready after 10 minutes`);
      await sleep(1000);
    }
    console.log(`${nodes} nodes Ready ${fmt((Date.now() - t0) / 1000, 1)} s after kin's ready line`);

    // Watches: each pod's first sight (metadata only: cheap), and each pod entering status.phase=Running (a field
    // selector: one event per pod instead of every status write).
    const created = new Map();
    const running = new Map();
    const rvNow = JSON.parse((await expectStatus(agent, kin.port, { path: '/api/v1/pods?limit=1' }, 200)).body.toString('utf8')).metadata.resourceVersion;
    const metadataOnly = 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json';
    watches.push(streamWatch(kin, watchAgent, `/api/v1/pods?watch=true&resourceVersion=${rvNow}`, (type, o) => {
      if (type === 'ADDED' && o.metadata?.uid && !created.has(o.metadata.uid)) created.set(o.metadata.uid, performance.now());
    }, metadataOnly));
    watches.push(streamWatch(kin, watchAgent, `/api/v1/pods?watch=true&resourceVersion=${rvNow}&fieldSelector=status.phase%3DRunning`, (type, o) => {
      if (type !== 'DELETED' && o.metadata?.uid && !running.has(o.metadata.uid)) running.set(o.metadata.uid, performance.now());
    }));

    // The probe: every 100 ms, one mutating call (a ConfigMap patch), one GET of a node, one LIST of a namespace's pods.
    const lat = { mutating: [], get: [], list: [] };
    let probing = true;
    await expectStatus(agent, kin.port, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } }) }, 201);
    const timedCall = async (arr, o) => {
      const s = performance.now();
      await expectStatus(probeAgent, kin.port, o, 200);
      arr.push(performance.now() - s);
    };
    const probe = (async () => {
      for (let i = 0; probing; i++) {
        const tick = performance.now();
        await Promise.all([
          timedCall(lat.mutating, { method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/probe', body: JSON.stringify({ data: { i: String(i) } }), headers: { 'content-type': 'application/merge-patch+json' } }),
          timedCall(lat.get, { path: `/api/v1/nodes/kin-node-${1 + (i % nodes)}` }),
          timedCall(lat.list, { path: `/api/v1/namespaces/ns-${i % namespaces}/pods` }),
        ]).catch((e) => console.log(`probe: ${e.message}`));
        rssPeak = Math.max(rssPeak, rssMiB(kin.pid));
        await sleep(Math.max(0, 100 - (performance.now() - tick)));
      }
    })();

    // The load: namespaces, then Deployments (4 at a time).
    const start = performance.now();
    for (let n = 0; n < namespaces; n++) await expectStatus(agent, kin.port, { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } }) }, 201);
    for (let n = 0; n < namespaces; n++) {
      for (let i = 0; i < 100 && (await request(agent, kin.port, { path: `/api/v1/namespaces/ns-${n}/serviceaccounts/default` })).status !== 200; i++) await sleep(100);
    }
    const made = await runLoad({
      clients: rate > 0 ? 1 : 4,
      count: deployments,
      timeMs: timeoutMs,
      op: async (i) => {
        // Paced: Deployment i is due at i * replicas / rate seconds after the start.
        if (rate > 0) await sleep(Math.max(0, start + (i * replicas * 1000) / rate - performance.now()));
        const want = Math.min(replicas, pods - i * replicas);
        const app = `app-${i}`;
        const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: `ns-${i % namespaces}` }, spec: { replicas: want, selector: { matchLabels: { app } }, template: podTemplate(app) } };
        return expectStatus(agent, kin.port, { method: 'POST', path: `/apis/apps/v1/namespaces/ns-${i % namespaces}/deployments`, body: JSON.stringify(body) }, 201);
      },
    });
    console.log(`${made.done} Deployments created in ${fmt(made.seconds, 1)} s`);
    let last = 0;
    while (running.size < pods && performance.now() - start < timeoutMs) {
      await sleep(1000);
      const s = Math.round((performance.now() - start) / 1000);
      if (s - last >= 10) {
        last = s;
        console.log(`  ${s} s: ${created.size} pods created, ${running.size} Running; kin RSS ${fmt(rssMiB(kin.pid))} MiB`);
      }
    }
    const allSeconds = (performance.now() - start) / 1000;
    probing = false;
    await probe;

    const startup = [];
    for (const [uid, c] of created) {
      const r = running.get(uid);
      if (r !== undefined) startup.push((r - c) / 1000);
    }
    const cpuS = (procCpuMs(kin.pid) - cpu0) / 1000;
    const runRate = running.size / allSeconds;
    console.log(`\n${running.size} of ${pods} pods Running in ${fmt(allSeconds, 1)} s (${fmt(runRate)} pods/s); kin CPU ${fmt(cpuS, 1)} s, RSS peak ${fmt(rssPeak)} MiB`);
    printTable(
      ['figure', 'p50', 'p90', 'p99', 'max', 'n', 'SLO'],
      [
        ['pod startup (s)', fmt(percentile(startup, 50), 2), fmt(percentile(startup, 90), 2), fmt(percentile(startup, 99), 2), fmt(percentile(startup, 100), 2), startup.length, 'p99 ≤ 5 s'],
        ['mutating call (ms)', fmt(percentile(lat.mutating, 50)), fmt(percentile(lat.mutating, 90)), fmt(percentile(lat.mutating, 99)), fmt(percentile(lat.mutating, 100)), lat.mutating.length, 'p99 ≤ 1,000 ms'],
        ['GET one object (ms)', fmt(percentile(lat.get, 50)), fmt(percentile(lat.get, 90)), fmt(percentile(lat.get, 99)), fmt(percentile(lat.get, 100)), lat.get.length, 'p99 ≤ 1,000 ms'],
        ['LIST a namespace of ~3k pods (ms)', fmt(percentile(lat.list, 50)), fmt(percentile(lat.list, 90)), fmt(percentile(lat.list, 99)), fmt(percentile(lat.list, 100)), lat.list.length, 'p99 ≤ 5,000 ms'],
      ],
    );
    if (Number.isFinite(baselineRate)) console.log(`pods Running per second ÷ bare pod POSTs per second (baseline) = ${fmt(runRate)} / ${fmt(baselineRate)} = ${fmt((runRate / baselineRate) * 100, 0)}%`);
    const p99 = percentile(startup, 99);
    rows.push({ metric: `pod startup p99, ${nodes} nodes / ${pods} pods at ${rate > 0 ? `${rate} pods/s` : 'once'}`, value: `${fmt(p99, 2)} s (p50 ${fmt(percentile(startup, 50), 2)} s; ${running.size} Running)`, target: '≤ 5 s', pass: running.size === pods && p99 <= 5 });
    rows.push({ metric: 'mutating API call p99 during the run', value: `${fmt(percentile(lat.mutating, 99))} ms`, target: '≤ 1 s', pass: percentile(lat.mutating, 99) <= 1000 });
    rows.push({ metric: 'GET p99 / namespace LIST p99 during the run', value: `${fmt(percentile(lat.get, 99))} / ${fmt(percentile(lat.list, 99))} ms`, target: '≤ 1 s / ≤ 5 s', pass: percentile(lat.get, 99) <= 1000 && percentile(lat.list, 99) <= 5000 });
    rows.push({ metric: `pods Running per second (asked: ${rate > 0 ? rate : 'all at once'}) vs bare pod POSTs`, value: `${fmt(runRate)}/s vs ${fmt(baselineRate)}/s (${fmt((runRate / baselineRate) * 100, 0)}%)`, target: '-', pass: null });
    rows.push({ metric: 'kin RSS peak / CPU', value: `${fmt(rssPeak)} MiB / ${fmt(cpuS, 1)} s`, target: '-', pass: null });
    if (kin.profileDir) await printProfile(kin);
    return rows;
  } finally {
    for (const w of watches) await w.stop();
    agent.destroy();
    probeAgent.destroy();
    watchAgent.destroy();
    await kin.stop();
    dir.remove();
  }
}

if (isMain(import.meta.url)) {
  emitSummary('cluster', await run(flags()));
}
