// Writes the kubeconfig that lets kubectl reach a kin cluster: kin's cluster, user and context entries, merged
// into an existing file (such as ~/.kube/config) without touching anyone else's entries.
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { writeFileAtomic } from './fs-atomic.js';
import { readKubeconfigYaml, writeKubeconfigYaml } from './kubeconfig-yaml.js';

// The full YAML library, for files written in more of YAML than kubectl writes: loaded only when one is met.
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** What kin's kubeconfig entries hold. */
export interface KubeconfigOptions {
  /** The API server's URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Entry names; default `kin` (cluster), `kin-admin` (user) and `kin` (context). */
  clusterName?: string;
  userName?: string;
  contextName?: string;
  /** Make kin's context the current one (default true). */
  setCurrentContext?: boolean;
}

/** A kubeconfig as plain data; only the fields kin writes are typed, the rest is carried along untouched. */
export interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: NamedEntry[];
  users?: NamedEntry[];
  contexts?: NamedEntry[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [other: string]: unknown;
}

/** One entry of a kubeconfig list: `{ name, cluster | user | context }`. */
export interface NamedEntry {
  name: string;
  [field: string]: unknown;
}

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** kin's three entries, with the certificates embedded as base64 `*-data` fields. */
export function kinEntries(opts: KubeconfigOptions): { cluster: NamedEntry; user: NamedEntry; context: NamedEntry } {
  const clusterName = opts.clusterName ?? 'kin';
  const userName = opts.userName ?? 'kin-admin';
  return {
    cluster: { name: clusterName, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCertPem) } },
    user: { name: userName, user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) } },
    context: { name: opts.contextName ?? 'kin', context: { cluster: clusterName, user: userName } },
  };
}

function upsert(list: unknown, entry: NamedEntry): NamedEntry[] {
  const items = Array.isArray(list) ? (list as NamedEntry[]) : [];
  const at = items.findIndex((e) => e !== null && typeof e === 'object' && e.name === entry.name);
  if (at < 0) return [...items, entry];
  // Replace in place so the file's order stays as its owner left it.
  return items.map((e, i) => (i === at ? entry : e));
}

/** `existing` with kin's entries added or replaced; every other entry and field is kept. Does not modify `existing`. */
export function mergeKubeconfig(existing: KubeconfigDoc | undefined, opts: KubeconfigOptions): KubeconfigDoc {
  const { cluster, user, context } = kinEntries(opts);
  if (!existing) {
    // A fresh file, in the key order kubectl writes.
    return {
      apiVersion: 'v1',
      clusters: [cluster],
      contexts: [context],
      'current-context': context.name,
      kind: 'Config',
      preferences: {},
      users: [user],
    };
  }
  const doc: KubeconfigDoc = { ...existing };
  doc.apiVersion ??= 'v1';
  doc.kind ??= 'Config';
  doc.clusters = upsert(doc.clusters, cluster);
  doc.users = upsert(doc.users, user);
  doc.contexts = upsert(doc.contexts, context);
  if (opts.setCurrentContext ?? true) doc['current-context'] = context.name;
  return doc;
}

/** Reads a kubeconfig; undefined when the file is missing or empty. Throws on a file that is not a kubeconfig. */
export async function readKubeconfig(path: string): Promise<KubeconfigDoc | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let doc: unknown;
  try {
    doc = readKubeconfigYaml(text);
    if (doc === undefined) doc = yaml().parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid YAML, leaving it alone: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return undefined;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${path}: not a kubeconfig (expected a mapping), leaving it alone`);
  return doc as KubeconfigDoc;
}

/**
 * Writes kin's entries to the kubeconfig at `path`, merging into what is there. The file is replaced atomically
 * with mode 0600 (it holds a private key); a symlink is followed, so the file it points to is the one updated.
 */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<{ path: string; merged: boolean }> {
  const target = await realpath(path).catch(() => path);
  const existing = await readKubeconfig(target);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const merged = mergeKubeconfig(existing, opts);
  const text = writeKubeconfigYaml(merged) ?? yaml().stringify(merged, { lineWidth: 0 });
  // fsync: a merged file holds the user's other clusters, which kin could not recreate.
  await writeFileAtomic(target, text, { mode: 0o600, sync: existing !== undefined });
  return { path: target, merged: existing !== undefined };
}
