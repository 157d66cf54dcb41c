// The service-account token authenticator: turns a bearer token into the user it stands for, as kube-apiserver's
// service-account authenticators do. Two kinds are accepted, both signed with the service-account key:
// bound tokens (TokenRequest; issuer = kin's issuer) and legacy tokens (issuer `kubernetes/serviceaccount`,
// kept in Secrets). Beyond the signature and the claims, the objects a token names must still exist with the
// uids it names: the ServiceAccount, and the Pod, Secret or Node it is bound to.
import type { KubeObject } from '../api/index.js';
import type { Clock } from '../util/index.js';
import { legacyIssuer, legacySubject, lastUsedDay, legacyTokenInvalidSinceLabel, legacyTokenLastUsedLabel, tokenSecretKeys } from './legacy-token.js';
import {
  serviceAccountUser,
  tokenLeewayMs,
  TokenRejected,
  unverifiedIssuer,
  verifyServiceAccountToken,
  verifySignature,
  type ServiceAccountInfo,
  type ServiceAccountTokenIssuer,
  type TokenClaims,
  type VerifiedToken,
} from './service-account-token.js';

/**
 * Reads the objects tokens are checked against. Each answers undefined when the object does not exist; other
 * failures throw (and the token is refused).
 */
export interface ServiceAccountTokenGetter {
  serviceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  pod(namespace: string, name: string): Promise<KubeObject | undefined>;
  node(name: string): Promise<KubeObject | undefined>;
}

/** The user a token authenticates. */
export type TokenUser = VerifiedToken['user'];

/** What the service-account token authenticator needs. */
export interface TokenAuthenticatorOptions {
  issuer: ServiceAccountTokenIssuer;
  getter: ServiceAccountTokenGetter;
  clock: Clock;
  /** The API server's audiences (default: the issuer, which is what TokenRequest gives a token asking for none). */
  apiAudiences?: readonly string[];
  /** Called when a legacy token's Secret does not name today in its last-used label (the caller writes the label). */
  legacyTokenUsed?: (secret: KubeObject, day: string) => void;
}

/** Authenticates one token; throws TokenRejected (with the reason) when it is not a valid service-account token. */
export type TokenAuthenticator = (token: string) => Promise<TokenUser>;

/** True when an object marked for deletion was marked more than the leeway ago: bound tokens then stop working. */
function deletedBefore(obj: KubeObject, cutoffMs: number): boolean {
  const ts = obj.metadata?.deletionTimestamp;
  return ts !== undefined && ts !== null && Date.parse(ts) < cutoffMs;
}

function base64Text(v: unknown): string | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

/** Builds the authenticator of kin's service-account tokens. */
export function newServiceAccountTokenAuthenticator(opts: TokenAuthenticatorOptions): TokenAuthenticator {
  const audiences = opts.apiAudiences ?? [opts.issuer.issuer];
  const { getter } = opts;

  async function bound(token: string): Promise<TokenUser> {
    const now = opts.clock.now();
    const v = verifyServiceAccountToken(token, { issuer: opts.issuer, nowMs: now, audiences });
    const k = (v.claims as TokenClaims)['kubernetes.io'];
    const ns = k.namespace;
    // Objects deleted within the leeway still count, as with the token's own expiry.
    const cutoff = now - tokenLeewayMs;
    const sa = await getter.serviceAccount(ns, k.serviceaccount.name);
    if (!sa) throw new TokenRejected(`serviceaccounts "${k.serviceaccount.name}" not found`);
    if (deletedBefore(sa, cutoff)) throw new TokenRejected(`service account ${ns}/${k.serviceaccount.name} has been deleted`);
    if (sa.metadata?.uid !== k.serviceaccount.uid) throw new TokenRejected(`service account UID (${sa.metadata?.uid ?? ''}) does not match claim (${k.serviceaccount.uid})`);
    if (k.secret) {
      const secret = await getter.secret(ns, k.secret.name);
      if (!secret || deletedBefore(secret, cutoff)) throw new TokenRejected('service account token has been invalidated');
      if (secret.metadata?.uid !== k.secret.uid) throw new TokenRejected(`secret UID (${secret.metadata?.uid ?? ''}) does not match service account secret ref claim (${k.secret.uid})`);
    }
    if (k.pod) {
      const pod = await getter.pod(ns, k.pod.name);
      if (!pod || deletedBefore(pod, cutoff)) throw new TokenRejected('service account token has been invalidated');
      if (pod.metadata?.uid !== k.pod.uid) throw new TokenRejected(`pod UID (${pod.metadata?.uid ?? ''}) does not match service account pod ref claim (${k.pod.uid})`);
    } else if (k.node) {
      // A token bound to a node alone needs the node; a pod's token names its node for information only.
      const node = await getter.node(k.node.name);
      if (!node) throw new TokenRejected('service account token has been invalidated');
      if (node.metadata?.uid !== k.node.uid) throw new TokenRejected(`node UID (${node.metadata?.uid ?? ''}) does not match service account node ref claim (${k.node.uid})`);
    }
    return v.user;
  }

  async function legacy(token: string): Promise<TokenUser> {
    const s = legacySubject(verifySignature(token, opts.issuer));
    const secret = await getter.secret(s.namespace, s.secretName);
    if (!secret || secret.metadata?.deletionTimestamp) throw new TokenRejected('service account token has been invalidated');
    if (base64Text((secret['data'] as Record<string, unknown> | undefined)?.[tokenSecretKeys.token]) !== token) throw new TokenRejected("service account token does not match server's copy");
    const sa = await getter.serviceAccount(s.namespace, s.serviceAccountName);
    if (!sa) throw new TokenRejected(`serviceaccounts "${s.serviceAccountName}" not found`);
    if (sa.metadata?.deletionTimestamp) throw new TokenRejected(`service account ${s.namespace}/${s.serviceAccountName} has been deleted`);
    if (sa.metadata?.uid !== s.serviceAccountUid) throw new TokenRejected(`service account UID (${sa.metadata?.uid ?? ''}) does not match claim (${s.serviceAccountUid})`);
    const labels = secret.metadata?.labels ?? {};
    const day = lastUsedDay(opts.clock.now());
    if (labels[legacyTokenLastUsedLabel] !== day) opts.legacyTokenUsed?.(secret, day);
    if (labels[legacyTokenInvalidSinceLabel]) {
      throw new TokenRejected(
        `the token in secret ${s.namespace}/${s.secretName} for service account ${s.namespace}/${s.serviceAccountName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${legacyTokenInvalidSinceLabel}' label from the secret to temporarily allow use of this token`,
      );
    }
    const info: ServiceAccountInfo = { namespace: s.namespace, name: s.serviceAccountName, uid: s.serviceAccountUid };
    return serviceAccountUser(info);
  }

  return async (token) => {
    const iss = unverifiedIssuer(token);
    if (iss === undefined) throw new TokenRejected('not a service-account token');
    if (iss === legacyIssuer) return legacy(token);
    if (iss === opts.issuer.issuer) return bound(token);
    throw new TokenRejected(`token issuer ${JSON.stringify(iss)} is not trusted`);
  };
}
