// Legacy service-account tokens: the long-lived JWTs the tokens controller writes into Secrets of type
// `kubernetes.io/service-account-token`. They carry no audience, no expiry and no jti: issuer
// `kubernetes/serviceaccount`, the subject, and four claims naming the namespace, the Secret and the
// ServiceAccount (name and uid). They stay valid as long as the Secret holds them and the ServiceAccount lives.
import { ServiceAccountTokenIssuer, serviceAccountUsername, TokenRejected } from './service-account-token.js';

/** The issuer of legacy tokens. */
export const legacyIssuer = 'kubernetes/serviceaccount';

/** The Secret type whose `data.token` the tokens controller fills. */
export const serviceAccountTokenSecretType = 'kubernetes.io/service-account-token';

/** The annotations and data keys of a service-account token Secret. */
export const tokenSecretKeys = {
  nameAnnotation: 'kubernetes.io/service-account.name',
  uidAnnotation: 'kubernetes.io/service-account.uid',
  token: 'token',
  caCert: 'ca.crt',
  namespace: 'namespace',
} as const;

/** The label the API server sets to the day (UTC, `YYYY-MM-DD`) a legacy token was last used. */
export const legacyTokenLastUsedLabel = 'kubernetes.io/legacy-token-last-used';
/** A legacy token Secret with this label is refused (the cleaner marks unused auto-generated tokens with it). */
export const legacyTokenInvalidSinceLabel = 'kubernetes.io/legacy-token-invalid-since';

/** The claims of a legacy token, keys in the byte order Kubernetes' JWT library writes them. */
export interface LegacyTokenClaims {
  iss: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
  sub: string;
}

/** What a legacy token names. */
export interface LegacyTokenSubject {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  secretName: string;
}

/** The claims of the legacy token of one Secret of one ServiceAccount. */
export function legacyClaims(s: LegacyTokenSubject): LegacyTokenClaims {
  return {
    iss: legacyIssuer,
    'kubernetes.io/serviceaccount/namespace': s.namespace,
    'kubernetes.io/serviceaccount/secret.name': s.secretName,
    'kubernetes.io/serviceaccount/service-account.name': s.serviceAccountName,
    'kubernetes.io/serviceaccount/service-account.uid': s.serviceAccountUid,
    sub: serviceAccountUsername(s.namespace, s.serviceAccountName),
  };
}

/** Signs a legacy token with the service-account key. */
export function signLegacyToken(issuer: ServiceAccountTokenIssuer, s: LegacyTokenSubject): string {
  return issuer.sign(legacyClaims(s));
}

/** A signer of legacy tokens with one private key (PEM), as the controller manager holds the service-account key. */
export function legacyTokenSigner(privateKeyPem: string): (s: LegacyTokenSubject) => string {
  const issuer = new ServiceAccountTokenIssuer(privateKeyPem);
  return (s) => signLegacyToken(issuer, s);
}

/** Reads what a (signature-checked) legacy token names, refusing one whose claims are missing or disagree. */
export function legacySubject(claims: Record<string, unknown>): LegacyTokenSubject {
  const str = (k: string): string => (typeof claims[k] === 'string' ? (claims[k] as string) : '');
  const sub = str('sub');
  if (!sub) throw new TokenRejected('sub claim is missing');
  const s: LegacyTokenSubject = {
    namespace: str('kubernetes.io/serviceaccount/namespace'),
    secretName: str('kubernetes.io/serviceaccount/secret.name'),
    serviceAccountName: str('kubernetes.io/serviceaccount/service-account.name'),
    serviceAccountUid: str('kubernetes.io/serviceaccount/service-account.uid'),
  };
  if (!s.namespace) throw new TokenRejected('namespace claim is missing');
  if (!s.secretName) throw new TokenRejected('secretName claim is missing');
  if (!s.serviceAccountName) throw new TokenRejected('serviceAccountName claim is missing');
  if (!s.serviceAccountUid) throw new TokenRejected('serviceAccountUID claim is missing');
  if (sub !== serviceAccountUsername(s.namespace, s.serviceAccountName)) throw new TokenRejected('sub claim is invalid');
  return s;
}

/** The day of `ms` as the last-used label holds it: `YYYY-MM-DD` in UTC. */
export function lastUsedDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
