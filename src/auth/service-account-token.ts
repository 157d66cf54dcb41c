// Service-account tokens: JWTs signed with the cluster's service-account key, with the claims Kubernetes puts in
// them (issuer, audiences, subject, the `kubernetes.io` claim naming the namespace, the service account and the
// pod, secret or node the token is bound to), and their verification. Also the OpenID discovery documents that
// let others verify them (`/.well-known/openid-configuration`, `/openid/v1/jwks`).
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/** The issuer kin's tokens carry (`--service-account-issuer` of a kubeadm or kind cluster). */
export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local';

/** The username of a service account: `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups every service account is in: all service accounts, and those of its namespace. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** A name and uid, as the `kubernetes.io` claim names the objects a token is tied to. */
export interface ClaimRef {
  name: string;
  uid: string;
}

/** What a token is issued for. */
export interface TokenSubject {
  namespace: string;
  serviceAccount: ClaimRef;
  pod?: ClaimRef | undefined;
  secret?: ClaimRef | undefined;
  node?: ClaimRef | undefined;
  audiences: string[];
  /** Lifetime from now. */
  expirationSeconds: number;
  /** For extended pod tokens: when a client should be warned that it still uses the token (seconds from now). */
  warnAfterSeconds?: number | undefined;
}

/** The claims of a service-account token. */
export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    node?: ClaimRef;
    pod?: ClaimRef;
    secret?: ClaimRef;
    serviceaccount: ClaimRef;
    warnafter?: number;
  };
  nbf: number;
  sub: string;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** The key id Kubernetes gives a public key: the unpadded base64url SHA-256 of its DER SubjectPublicKeyInfo. */
export function keyId(publicKey: KeyObject): string {
  return b64url(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

/** The JWS algorithm for a key: ES256/384/512 for the NIST curves, RS256 for RSA. */
function algorithmOf(key: KeyObject): { alg: string; hash: string; ec: boolean } {
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RS256', hash: 'sha256', ec: false };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { alg: 'ES256', hash: 'sha256', ec: true };
    if (curve === 'secp384r1') return { alg: 'ES384', hash: 'sha384', ec: true };
    if (curve === 'secp521r1') return { alg: 'ES512', hash: 'sha512', ec: true };
  }
  throw new Error(`service-account key: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Signs tokens with one private key and names its public key for verifiers. */
export class ServiceAccountTokenIssuer {
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly algorithm: string;
  private readonly privateKey: KeyObject;
  private readonly hash: string;
  private readonly ec: boolean;

  /** `privateKeyPem` is PKCS#8 or SEC1/PKCS#1 PEM (kin's `sa.key`). */
  constructor(privateKeyPem: string, opts: { issuer?: string } = {}) {
    this.issuer = opts.issuer ?? defaultIssuer;
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyId(this.publicKey);
    const a = algorithmOf(this.privateKey);
    this.algorithm = a.alg;
    this.hash = a.hash;
    this.ec = a.ec;
  }

  /** The claims of a token issued at `nowMs` (a new random `jti` each time). */
  claims(s: TokenSubject, nowMs: number): TokenClaims {
    const now = Math.floor(nowMs / 1000);
    // Keys in byte order, as Kubernetes' JWT library writes every claim object.
    const k8s = { namespace: s.namespace } as TokenClaims['kubernetes.io'];
    if (s.node) k8s.node = s.node;
    if (s.pod) k8s.pod = s.pod;
    if (s.secret) k8s.secret = s.secret;
    k8s.serviceaccount = s.serviceAccount;
    if (s.warnAfterSeconds !== undefined) k8s.warnafter = now + s.warnAfterSeconds;
    return {
      aud: s.audiences,
      exp: now + s.expirationSeconds,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: now,
      sub: serviceAccountUsername(s.namespace, s.serviceAccount.name),
    };
  }

  /** A compact JWS of the claims (a bound token's, or any other claim set such as a legacy token's). */
  sign(claims: object): string {
    const header = b64url(JSON.stringify({ alg: this.algorithm, kid: this.keyId }));
    const input = `${header}.${b64url(JSON.stringify(claims))}`;
    const sig = sign(this.hash, Buffer.from(input), this.ec ? { key: this.privateKey, dsaEncoding: 'ieee-p1363' } : this.privateKey);
    return `${input}.${b64url(sig)}`;
  }

  /** Issues a token: its text and its claims. */
  issue(s: TokenSubject, nowMs: number): { token: string; claims: TokenClaims } {
    const claims = this.claims(s, nowMs);
    return { token: this.sign(claims), claims };
  }

  /** The JSON Web Key Set of the public key, as served at `/openid/v1/jwks`. */
  jwks(): string {
    const jwk = this.publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const key: Record<string, string> = { use: 'sig', kty: jwk['kty']!, kid: this.keyId };
    if (jwk['crv']) key['crv'] = jwk['crv'];
    key['alg'] = this.algorithm;
    for (const f of ['x', 'y', 'n', 'e']) if (jwk[f]) key[f] = jwk[f];
    return JSON.stringify({ keys: [key] });
  }

  /** The OpenID provider configuration served at `/.well-known/openid-configuration`. */
  openIdConfiguration(jwksUri: string): string {
    return JSON.stringify({
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [this.algorithm],
    });
  }
}

/** Why a token was not accepted. */
export class TokenRejected extends Error {
  readonly code = 'TokenRejected';
}

/** What a verified token says about its bearer. */
export interface VerifiedToken {
  claims: TokenClaims;
  user: { username: string; uid: string; groups: string[]; extra: Record<string, string[]> };
}

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TokenRejected(`malformed token ${what}`);
}

/** The `iss` claim of a compact JWS, read without checking anything; undefined when it is not one. */
export function unverifiedIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const iss = decodePart(parts[1]!, 'claims')['iss'];
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** Checks that `token` is a compact JWS signed with `issuer`'s key and returns its claims (nothing else checked). */
export function verifySignature(token: string, issuer: ServiceAccountTokenIssuer): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenRejected('not a compact JWS');
  const header = decodePart(parts[0]!, 'header');
  if (header['alg'] !== issuer.algorithm) throw new TokenRejected(`unexpected algorithm ${String(header['alg'])}`);
  if (header['kid'] !== undefined && header['kid'] !== issuer.keyId) throw new TokenRejected('unknown key id');
  const ec = issuer.algorithm.startsWith('ES');
  const hash = `sha${issuer.algorithm.slice(2)}`;
  const ok = verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), ec ? { key: issuer.publicKey, dsaEncoding: 'ieee-p1363' } : issuer.publicKey, Buffer.from(parts[2]!, 'base64url'));
  if (!ok) throw new TokenRejected('invalid signature');
  return decodePart(parts[1]!, 'claims');
}

/** The clock skew Kubernetes allows on `exp`, `nbf` and `iat`, and on deletions of the objects a token is bound to. */
export const tokenLeewayMs = 60_000;

/** The audiences of a token: `aud` as a list (a single string is one audience). */
export function tokenAudiences(claims: Record<string, unknown>): string[] {
  const aud = claims['aud'];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : typeof aud === 'string' ? [aud] : [];
}

/** The keys of the user extras a service-account token adds, as Kubernetes names them. */
export const extraKeys = {
  credentialId: 'authentication.kubernetes.io/credential-id',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUid: 'authentication.kubernetes.io/node-uid',
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
} as const;

/** What a service-account token stands for, once its bound objects are checked. */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string | undefined;
  podUid?: string | undefined;
  nodeName?: string | undefined;
  nodeUid?: string | undefined;
  credentialId?: string | undefined;
}

/** The user a service account is: its username, uid, groups (with `system:authenticated`) and extras (keys sorted, as Go prints a map). */
export function serviceAccountUser(sa: ServiceAccountInfo): VerifiedToken['user'] {
  const extra: Record<string, string[]> = {};
  if (sa.credentialId) extra[extraKeys.credentialId] = [sa.credentialId];
  if (sa.nodeName) {
    extra[extraKeys.nodeName] = [sa.nodeName];
    // The node's uid is optional, and only named with its name.
    if (sa.nodeUid) extra[extraKeys.nodeUid] = [sa.nodeUid];
  }
  if (sa.podName && sa.podUid) {
    extra[extraKeys.podName] = [sa.podName];
    extra[extraKeys.podUid] = [sa.podUid];
  }
  return { username: serviceAccountUsername(sa.namespace, sa.name), uid: sa.uid, groups: [...serviceAccountGroups(sa.namespace), 'system:authenticated'], extra };
}

/**
 * Verifies a token signed by `issuer`'s key: signature, issuer, time window (a minute of leeway on `exp`, `nbf`
 * and `iat`, as Kubernetes' JWT library) and (when given) one of the accepted audiences. Returns the user it
 * stands for, as Kubernetes' service-account authenticator names it (username, uid, the service-account groups
 * and the credential/pod/node extras). Whether the bound objects still exist is the caller's concern.
 */
export function verifyServiceAccountToken(token: string, opts: { issuer: ServiceAccountTokenIssuer; nowMs: number; audiences?: readonly string[] }): VerifiedToken {
  const raw = verifySignature(token, opts.issuer);
  const c = raw as unknown as TokenClaims;
  if (c.iss !== opts.issuer.issuer) throw new TokenRejected('token issuer is not trusted');
  const now = opts.nowMs;
  if (typeof c.nbf === 'number' && now + tokenLeewayMs < c.nbf * 1000) throw new TokenRejected('service account token is not valid yet');
  if (typeof c.exp === 'number' && now - tokenLeewayMs > c.exp * 1000) throw new TokenRejected('service account token has expired');
  if (typeof c.iat === 'number' && now + tokenLeewayMs < c.iat * 1000) throw new TokenRejected('service account token was issued in the future');
  const aud = tokenAudiences(raw);
  if (opts.audiences && !aud.some((a) => opts.audiences!.includes(a))) throw new TokenRejected(`token audiences ${JSON.stringify(aud)} is invalid for the target audiences ${JSON.stringify(opts.audiences)}`);
  const k = c['kubernetes.io'];
  if (!k || typeof k !== 'object' || typeof k.namespace !== 'string' || !k.serviceaccount?.name) throw new TokenRejected('token lacks the kubernetes.io claim');
  const info: ServiceAccountInfo = { namespace: k.namespace, name: k.serviceaccount.name, uid: k.serviceaccount.uid ?? '' };
  if (k.pod) {
    info.podName = k.pod.name;
    info.podUid = k.pod.uid;
  }
  if (k.node) {
    info.nodeName = k.node.name;
    info.nodeUid = k.node.uid;
  }
  if (typeof c.jti === 'string' && c.jti !== '') info.credentialId = `JTI=${c.jti}`;
  return { claims: c, user: serviceAccountUser(info) };
}
