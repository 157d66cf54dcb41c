// The client transport seam: a function from request to response, over HTTPS or straight into the API server core.
//
// The shapes match the API server core's request and response (fetch-shaped, plain objects) without importing
// it: clients never depend on the server, so the same controller runs in-process or on another host.
import { decodedOf } from '../util/index.js';

/** A request as the client sends it. Header names are lower-case. */
export interface ClientRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Uint8Array;
  signal: AbortSignal;
}

/** A response body: bytes, text, or a stream of chunks (watch). */
export type ClientBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/** A response as the client receives it. */
export interface ClientResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: ClientBody;
}

/** Sends one request. Network errors reject; HTTP errors resolve with their status. */
export type Transport = (req: ClientRequest) => Promise<ClientResponse>;

/** Reads a whole (non-streaming) body as text. */
export async function bodyText(body: ClientBody | undefined): Promise<string> {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  let out = '';
  const dec = new TextDecoder();
  for await (const chunk of body) out += typeof chunk === 'string' ? chunk : dec.decode(chunk, { stream: true });
  return out + dec.decode();
}

/**
 * Splits a streaming body into lines (watch events are one JSON document per line). With `decoded`, a chunk that
 * carries its decoded form (in-process, see util's shared decoding) is given as that object instead of its line.
 */
export function bodyLines(body: ClientBody | undefined): AsyncGenerator<string>;
export function bodyLines(body: ClientBody | undefined, decoded: boolean): AsyncGenerator<string | object>;
export async function* bodyLines(body: ClientBody | undefined, decoded = false): AsyncGenerator<string | object> {
  if (body === undefined) return;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    for (const l of (typeof body === 'string' ? body : new TextDecoder().decode(body)).split('\n')) if (l) yield l;
    return;
  }
  const dec = new TextDecoder();
  let buf = '';
  for await (const chunk of body) {
    if (decoded && buf === '') {
      const d = decodedOf(chunk);
      if (typeof d === 'object' && d !== null) {
        yield d;
        continue;
      }
    }
    buf += typeof chunk === 'string' ? chunk : dec.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line) yield line;
    }
  }
  if (buf) yield buf;
}
