// Kubernetes' URL library: url(), isURL() and the getters of kubernetes.URL. URLs are read as Go's
// url.ParseRequestURI reads them (an absolute URI or an absolute path; no fragment handling), not as a browser
// would: `https://example.com` has an empty escaped path, not `/`.
import { CelRuntimeError } from './errors.js';
import type { Registrar } from './registrar.js';
import type { Equatable, JsonConvertible } from './values.js';

/** A parsed URL (`kubernetes.URL`). */
export class CelUrl implements Equatable, JsonConvertible {
  constructor(
    readonly raw: string,
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}
  celEquals(other: unknown): boolean {
    return other instanceof CelUrl && other.raw === this.raw;
  }
  toJSON(): string {
    return this.raw;
  }
  toString(): string {
    return this.raw;
  }
}

function invalid(raw: string, why: string): Error {
  return new Error(`URL parse error during conversion from string: parse ${JSON.stringify(raw)}: ${why}`);
}

function validEscapes(s: string): boolean {
  return !/%(?![0-9a-fA-F]{2})/.test(s);
}

/** Parses like Go's url.ParseRequestURI; throws with Kubernetes' conversion message. */
export function parseRequestUri(raw: string): CelUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw invalid(raw, 'net/url: invalid control character in URL');
  if (raw === '') throw invalid(raw, 'empty url');
  let rest = raw;
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = (sm[1] as string).toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (/^[a-zA-Z0-9+.-]*:/.test(rest) && !rest.startsWith('/')) {
    throw invalid(raw, 'missing protocol scheme');
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) throw invalid(raw, 'invalid URI for request');
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    host = at >= 0 ? authority.slice(at + 1) : authority;
    const port = /:([^\]]*)$/.exec(host);
    if (port && !/^[0-9]*$/.test(port[1] as string)) throw invalid(raw, `invalid port ${JSON.stringify(`:${port[1]}`)} after host`);
    if (!validEscapes(host)) throw invalid(raw, 'invalid URL escape');
  }
  if (!validEscapes(rest)) throw invalid(raw, 'invalid URL escape');
  return new CelUrl(raw, scheme, host, rest, query);
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function port(host: string): string {
  const m = /:([0-9]*)$/.exec(host.startsWith('[') ? host.slice(host.indexOf(']') + 1) : host);
  return m ? (m[1] as string) : '';
}

function unescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

// Go's url.ParseQuery, ignoring malformed pairs as URL.Query() does; keys keep their first-seen order.
function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = unescape(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = eq >= 0 ? unescape(pair.slice(eq + 1)) : '';
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** Registers the URL library. */
export function registerUrl(r: Registrar): void {
  const U = 'kubernetes.URL';
  r.type(U, CelUrl)
    .fn(`url(string): ${U}`, (s: string) => {
      try {
        return parseRequestUri(s);
      } catch (e) {
        throw new CelRuntimeError((e as Error).message);
      }
    })
    .fn('isURL(string): bool', (s: string) => {
      try {
        parseRequestUri(s);
        return true;
      } catch {
        return false;
      }
    })
    .fn(`${U}.getScheme(): string`, (u: CelUrl) => u.scheme)
    .fn(`${U}.getHost(): string`, (u: CelUrl) => u.host)
    .fn(`${U}.getHostname(): string`, (u: CelUrl) => hostname(u.host))
    .fn(`${U}.getPort(): string`, (u: CelUrl) => port(u.host))
    .fn(`${U}.getEscapedPath(): string`, (u: CelUrl) => u.path)
    .fn(`${U}.getQuery(): map<string, list<string>>`, (u: CelUrl) => parseQuery(u.query))
    .op(`${U} == ${U}`, (a: CelUrl, b: CelUrl) => a.celEquals(b));
}
