// Resident memory (VmRSS from /proc/<pid>/status) of an idle `kin up`, right after its ready line and after
// ~10 s of idling, for sqlite and memory storage; the floor server (a bare Node HTTPS process) beside it says
// what Node itself takes. All processes idle at the same time, so the run takes ~10 s.
//
// Usage: node bench/idle-rss.mjs [--seconds 10] [--storages sqlite,memory]
import { join } from 'node:path';
import { emitSummary, flags, fmt, isMain, machineFacts, printTable, rssMiB, sleep, startFloor, startKin, tempDir } from './common.mjs';

const targetMB = 100; // decimal megabytes: 100 MB = 95.4 MiB

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const seconds = Number(opts.seconds ?? 10);
  const storages = String(opts.storages ?? 'sqlite,memory').split(',');
  console.log(`# idle-rss  ${JSON.stringify(machineFacts())}`);
  const dirs = [];
  const procs = [];
  try {
    for (const storage of storages) {
      const d = tempDir();
      dirs.push(d);
      const kin = await startKin({ storage, dataDir: d.path });
      procs.push({ p: kin, atReady: rssMiB(kin.pid), samples: [] });
    }
    const floor = await startFloor({ pkiDir: join(dirs[0].path, 'pki') });
    procs.push({ p: floor, atReady: rssMiB(floor.pid), samples: [] });
    for (let s = 1; s <= seconds; s++) {
      await sleep(1000);
      for (const x of procs) x.samples.push(rssMiB(x.p.pid));
    }
    const rows = [];
    const summary = [];
    for (const x of procs) {
      const after = x.samples[x.samples.length - 1];
      const peak = Math.max(x.atReady, ...x.samples);
      rows.push([x.p.kind, fmt(x.atReady), fmt(after), fmt(peak)]);
      if (x.p.kind === 'floor') summary.push({ metric: 'idle RSS, floor (bare node https)', value: `${fmt(after)} MiB`, target: 'floor', pass: null });
      else summary.push({ metric: `idle RSS after ${seconds} s, ${x.p.kind}`, value: `${fmt(after)} MiB (at ready ${fmt(x.atReady)}, peak ${fmt(peak)})`, target: `< ${targetMB} MB (${fmt(targetMB / 1.048576)} MiB)`, pass: peak * 1.048576 < targetMB });
    }
    console.log('');
    printTable(['process', 'RSS at ready MiB', `after ${seconds} s`, 'peak'], rows);
    return summary;
  } finally {
    for (const x of procs) await x.p.stop();
    for (const d of dirs) d.remove();
  }
}

if (isMain(import.meta.url)) {
  emitSummary('idle-rss', await run(flags()));
}
