// A client transport over HTTPS with a kubeconfig's server, CA and client certificate (for controllers run apart).
import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { ClientResponse, Transport } from '../client/index.js';
import { readKubeconfig } from './kubeconfig.js';

/** Where and how to reach an API server. */
export interface HttpsTarget {
  server: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  /** The context's default namespace, when it names one. */
  namespace?: string;
}

/** Reads the current context of a kubeconfig: server URL, CA and client certificate (inline `-data` or file paths). */
export async function targetFromKubeconfig(path: string): Promise<HttpsTarget> {
  const doc = await readKubeconfig(path);
  if (!doc) throw new Error(`${path}: no kubeconfig there`);
  const ctxName = doc['current-context'];
  const ctx = (doc.contexts ?? []).find((c) => c.name === ctxName)?.['context'] as { cluster?: string; user?: string; namespace?: string } | undefined;
  if (!ctx) throw new Error(`${path}: current context "${ctxName ?? ''}" not found`);
  const cluster = (doc.clusters ?? []).find((c) => c.name === ctx.cluster)?.['cluster'] as Record<string, string> | undefined;
  const user = ((doc.users ?? []).find((u) => u.name === ctx.user)?.['user'] ?? {}) as Record<string, string>;
  if (!cluster?.['server']) throw new Error(`${path}: cluster "${ctx.cluster ?? ''}" has no server`);
  const pem = async (data: string | undefined, file: string | undefined) =>
    data ? Buffer.from(data, 'base64').toString('utf8') : file ? await readFile(file, 'utf8') : undefined;
  const out: HttpsTarget = { server: cluster['server'] };
  const ca = await pem(cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = await pem(user['client-certificate-data'], user['client-certificate']);
  const key = await pem(user['client-key-data'], user['client-key']);
  if (ca) out.caPem = ca;
  if (cert) out.certPem = cert;
  if (key) out.keyPem = key;
  if (ctx.namespace) out.namespace = ctx.namespace;
  return out;
}

/** A transport sending each request over HTTPS; response bodies stream (a watch reads them as they come). */
export function httpsTransport(target: HttpsTarget): Transport {
  const base = new URL(target.server);
  return (req) =>
    new Promise<ClientResponse>((resolve, reject) => {
      const qs = req.query.toString();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
      if (req.body.length > 0) headers['content-length'] = String(req.body.length);
      const r = request(
        {
          host: base.hostname,
          port: base.port || 443,
          method: req.method,
          path: `${base.pathname.replace(/\/$/, '')}${req.path}${qs ? `?${qs}` : ''}`,
          headers,
          ...(target.caPem ? { ca: target.caPem } : {}),
          ...(target.certPem ? { cert: target.certPem } : {}),
          ...(target.keyPem ? { key: target.keyPem } : {}),
          signal: req.signal,
        },
        (res) => {
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = v;
          resolve({ status: res.statusCode ?? 0, headers: h, body: res as AsyncIterable<Uint8Array> });
        },
      );
      r.on('error', reject);
      r.end(req.body.length > 0 ? Buffer.from(req.body) : undefined);
    });
}
