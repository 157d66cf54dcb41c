// CPU profiles of kin under a benchmark: start kin with `node --cpu-prof`, and after it stopped, summarize the
// profile as the functions with the most self time (and the files they are in).
// Standalone: node bench/profile.mjs <file.cpuprofile> [top=25]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMain, repoRoot, startKin, tempDir } from './common.mjs';

/** Starts kin under `--cpu-prof`; the profile is written to `profileDir` when kin exits after SIGTERM. */
export async function startProfiledKin({ storage, dataDir, args = [] }) {
  const d = tempDir('kin-bench-prof-');
  const kin = await startKin({ storage, dataDir, args, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', d.path] });
  return { ...kin, profileDir: d.path, removeProfileDir: d.remove };
}

/**
 * Stops a kin started by `startProfiledKin` (if still running) and prints its profile summary; returns what
 * summarizeProfile returns (undefined when no profile was written).
 */
export async function printProfile(kin, top = 25) {
  await kin.stop();
  const files = readdirSync(kin.profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) {
    console.log(`(no CPU profile was written for ${kin.kind}: did it exit cleanly?)`);
    return undefined;
  }
  const file = join(kin.profileDir, files[0]);
  console.log(`\nCPU profile of ${kin.kind} (${file}):`);
  return summarizeProfile(file, top);
}

/** Prints and returns the top self-time functions and files of a .cpuprofile. */
export function summarizeProfile(file, top = 25, out = console.log) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> microseconds
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const fns = new Map();
  const filesT = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const name = cf.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    let url = cf.url ? shortUrl(cf.url) : '';
    let at = `${url}:${cf.lineNumber + 1}`;
    if (url.startsWith('dist/bundle/')) {
      const mod = bundleModule(url, cf.lineNumber);
      if (mod) {
        at = `${mod} (${url.slice('dist/bundle/'.length)}:${cf.lineNumber + 1})`;
        url = mod;
      }
    }
    const key = url ? `${name}  ${at}` : name;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const fk = url || name;
    filesT.set(fk, (filesT.get(fk) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1)}%`.padStart(6);
  // Coarse split: kin's compiled code, npm dependencies, Node's own JavaScript, and the rest (native code such
  // as TLS writes, the garbage collector, V8 itself).
  const groups = { 'kin (dist/)': 0, 'dependencies (node_modules/)': 0, 'node internals (node:)': 0, 'native, GC and V8': 0 };
  for (const [k, us] of filesT) {
    if (k.startsWith('dist/')) groups['kin (dist/)'] += us;
    else if (k.includes('node_modules/')) groups['dependencies (node_modules/)'] += us;
    else if (k.startsWith('node:')) groups['node internals (node:)'] += us;
    else groups['native, GC and V8'] += us;
  }
  out(`busy ${(total / 1e3).toFixed(0)} ms, idle ${(idle / 1e3).toFixed(0)} ms; ${Object.entries(groups).map(([k, us]) => `${k} ${pct(us).trim()}`).join(', ')}`);
  out('top self time (share of busy time):');
  const topFns = [...fns].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [k, us] of topFns) out(`  ${pct(us)}  ${k}`);
  out('by file:');
  const topFiles = [...filesT].sort((a, b) => b[1] - a[1]).slice(0, 12);
  for (const [k, us] of topFiles) out(`  ${pct(us)}  ${k}`);
  return { busyMs: total / 1e3, idleMs: idle / 1e3, groups, functions: topFns, files: topFiles, allFiles: filesT };
}

function shortUrl(url) {
  const path = url.startsWith('file://') ? url.slice(7) : url;
  return path.startsWith(repoRoot) ? relative(repoRoot, path) : path;
}

// A bundle (dist/bundle/kin.js) marks where each original module starts with a `// dist/...js` comment line: map a
// function's line back to its module, so that profiles name kin's own files rather than one big bundle.
const bundleMaps = new Map(); // file path -> [[first line (0-based), module path]] in line order
function bundleModule(path, line) {
  let map = bundleMaps.get(path);
  if (!map) {
    map = [];
    try {
      readFileSync(join(repoRoot, path), 'utf8').split('\n').forEach((l, i) => {
        const m = /^\/\/ ((?:dist|node_modules)\/\S+\.[cm]?js)$/.exec(l);
        if (m) map.push([i, m[1]]);
      });
    } catch {
      /* no such file: keep the bundle's own name */
    }
    bundleMaps.set(path, map);
  }
  let lo = 0;
  let hi = map.length - 1;
  let found;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid][0] <= line) {
      found = map[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

if (isMain(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  summarizeProfile(file, Number(process.argv[3] ?? 25));
}
