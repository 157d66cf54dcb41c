// Content negotiation: which representation a client asked for (Accept) and what it sent (Content-Type).
import { notAcceptable } from '../machinery/index.js';

/** A parsed media type with its parameters (names lower-cased). */
export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Parses one media type such as `application/json;as=Table;v=v1;g=meta.k8s.io`. */
export function parseMediaType(s: string): MediaType {
  const parts = s.split(';');
  const type = (parts[0] ?? '').trim().toLowerCase();
  const params: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"|"$/g, '');
  }
  return { type, params };
}

/** Splits an Accept header into media types, in the client's order. */
export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header.split(',').map((s) => parseMediaType(s)).filter((m) => m.type !== '');
}

/** What an API response can be rendered as. */
export type Representation =
  | { kind: 'object'; yaml: boolean }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'metadata'; list: boolean; version: 'v1' | 'v1beta1' };

const jsonTypes = new Set(['application/json', 'application/*', '*/*']);
const plainJson: Representation = Object.freeze({ kind: 'object', yaml: false });
// Accept header → its representation (callers never change a Representation).
const negotiated = new Map<string, Representation>();

/**
 * Chooses the representation of a resource response from Accept, in the client's order. Protobuf is not
 * produced (clients always also accept JSON); a header naming nothing kin can produce is a 406.
 */
export function negotiateResource(accept: string | undefined): Representation {
  if (accept === undefined) return plainJson;
  let rep = negotiated.get(accept);
  if (rep === undefined) {
    rep = negotiate(accept);
    // Clients send a handful of distinct Accept headers; a client inventing new ones must not grow this forever.
    if (negotiated.size >= 256) negotiated.clear();
    negotiated.set(accept, rep);
  }
  return rep;
}

function negotiate(accept: string): Representation {
  const types = parseAccept(accept);
  if (types.length === 0) return { kind: 'object', yaml: false };
  for (const m of types) {
    const as = m.params['as'];
    if (m.type === 'application/json' && as) {
      const g = m.params['g'];
      const v = m.params['v'];
      if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
      if (as === 'Table') return { kind: 'table', version: v };
      if (as === 'PartialObjectMetadata') return { kind: 'metadata', list: false, version: v };
      if (as === 'PartialObjectMetadataList') return { kind: 'metadata', list: true, version: v };
      continue;
    }
    if (jsonTypes.has(m.type)) return { kind: 'object', yaml: false };
    if (m.type === 'application/yaml') return { kind: 'object', yaml: true };
  }
  throw notAcceptable(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
}

/** True when the client asked for aggregated discovery (apidiscovery.k8s.io v2 or v2beta1): returns the version. */
export function wantsAggregatedDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.type === 'application/json' && m.params['g'] === 'apidiscovery.k8s.io' && m.params['as'] === 'APIGroupDiscoveryList') {
      if (m.params['v'] === 'v2' || m.params['v'] === 'v2beta1') return m.params['v'];
      continue;
    }
    if (jsonTypes.has(m.type)) return undefined;
  }
  return undefined;
}

/** The media type of a request body, without parameters such as charset. */
export function contentTypeOf(header: string | undefined): string {
  return header ? parseMediaType(header).type : '';
}
