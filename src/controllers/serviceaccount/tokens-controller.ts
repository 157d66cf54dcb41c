// The tokens controller: fills Secrets of type `kubernetes.io/service-account-token` (the long-lived, legacy
// service-account tokens users still create by hand) and removes them when their ServiceAccount is gone, as
// kube-controller-manager's tokens controller does. A Secret naming a ServiceAccount in its
// `kubernetes.io/service-account.name` annotation gets `data.token` (a legacy JWT signed with the
// service-account key), `data.ca.crt` (the cluster CA) and `data.namespace`, and the
// `kubernetes.io/service-account.uid` annotation; a Secret whose ServiceAccount no longer exists (or has another
// uid than the annotation names) is deleted.
import type { KubeObject } from '../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { Controller, keyOf, makeKey, splitKey, type Reconciler, type ReconcileResult, type Runnable, type SharedInformerFactory } from '../runtime/index.js';

/** The Secret type this controller fills. */
export const serviceAccountTokenType = 'kubernetes.io/service-account-token';
/** The annotation naming a token Secret's ServiceAccount. */
export const serviceAccountNameAnnotation = 'kubernetes.io/service-account.name';
/** The annotation holding that ServiceAccount's uid (set by this controller). */
export const serviceAccountUidAnnotation = 'kubernetes.io/service-account.uid';

/** What a legacy token names; the generator signs it (kin's `signLegacyToken`, wired in by the controller manager). */
export interface LegacyTokenRequest {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  secretName: string;
}

/** Makes the legacy JWT of one Secret. */
export type LegacyTokenGenerator = (r: LegacyTokenRequest) => string;

const secrets: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const serviceAccounts: ResourceRef = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const decode = (v: string | undefined): string => (v === undefined ? '' : Buffer.from(v, 'base64').toString('utf8'));
const encode = (v: string): string => Buffer.from(v).toString('base64');

/** The ServiceAccount a token Secret names (undefined for any other Secret). */
export function tokenSecretOwner(s: Secret): { name: string; uid: string } | undefined {
  if (s.type !== serviceAccountTokenType) return undefined;
  const name = s.metadata?.annotations?.[serviceAccountNameAnnotation] ?? '';
  return name ? { name, uid: s.metadata?.annotations?.[serviceAccountUidAnnotation] ?? '' } : undefined;
}

/** Fills or deletes one token Secret (key: `namespace/name`). */
export class TokensReconciler implements Reconciler {
  constructor(private readonly opts: { client: ApiClient; generateToken: LegacyTokenGenerator; caCertPem?: string | undefined }) {}

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const client = this.opts.client;
    let secret: Secret;
    try {
      secret = await client.resource<Secret>(secrets).get(name, { namespace, signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const owner = tokenSecretOwner(secret);
    if (!owner) return;
    let sa: KubeObject | undefined;
    try {
      sa = await client.resource(serviceAccounts).get(owner.name, { namespace, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!sa || (owner.uid !== '' && owner.uid !== sa.metadata?.uid)) {
      // The ServiceAccount is gone (or was recreated): its token goes too, and only this very Secret.
      try {
        await client.resource(secrets).delete(name, { namespace, preconditions: { uid: secret.metadata?.uid ?? '' }, signal });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
      return;
    }
    const data = secret.data ?? {};
    const ca = this.opts.caCertPem ?? '';
    const needsCa = ca !== '' && decode(data['ca.crt']) !== ca;
    const needsNamespace = decode(data['namespace']) === '';
    const needsToken = decode(data['token']) === '';
    if (!needsCa && !needsNamespace && !needsToken) return;
    const next: Secret = structuredClone(secret);
    next.data = { ...next.data };
    if (needsCa) next.data['ca.crt'] = encode(ca);
    if (needsNamespace) next.data['namespace'] = encode(namespace);
    if (needsToken) {
      next.data['token'] = encode(this.opts.generateToken({ namespace, serviceAccountName: owner.name, serviceAccountUid: sa.metadata?.uid ?? '', secretName: name }));
    }
    next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, [serviceAccountNameAnnotation]: owner.name, [serviceAccountUidAnnotation]: sa.metadata?.uid ?? '' } };
    try {
      await client.resource<Secret>(secrets).update(next, { signal });
    } catch (e) {
      // A Secret deleted meanwhile needs nothing; a conflict is retried (with backoff) on the fresh Secret.
      if (!isNotFound(e)) throw e;
    }
  }
}

/** An idle stand-in: without a service-account key there is nothing to sign tokens with (kube does not run it either). */
function idle(name: string): Runnable {
  return { name, run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) };
}

/**
 * Builds the tokens controller: token Secrets enqueue themselves, ServiceAccounts enqueue the token Secrets that
 * name them (so a deleted ServiceAccount takes its tokens along). Idle without `generateToken`.
 */
export function newTokensController(
  factory: SharedInformerFactory,
  opts: { client: ApiClient; generateToken?: LegacyTokenGenerator | undefined; caCertPem?: string | undefined; clock?: Clock; logger?: Logger },
): Runnable {
  if (!opts.generateToken) return idle('serviceaccount-token');
  const reconciler = new TokensReconciler({ client: opts.client, generateToken: opts.generateToken, caCertPem: opts.caCertPem });
  const c = new Controller({ name: 'serviceaccount-token', reconciler, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  const tokens = factory.informerFor<Secret>(secrets, { fieldSelector: `type=${serviceAccountTokenType}` });
  c.watch(tokens, (s) => (tokenSecretOwner(s) ? [keyOf(s)] : []));
  c.watch(factory.informerFor(serviceAccounts), (sa) => {
    const ns = sa.metadata?.namespace ?? '';
    return tokens.store
      .listInNamespace(ns)
      .filter((s) => tokenSecretOwner(s)?.name === sa.metadata?.name)
      .map((s) => makeKey(ns, s.metadata?.name ?? ''));
  });
  return c;
}
