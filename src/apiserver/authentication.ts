// Request authentication: who a request comes from. An `Authenticator` looks at the request's headers and the
// client certificate of its connection; a chain asks each in turn, as kube-apiserver's union authenticator:
// the first to name a user wins, and a request whose credentials were all refused is refused (401) even where
// having no credentials at all would have been fine.
import type { PeerCertificate } from 'node:tls';
import { bearerToken, legacyTokenLastUsedLabel, newServiceAccountTokenAuthenticator, type ServiceAccountTokenGetter, type ServiceAccountTokenIssuer, type TokenAuthenticator } from '../auth/index.js';
import type { KubeObject } from '../api/index.js';
import { StatusError } from '../machinery/index.js';
import type { Registry } from '../registry/registry.js';
import type { Clock, Logger } from '../util/index.js';
import type { ApiResponse, UserInfo } from './http.js';

/** A user; undefined when the authenticator has nothing to say (no credentials of its kind); 'invalid' when it refused them. */
export type AuthenticationResult = UserInfo | undefined | 'invalid';

/**
 * Authenticates one request from its headers (lower-case names) and the verified client certificate of its
 * connection (undefined when there is none or it does not chain to the CA). Called for every request before the
 * core handler; may answer synchronously (certificates) or not (tokens look objects up). An authenticator that
 * accepts a bearer token removes the Authorization header, so nothing later can pass it on.
 */
export type Authenticator = (headers: Record<string, string | undefined>, certificate: PeerCertificate | undefined) => AuthenticationResult | Promise<AuthenticationResult>;

/** The group every authenticated user is in. */
export const authenticatedGroup = 'system:authenticated';

/** Kubernetes' mapping of a client certificate to a user: CN is the name, each O a group; no CN, no user. */
export function userFromCertificate(cert: PeerCertificate): UserInfo | undefined {
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const cn = subject?.['CN'];
  const username = Array.isArray(cn) ? cn[cn.length - 1] : cn; // the last CN wins, as in Go's pkix
  if (!username) return undefined;
  const o = subject?.['O'];
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  if (!groups.includes(authenticatedGroup)) groups.push(authenticatedGroup);
  return { username, groups };
}

/** Authenticates by client certificate; the user of a certificate is worked out once (a connection reuses it). */
export function certificateAuthenticator(toUser: (cert: PeerCertificate) => UserInfo | undefined = userFromCertificate): Authenticator {
  const users = new WeakMap<PeerCertificate, UserInfo | null>();
  return (_headers, cert) => {
    if (!cert) return undefined;
    let user = users.get(cert);
    if (user === undefined) {
      try {
        user = toUser(cert) ?? null;
      } catch {
        user = null; // a certificate that names no usable user is no credential (the request may still bring a token)
      }
      users.set(cert, user);
    }
    return user ?? undefined;
  };
}

/** Authenticates `Authorization: Bearer <token>`; a token `verify` refuses makes the request 'invalid'. */
export function bearerTokenAuthenticator(verify: TokenAuthenticator, logger?: Logger): Authenticator {
  const check = async (headers: Record<string, string | undefined>, token: string): Promise<AuthenticationResult> => {
    try {
      const user = await verify(token);
      delete headers['authorization'];
      const out: UserInfo = { username: user.username, groups: user.groups };
      if (user.uid) out.uid = user.uid;
      if (Object.keys(user.extra).length) out.extra = user.extra;
      return out;
    } catch (err) {
      logger?.debug('bearer token refused', { error: err instanceof Error ? err.message : String(err) });
      return 'invalid';
    }
  };
  return (headers) => {
    const token = bearerToken(headers['authorization']);
    return token === undefined ? undefined : check(headers, token);
  };
}

/**
 * Asks each authenticator in order: the first user wins; refused credentials with no user make 'invalid'.
 * Stays synchronous while the authenticators are (a certificate-authenticated request waits for nothing).
 */
export function authenticatorChain(...list: Authenticator[]): Authenticator {
  const from = (i: number, invalid: boolean, headers: Record<string, string | undefined>, cert: PeerCertificate | undefined): AuthenticationResult | Promise<AuthenticationResult> => {
    for (; i < list.length; i++) {
      const r = list[i]!(headers, cert);
      if (r instanceof Promise) {
        const next = i + 1;
        return r.then((v) => (v === 'invalid' ? from(next, true, headers, cert) : v ? v : from(next, invalid, headers, cert)));
      }
      if (r === 'invalid') invalid = true;
      else if (r) return r;
    }
    return invalid ? 'invalid' : undefined;
  };
  return (headers, cert) => from(0, false, headers, cert);
}

/** The answer to a request whose credentials were refused, as kube-apiserver words it. */
export function unauthorizedResponse(): ApiResponse {
  const err = new StatusError({ message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  return { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify(err.status) };
}

/** Reads the objects tokens name straight from the registry (NotFound and a missing resource are undefined). */
export function registryTokenGetter(registry: Registry): ServiceAccountTokenGetter {
  const get = async (plural: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> => {
    const store = registry.find('', 'v1', plural);
    if (!store) return undefined;
    try {
      return store.object(await store.get(namespace, name));
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };
  return {
    serviceAccount: (ns, name) => get('serviceaccounts', ns, name),
    secret: (ns, name) => get('secrets', ns, name),
    pod: (ns, name) => get('pods', ns, name),
    node: (name) => get('nodes', undefined, name),
  };
}

/** What the API server's own authenticator is made of. */
export interface ApiAuthenticatorOptions {
  registry: Registry;
  /** The service-account key, made on first use (tokens are rare on most servers). */
  issuer: () => ServiceAccountTokenIssuer;
  clock: Clock;
  logger: Logger;
  /** Maps a verified client certificate to a user (default `userFromCertificate`). */
  certificateUser?: (cert: PeerCertificate) => UserInfo | undefined;
}

/**
 * The API server's authenticator chain: client certificates, then service-account bearer tokens (bound and
 * legacy). A legacy token's Secret gets today's `kubernetes.io/legacy-token-last-used` label when it lacks it.
 */
export function apiAuthenticator(opts: ApiAuthenticatorOptions): Authenticator {
  let tokens: TokenAuthenticator | undefined;
  const getter = registryTokenGetter(opts.registry);
  const verify: TokenAuthenticator = (token) => {
    tokens ??= newServiceAccountTokenAuthenticator({
      issuer: opts.issuer(),
      getter,
      clock: opts.clock,
      legacyTokenUsed: (secret, day) => void markLegacyTokenUsed(opts.registry, secret, day).catch((e: unknown) => opts.logger.debug('recording a legacy token use failed', { error: String(e) })),
    });
    return tokens(token);
  };
  return authenticatorChain(certificateAuthenticator(opts.certificateUser), bearerTokenAuthenticator(verify, opts.logger));
}

/** Sets the last-used label of a legacy token Secret to `day` (only on the same Secret: same uid). */
async function markLegacyTokenUsed(registry: Registry, secret: KubeObject, day: string): Promise<void> {
  const store = registry.find('', 'v1', 'secrets');
  if (!store) return;
  const uid = secret.metadata?.uid;
  await store.update(secret.metadata?.namespace, secret.metadata?.name ?? '', (cur) => {
    if (!cur || cur.metadata?.uid !== uid) throw new StatusError({ code: 409, reason: 'Conflict', message: 'the secret changed' });
    cur.metadata = { ...cur.metadata, labels: { ...cur.metadata?.labels, [legacyTokenLastUsedLabel]: day } };
    return cur;
  });
}
