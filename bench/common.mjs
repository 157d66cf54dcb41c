// Shared helpers of kin's benchmarks: starting kin and the floor server as child processes, a keep-alive
// HTTPS load generator, percentiles, machine facts, and the summary line that bench/run.mjs collects.
//
// Every process started here is remembered by PID and stopped by PID (SIGTERM, then SIGKILL after a grace
// period); the parent's exit kills whatever is still running. Everything binds and connects to 127.0.0.1 only.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (bench/..). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The compiled `kin` command. */
export const kinBin = join(repoRoot, 'bin', 'kin.js');
/** The floor server script. */
export const floorScript = join(repoRoot, 'bench', 'floor-server.mjs');

/** True when the module at `url` is the script node was asked to run. */
export function isMain(url) {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === url;
}

// ---- child processes -------------------------------------------------------------------------------------

const children = new Map(); // pid -> ChildProcess
process.on('exit', () => {
  for (const pid of children.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    process.exitCode = 130;
    process.exit();
  });
}

/** Spawns `node args...`, remembered for cleanup; resolves once a stdout line matches `ready` (or rejects). */
export function spawnUntilReady(args, { ready, timeoutMs = 30_000, env, label = 'child', cwd = repoRoot }) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(child.pid, child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child.pid);
    resolve({ code, signal });
  }));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${label}: no ready line after ${timeoutMs} ms`)), timeoutMs);
    function fail(err) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopPid(child.pid, exited).finally(() => reject(new Error(`${err.message}\n${stderr.slice(-2000)}`)));
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      if (settled) return;
      buf += d;
      for (const line of buf.split('\n')) {
        const m = ready.exec(line);
        if (m) {
          settled = true;
          clearTimeout(timer);
          const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
          child.stdout.resume();
          resolve({ child, pid: child.pid, match: m, readyMs, exited, stderr: () => stderr, stop: () => stopPid(child.pid, exited) });
          return;
        }
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`${label} exited early (code ${code}, signal ${signal})`)));
  });
}

/** Spawns `node args...` with the given stdio, remembered for cleanup; `exited` resolves with its exit. */
export function spawnTracked(args, { stdio = ['ignore', 'inherit', 'inherit'], env } = {}) {
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio, env: { ...process.env, ...env } });
  children.set(child.pid, child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child.pid);
    resolve({ code, signal });
  }));
  return { child, pid: child.pid, exited, stop: () => stopPid(child.pid, exited) };
}

/** Forks a node script with an IPC channel, remembered for cleanup. */
export function forkTracked(script, args = [], nodeArgs = []) {
  return spawnTracked([...nodeArgs, script, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Stops one process by PID: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopPid(pid, exited, graceMs = 10_000) {
  if (!children.has(pid)) return exited;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return exited;
  }
  const killer = setTimeout(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  const r = await exited;
  clearTimeout(killer);
  return r;
}

/** A fresh temporary directory under /tmp; `remove()` deletes it. */
export function tempDir(prefix = 'kin-bench-') {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Starts `kin up` from dist/ on a free port. `storage` is sqlite or memory; `nodeArgs` go before the script
 * (e.g. --cpu-prof), `args` after `kin up`'s own (e.g. --simulated-nodes 1000). Returns the port, the TLS material of the admin user and `stop()`.
 */
export async function startKin({ storage, dataDir, nodeArgs = [], timeoutMs = 30_000, args: extra = [] }) {
  const args = [...nodeArgs, kinBin, 'up', '--port', '0', '--data-dir', dataDir, '--kubeconfig', join(dataDir, 'kubeconfig'), '--storage', storage, ...extra];
  const p = await spawnUntilReady(args, {
    ready: /^kin ready: https:\/\/127\.0\.0\.1:(\d+) .*\((\d+) ms\)/,
    timeoutMs,
    label: `kin up --storage ${storage}`,
  });
  // kin prints its ready line before it installs its SIGTERM handler, so a SIGTERM sent right after the line
  // can meet the default action (the process dies without its clean shutdown or CPU profile): give it a moment.
  const readyAt = Date.now();
  const stop = async () => {
    const wait = 150 - (Date.now() - readyAt);
    if (wait > 0) await sleep(wait);
    return p.stop();
  };
  return { ...p, stop, kind: `kin-${storage}`, dataDir, port: Number(p.match[1]), selfMs: Number(p.match[2]), tls: kinTls(dataDir) };
}

/** The floor server (bench/floor-server.mjs) on kin's serving certificate from `pkiDir`. */
export async function startFloor({ pkiDir, nodeArgs = [] }) {
  const p = await spawnUntilReady([...nodeArgs, floorScript, '--port', '0', '--pki', pkiDir], {
    ready: /^floor ready: https:\/\/127\.0\.0\.1:(\d+)/,
    label: 'floor-server',
  });
  return { ...p, kind: 'floor', port: Number(p.match[1]), tls: kinTls(join(pkiDir, '..')) };
}

/** The admin client certificate, key and CA of a kin data dir. */
export function kinTls(dataDir) {
  const pki = join(dataDir, 'pki');
  return {
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  };
}

/** Builds dist/ when it is missing or older than a source file; a failed build with an existing dist/ only warns. */
export function ensureBuilt({ force = false, log = console.log } = {}) {
  // The bundle is the last thing `npm run build` writes (and what bin/kin.js runs).
  const main = join(repoRoot, 'dist', 'bundle', 'kin.cjs');
  let stale = force || !existsSync(main);
  if (!stale) {
    try {
      // Any non-test .ts under src/ newer than dist/bundle/kin.cjs means dist/ may be out of date.
      const newer = execFileSync('find', ['src', '-name', '*.ts', '!', '-name', '*.test.ts', '-newer', main, '-print', '-quit'], { cwd: repoRoot, encoding: 'utf8' });
      stale = newer.trim() !== '';
    } catch {
      stale = true;
    }
  }
  if (!stale) return { built: false };
  log('building dist/ (npm run build) ...');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    return { built: true };
  } catch (err) {
    if (existsSync(main)) {
      log(`WARNING: npm run build failed (${err.message.split('\n')[0]}); benchmarking the existing dist/`);
      return { built: false, buildFailed: true };
    }
    throw new Error('npm run build failed and there is no dist/ to benchmark');
  }
}

// ---- HTTP client -----------------------------------------------------------------------------------------

/** A keep-alive HTTPS agent presenting the admin client certificate, at most `maxSockets` connections. */
export function makeAgent(tls, maxSockets) {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: tls.ca, cert: tls.cert, key: tls.key, servername: 'localhost' });
}

/** One request; resolves with status and body bytes once the last byte arrived. */
export function request(agent, port, { method = 'GET', path, body, headers = {} }) {
  return new Promise((resolve, reject) => {
    const h = { accept: 'application/json', ...headers };
    if (body !== undefined) {
      h['content-type'] = headers['content-type'] ?? 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    const req = httpsRequest({ host: '127.0.0.1', port, method, path, agent, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Like `request` but rejects unless the status is `want` (a number or list). */
export async function expectStatus(agent, port, opts, want) {
  const r = await request(agent, port, opts);
  const ok = Array.isArray(want) ? want.includes(r.status) : r.status === want;
  if (!ok) throw new Error(`${opts.method ?? 'GET'} ${opts.path}: HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
  return r;
}

/**
 * Closed-loop load: `clients` concurrent loops each issuing `op(i)` (i = global sequence number) until `count`
 * operations were started or `timeMs` passed. Returns the latencies (ms), errors and wall time.
 */
export async function runLoad({ clients, count, timeMs, op }) {
  const lat = [];
  let next = 0;
  let errors = 0;
  let firstError;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(timeMs * 1e6));
  async function loop() {
    while (next < count && process.hrtime.bigint() < deadline) {
      const i = next++;
      const s = process.hrtime.bigint();
      try {
        await op(i);
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      } catch (err) {
        errors++;
        firstError ??= err;
        if (errors > 50 && errors > lat.length) break; // the target is broken; do not spin
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, loop));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { done: lat.length, errors, firstError, seconds, rps: lat.length / seconds, lat };
}

// ---- objects ---------------------------------------------------------------------------------------------

const bodyTemplates = new Map(); // `${namespace} ${size}` -> [before name, after name]

/**
 * A ConfigMap JSON body of about `size` bytes: a few realistic keys plus one padded config file. Built once per
 * (namespace, size) and then only the name is spliced in, so the load generator spends little time on it.
 */
export function configMapBody(name, namespace, size) {
  const key = `${namespace} ${size}`;
  let t = bodyTemplates.get(key);
  if (!t) {
    const placeholder = '\u0000name\u0000';
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: placeholder, namespace, labels: { app: 'bench', tier: 'backend', 'app.kubernetes.io/part-of': 'kin-bench' }, annotations: { 'bench.kin.dev/size': String(size) } },
      data: { 'LOG_LEVEL': 'info', 'FEATURE_FLAGS': 'a,b,c', 'app.properties': '' },
    };
    const base = JSON.stringify(obj).length - 8 + 12; // a typical name is ~12 characters
    const lines = [];
    let len = 0;
    for (let k = 0; len < size - base; k++) {
      const line = `setting.${k}=value-${(k * 2654435761) % 1000003}\n`;
      lines.push(line);
      len += line.length + 1; // the \n is escaped as two characters in JSON
    }
    obj.data['app.properties'] = lines.join('').slice(0, Math.max(0, size - base));
    const json = JSON.stringify(obj);
    const at = json.indexOf('\\u0000name\\u0000');
    t = [json.slice(0, at), json.slice(at + '\\u0000name\\u0000'.length)];
    bodyTemplates.set(key, t);
  }
  return t[0] + name + t[1];
}

// ---- statistics and reporting ----------------------------------------------------------------------------

/** The p-th percentile (nearest rank) of numbers; sorts a copy. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** The median of numbers. */
export const median = (values) => percentile(values, 50);

/** Rounds for printing: 3 significant-ish digits. */
export function fmt(x, digits = 1) {
  if (x === undefined || x === null || Number.isNaN(x)) return '-';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(digits);
}

/** Prints an aligned text table; the first `left` columns are left-aligned, the others right-aligned. */
export function printTable(header, rows, out = console.log, left = 1) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c)));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  const line = (r) => r.map((c, i) => (i < left ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  out(line(all[0]));
  out(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of all.slice(1)) out(line(r));
}

/** Date, cores, CPU model, memory, load average and Node version. */
export function machineFacts() {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    cores: c.length,
    cpu: c[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    loadavg: loadavg().map((x) => x.toFixed(2)).join(' '),
    node: process.version,
  };
}

/** Prints one summary row set for bench/run.mjs: `{bench, rows: [{metric, value, target, pass}]}`. */
export function emitSummary(bench, rows) {
  console.log(`BENCH-SUMMARY ${JSON.stringify({ bench, rows })}`);
}

/** Parses `--name value` and `--flag` arguments into an object of strings/booleans. */
export function flags(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return out;
}

let clkTck;
/** CPU time (user + system, all threads) a process has used so far, in ms (10 ms resolution on Linux). */
export function procCpuMs(pid) {
  clkTck ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / clkTck;
}

/** Resident set size of a process in MiB (VmRSS from /proc/<pid>/status). */
export function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
