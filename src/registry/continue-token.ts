// List continuation tokens: the revision of the first page and the key to continue after, as Kubernetes encodes them.
import { badRequest } from '../machinery/index.js';

/** Encodes a continue token for a list at `rv` that continues after the key suffix `after`. */
export function encodeContinue(rv: number, after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: after + '\u0000' })).toString('base64url');
}

/** Decodes a continue token (rv -1: continue at the latest revision); a malformed one is a 400 as in Kubernetes. */
export function decodeContinue(token: string): { rv: number; start: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: server does not recognize this encoded version');
  // -1 is the token of a 410: go on at the latest revision. 0 is never valid.
  if (typeof p.rv !== 'number' || !Number.isInteger(p.rv) || (p.rv <= 0 && p.rv !== -1)) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.start !== 'string' || p.start === '' || p.start.includes('..') || p.start.startsWith('/')) throw badRequest('continue key is not valid: invalid start key');
  return { rv: p.rv, start: p.start.endsWith('\u0000') ? p.start.slice(0, -1) : p.start };
}
