// POST serviceaccounts/{name}/token: issues a service-account token (authentication.k8s.io/v1 TokenRequest), as
// `kubectl create token` and the kubelet ask for one. Nothing is stored; the answer carries the token.
import type { KubeObject } from '../api/index.js';
import type { ServiceAccountTokenIssuer, ClaimRef, TokenSubject } from '../auth/index.js';
import { badRequest, conflict, fieldError, invalid, methodNotAllowed, type FieldError } from '../machinery/index.js';
import type { Registry } from '../registry/registry.js';
import { rfc3339, type Clock } from '../util/index.js';
import { checkTypeMeta, decodeObjectBody, UnreadableBodyError, unrecognizedObject, type ProtobufDecoder } from './body.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { jsonResponse } from './respond.js';

const apiVersion = 'authentication.k8s.io/v1';
const kind = 'TokenRequest';

/** A token's default lifetime when the request names none (the v1 default of spec.expirationSeconds). */
export const defaultExpirationSeconds = 3600;
/** The shortest lifetime a token may be asked for. */
export const minExpirationSeconds = 10 * 60;
/** Pod tokens asked for with this lifetime and the API server's audience are extended (the kubelet's request). */
const warnOnlyExpirationSeconds = 3607;
const extendedExpirationSeconds = 365 * 24 * 60 * 60;

/** What the token subresource needs. */
export interface TokenRequestOptions {
  registry: Registry;
  issuer: ServiceAccountTokenIssuer;
  clock: Clock;
  protobuf?: ProtobufDecoder | undefined;
  /** Audiences of tokens that name none: the API server's own (its issuer). */
  apiAudiences?: string[];
}

/** The Kubernetes validation of a TokenRequest's spec. */
export function validateTokenRequest(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const exp = Number(spec['expirationSeconds'] ?? 0);
  if (exp < minExpirationSeconds) errs.push(fieldError.invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  if (exp > 2 ** 32) errs.push(fieldError.invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

async function getObject(registry: Registry, plural: string, namespace: string | undefined, name: string): Promise<KubeObject> {
  const store = registry.find('', 'v1', plural)!;
  return store.object(await store.get(namespace, name));
}

function refOf(o: KubeObject): ClaimRef {
  return { name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '' };
}

function decodeRequest(req: ApiRequest, protobuf: ProtobufDecoder | undefined): KubeObject {
  if (req.body.length === 0) return { apiVersion, kind };
  let obj: KubeObject;
  try {
    obj = decodeObjectBody(req.headers['content-type'], req.body, protobuf);
  } catch (e) {
    throw e instanceof UnreadableBodyError ? unrecognizedObject(kind, e, req.body) : e;
  }
  checkTypeMeta(obj, { apiVersion, kind });
  return obj;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Handles a request on `serviceaccounts/{name}/token` in `namespace`. */
export async function handleTokenRequest(o: TokenRequestOptions, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  if (req.method !== 'POST') throw methodNotAllowed();
  const tr = decodeRequest(req, o.protobuf);
  const spec: Record<string, unknown> = isObject(tr['spec']) ? { ...tr['spec'] } : {};
  if (spec['expirationSeconds'] === undefined || spec['expirationSeconds'] === null) spec['expirationSeconds'] = defaultExpirationSeconds;
  if (typeof spec['expirationSeconds'] !== 'number' || !Number.isInteger(spec['expirationSeconds'])) {
    throw badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal ${typeof spec['expirationSeconds']} into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64`);
  }
  const errs = validateTokenRequest(spec);
  if (errs.length) throw invalid({ group: 'authentication.k8s.io', kind }, '', errs);

  const sa = await getObject(o.registry, 'serviceaccounts', namespace, name);
  let pod: KubeObject | undefined;
  let secret: KubeObject | undefined;
  let node: KubeObject | undefined;
  const ref = isObject(spec['boundObjectRef']) ? spec['boundObjectRef'] : undefined;
  if (ref) {
    const refKind = String(ref['kind'] ?? '');
    const refVersion = String(ref['apiVersion'] ?? '');
    const refName = String(ref['name'] ?? '');
    const group = refVersion.includes('/') ? refVersion.slice(0, refVersion.indexOf('/')) : '';
    let bound: KubeObject;
    if (group === '' && refKind === 'Pod') {
      bound = pod = await getObject(o.registry, 'pods', namespace, refName);
      const podSa = String((pod['spec'] as Record<string, unknown> | undefined)?.['serviceAccountName'] ?? '');
      if (podSa !== name) throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      // The node the pod runs on is named too, when it can be read.
      const nodeName = String((pod['spec'] as Record<string, unknown> | undefined)?.['nodeName'] ?? '');
      if (nodeName) node = await getObject(o.registry, 'nodes', undefined, nodeName).catch(() => undefined);
    } else if (group === '' && refKind === 'Secret') {
      bound = secret = await getObject(o.registry, 'secrets', namespace, refName);
    } else if (group === '' && refKind === 'Node') {
      bound = node = await getObject(o.registry, 'nodes', undefined, refName);
    } else {
      const version = refVersion.includes('/') ? refVersion.slice(refVersion.indexOf('/') + 1) : refVersion;
      throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${refKind}`);
    }
    const uid = bound.metadata?.uid ?? '';
    if (ref['uid'] && ref['uid'] !== uid) {
      throw conflict({ group, resource: refKind, name: refName }, `the UID in the bound object reference (${String(ref['uid'])}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
  }
  const apiAudiences = o.apiAudiences ?? [o.issuer.issuer];
  const audiences = Array.isArray(spec['audiences']) && spec['audiences'].length > 0 ? spec['audiences'].map(String) : apiAudiences;
  spec['audiences'] = audiences;
  let expirationSeconds = spec['expirationSeconds'] as number;
  let warnAfterSeconds: number | undefined;
  // The kubelet asks for 3607 s: the token lives a year, and its use after an hour is reported (warnafter).
  if (pod && expirationSeconds === warnOnlyExpirationSeconds && audiences.length === apiAudiences.length && audiences.every((a) => apiAudiences.includes(a))) {
    warnAfterSeconds = expirationSeconds;
    expirationSeconds = extendedExpirationSeconds;
  }
  const subject: TokenSubject = {
    namespace,
    serviceAccount: refOf(sa),
    pod: pod && refOf(pod),
    secret: secret && refOf(secret),
    node: node && refOf(node),
    audiences,
    expirationSeconds,
    warnAfterSeconds,
  };
  const { token, claims } = o.issuer.issue(subject, o.clock.now());
  const meta: Record<string, unknown> = isObject(tr.metadata) ? { ...tr.metadata } : {};
  if (meta['creationTimestamp'] === undefined) meta['creationTimestamp'] = null;
  meta['namespace'] = namespace;
  const out = {
    kind,
    apiVersion,
    metadata: meta,
    spec: { audiences, expirationSeconds: spec['expirationSeconds'], boundObjectRef: ref ?? null },
    status: { token, expirationTimestamp: rfc3339(claims.exp * 1000) },
  };
  return jsonResponse(201, JSON.stringify(out));
}

