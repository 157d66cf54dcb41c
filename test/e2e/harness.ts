// End-to-end harness: starts `kin up` as a child process on a free port and runs the real kubectl against it.
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binDir = '/usr/lib/google-cloud-sdk/bin';

/** The kubectl binaries the tests drive: the versioned ones when present, else the one on PATH. */
export function kubectlBinary(minor: 32 | 33): string {
  const p = join(binDir, `kubectl.1.${minor}`);
  return existsSync(p) ? p : 'kubectl';
}

/** A running kin cluster. */
export interface Cluster {
  port: number;
  dataDir: string;
  kubeconfig: string;
  proc: ChildProcess;
  output: () => string;
  /** Stops kin with SIGTERM (clean) or SIGKILL (crash); resolves when it exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Runs kubectl against this cluster. */
  kubectl(args: string[], opts?: { minor?: 32 | 33; input?: string; timeoutMs?: number }): Promise<KubectlResult>;
}

/** What one kubectl run printed. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts `kin up` with its own data dir and kubeconfig on a free port. */
export async function startKin(opts: { storage?: string; dataDir?: string; extraArgs?: string[] } = {}): Promise<Cluster> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'kin-e2e-')));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const cacheDir = join(dataDir, 'kube-cache');
  const args = [...kinEntry(), 'up', '--port', '0', '--data-dir', dataDir, '--kubeconfig', kubeconfig, '--storage', opts.storage ?? 'sqlite', ...(opts.extraArgs ?? [])];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: kubeconfig } });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kin did not become ready:\n${out}`)), 30_000);
    const check = () => {
      const m = /kin ready: https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kin exited with ${code}:\n${out}`));
    });
  });
  const cluster: Cluster = {
    port,
    dataDir,
    kubeconfig,
    proc,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
    kubectl(kargs, o = {}) {
      return runKubectl(kubectlBinary(o.minor ?? 32), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...kargs], o);
    },
  };
  return cluster;
}

/** Runs a kubectl binary; never throws for a non-zero exit. */
export function runKubectl(bin: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) {
      child.stdin!.end(opts.input);
    }
  });
}

// KIN_E2E_SOURCE=1 runs kin from src/ through tsx (no build needed while developing); tests run the build.
function kinEntry(): string[] {
  return process.env['KIN_E2E_SOURCE'] === '1' ? ['--import', 'tsx', join(root, 'test/e2e/kin-from-source.ts')] : [join(root, 'bin/kin.js')];
}

/** Runs another `kin` command (`why`, `kubelet`, ...) against a cluster's kubeconfig; never throws for a non-zero exit. */
export function runKin(c: Cluster, args: string[], opts: { timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...kinEntry(), ...args], { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, KUBECONFIG: c.kubeconfig } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Removes a cluster's data dir. */
export async function cleanup(c: Cluster): Promise<void> {
  await c.stop('SIGKILL').catch(() => undefined);
  await rm(c.dataDir, { recursive: true, force: true });
}

/** A raw HTTPS request to a cluster with the admin certificate; resolves with status and body text. */
export async function apiRequest(
  c: Cluster,
  method: string,
  path: string,
  opts: { body?: string | Uint8Array; contentType?: string; accept?: string; agent?: import('node:https').Agent } = {},
): Promise<{ status: number; body: string; headers: import('node:http').IncomingHttpHeaders }> {
  const https = await import('node:https');
  const { readFileSync } = await import('node:fs');
  const pki = join(c.dataDir, 'pki');
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: c.port,
        method,
        path,
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
        headers: {
          ...(opts.body !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
          ...(opts.accept ? { accept: opts.accept } : {}),
        },
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** The kubectl helpers of a test: `k` runs kubectl, `ok` insists on success (stdout), `fails` on failure (stderr). */
export interface KubectlHelpers {
  k(args: string[], input?: string, timeoutMs?: number): Promise<KubectlResult>;
  ok(args: string[], input?: string, timeoutMs?: number): Promise<string>;
  fails(args: string[], input?: string, timeoutMs?: number): Promise<string>;
}

/**
 * kubectl against a cluster, given as a getter when the test starts it later (in `before`): with `minor`, that
 * kubectl version; with `namespace`, `-n` it; with `timeoutMs`, that limit unless a call names its own.
 */
export function kubectlOn(cluster: () => Cluster, opts: { minor?: 32 | 33; namespace?: string; timeoutMs?: number } = {}): KubectlHelpers {
  const label = opts.minor ? `kubectl 1.${opts.minor}` : 'kubectl';
  const k = (args: string[], input?: string, timeoutMs?: number) => {
    const limit = timeoutMs ?? opts.timeoutMs;
    return cluster().kubectl(opts.namespace ? ['-n', opts.namespace, ...args] : args, {
      ...(opts.minor ? { minor: opts.minor } : {}),
      ...(input !== undefined ? { input } : {}),
      ...(limit ? { timeoutMs: limit } : {}),
    });
  };
  return {
    k,
    async ok(args, input, timeoutMs) {
      const r = await k(args, input, timeoutMs);
      assert.equal(r.code, 0, `${label} ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    },
    async fails(args, input, timeoutMs) {
      const r = await k(args, input, timeoutMs);
      assert.notEqual(r.code, 0, `${label} ${args.join(' ')} should have failed:\n${r.stdout}`);
      return r.stderr;
    },
  };
}
