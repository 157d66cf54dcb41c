// `npm run bench`: builds dist/ if it is missing or older than src/, runs each benchmark (or those named on
// the command line) in its own node process, one after another, and prints a summary table of every figure
// that has a target, with the machine facts and the load average before and after.
//
// Usage: node bench/run.mjs [startup] [api-throughput] [list] [watch] [idle-rss] [crd] [cel] [deletion] [cluster] [--quick] [--cpu-prof]
//          [--no-build] [--out FILE]
//   --quick     fewer rounds/runs/events (a smoke run of ~2-3 minutes; figures are rougher)
//   --cpu-prof  also run kin under `node --cpu-prof` (startup, api-throughput, list, watch, crd; cel profiles
//               itself) and print its hotspots
//   --out FILE  also write everything printed to FILE
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureBuilt, flags, fmt, machineFacts, printTable, repoRoot, spawnTracked } from './common.mjs';

const benches = {
  startup: { args: [], quick: ['--runs', '3'], prof: true },
  'api-throughput': { args: [], quick: ['--rounds', '1', '--time', '1.5'], prof: true },
  list: { args: [], quick: ['--full-runs', '5', '--paged-runs', '2'], prof: true },
  watch: { args: [], quick: ['--events', '60'], prof: true },
  'idle-rss': { args: [], quick: [] },
  crd: { args: [], quick: ['--rounds', '1', '--time', '1.5'], prof: true },
  cel: { args: [], quick: ['--iterations', '1000', '--warmup', '300', '--compile-iterations', '50'], prof: true },
  deletion: { args: [], quick: ['--objects', '2000'], prof: true },
  // Long (10-30 minutes on 2 cores): only when named, `npm run bench -- cluster`.
  cluster: { args: [], quick: ['--nodes', '100', '--pods', '3000', '--baseline-pods', '1000'], prof: true, onlyWhenNamed: true },
};
const aliases = { throughput: 'api-throughput', api: 'api-throughput', rss: 'idle-rss', memory: 'idle-rss' };

const argv = process.argv.slice(2);
const opts = flags(argv);
const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--out').map((a) => aliases[a] ?? a);
for (const n of names) {
  if (!benches[n]) {
    console.error(`unknown benchmark "${n}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
}
const selected = names.length ? names : Object.keys(benches).filter((n) => !benches[n].onlyWhenNamed);

const file = typeof opts.out === 'string' ? createWriteStream(opts.out) : undefined;
const log = (line = '') => {
  console.log(line);
  file?.write(line + '\n');
};

const t0 = Date.now();
const facts0 = machineFacts();
if (!opts['no-build']) ensureBuilt({ log });
log(`# kin benchmarks ${facts0.date}: ${facts0.cores} cores (${facts0.cpu}), ${facts0.memGiB} GiB, node ${facts0.node}, load ${facts0.loadavg}`);

const summaries = [];
const failures = [];
for (const name of selected) {
  const b = benches[name];
  const args = [join(repoRoot, 'bench', `${name}.mjs`), ...b.args, ...(opts.quick ? b.quick : []), ...(opts['cpu-prof'] && b.prof ? ['--cpu-prof'] : [])];
  log(`\n=== ${name} ${args.slice(1).join(' ')}`);
  const started = Date.now();
  const p = spawnTracked(args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: p.child.stdout });
  rl.on('line', (line) => {
    if (line.startsWith('BENCH-SUMMARY ')) summaries.push(JSON.parse(line.slice('BENCH-SUMMARY '.length)));
    else log(line);
  });
  const exit = await p.exited;
  await new Promise((r) => (rl.closed ? r() : rl.once('close', r)));
  log(`=== ${name} done in ${fmt((Date.now() - started) / 1000, 1)} s${exit.code === 0 ? '' : ` (FAILED: exit ${exit.code ?? exit.signal})`}`);
  if (exit.code !== 0) failures.push(name);
}

const rows = [];
for (const s of summaries) {
  for (const r of s.rows) rows.push([s.bench, r.metric, r.value, r.target, r.pass === null || r.pass === undefined ? '-' : r.pass ? 'PASS' : 'MISS']);
}
log(`\n# summary (${fmt((Date.now() - t0) / 1000, 0)} s; load ${facts0.loadavg} at start, ${machineFacts().loadavg} at end)`);
printTable(['bench', 'metric', 'value', 'target', ''], rows, log, 5);
if (failures.length) log(`\nbenchmarks that failed: ${failures.join(', ')}`);
file?.end();
process.exitCode = failures.length ? 1 : 0;
