// Start-up time of `kin up`: from spawning the node process to the `kin ready` line on its stdout, for a first
// start on an empty data dir (certificates are generated, the database created and bootstrapped) and for a
// restart on the data dir the first start left; sqlite and memory storage; median of N runs. The time kin
// reports itself (from its first line of code to ready) is printed beside it; the difference is Node's own
// start-up and module loading.
//
// Usage: node bench/startup.mjs [--runs 5] [--storages sqlite,memory] [--cpu-prof]
import { printProfile, startProfiledKin } from './profile.mjs';
import { emitSummary, flags, fmt, isMain, kinBin, machineFacts, median, printTable, spawnUntilReady, startKin, tempDir } from './common.mjs';

// Floors of the same measurement: a bare node that prints a line, and `kin help`, which loads kin as `kin up`
// does (bin/kin.js: the bundle dist/bundle/kin.cjs through its code cache, else dist/cmd/main.js) and prints
// its usage without starting anything.
const floors = {
  'node floor (bare node prints a line)': { args: ['-e', 'process.stdout.write("ready\\n")'], ready: /^ready/ },
  'node + load kin (kin help)': { args: [kinBin, 'help'], ready: /^kin/ },
};

const targetMs = 300;

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const runs = Number(opts.runs ?? 5);
  const storages = String(opts.storages ?? 'sqlite,memory').split(',');
  console.log(`# startup  ${JSON.stringify(machineFacts())}`);
  console.log(`# ${runs} runs per case; first = empty data dir, restart = the data dir of the first start`);
  const results = {}; // `${storage} ${phase}` -> [{readyMs, selfMs}]
  // Interleave the cases run by run, so a busy moment on the machine does not land on one case only.
  for (let r = 0; r < runs; r++) {
    for (const [name, { args, ready }] of Object.entries(floors)) {
      const p = await spawnUntilReady(args, { ready, label: name });
      (results[name] ??= []).push({ readyMs: p.readyMs, selfMs: NaN });
      await p.exited;
    }
    for (const storage of storages) {
      const d = tempDir();
      try {
        for (const phase of ['first', 'restart']) {
          const kin = await startKin({ storage, dataDir: d.path });
          (results[`${storage} ${phase}`] ??= []).push({ readyMs: kin.readyMs, selfMs: kin.selfMs });
          const exit = await kin.stop();
          if (exit.code !== 0) console.log(`  note: kin (${storage}) exited with code ${exit.code} signal ${exit.signal} after SIGTERM`);
        }
      } finally {
        d.remove();
      }
    }
  }
  const rows = [];
  const summary = [];
  for (const [name, xs] of Object.entries(results)) {
    const ready = xs.map((x) => x.readyMs);
    const self = xs.map((x) => x.selfMs);
    const m = median(ready);
    rows.push([name, fmt(m), fmt(Math.min(...ready)), fmt(Math.max(...ready)), fmt(median(self)), ready.map((x) => Math.round(x)).join(' ')]);
    if (!(name in floors)) summary.push({ metric: `startup, ${name} (spawn to ready, median)`, value: `${fmt(m)} ms`, target: `< ${targetMs} ms`, pass: m < targetMs });
    else summary.push({ metric: `startup, ${name}`, value: `${fmt(m)} ms`, target: 'floor', pass: null });
  }
  if (opts['cpu-prof']) {
    // One profiled start (sqlite, first start) to show where start-up time goes.
    const d = tempDir();
    try {
      const kin = await startProfiledKin({ storage: 'sqlite', dataDir: d.path });
      console.log(`profiled start: ${fmt(kin.readyMs)} ms to ready`);
      await printProfile(kin, 20);
      kin.removeProfileDir();
    } finally {
      d.remove();
    }
  }
  console.log('');
  printTable(['case', 'median ms', 'min', 'max', 'kin-reported median', 'each run (ms)'], rows);
  return summary;
}

if (isMain(import.meta.url)) {
  emitSummary('startup', await run(flags()));
}
