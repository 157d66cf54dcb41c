// Access reviews and identity (authorization.k8s.io and authentication.k8s.io): answered, never stored.
import type { ResourceInfo } from '../api/index.js';
import type { ApiRequest } from './http.js';
import { decodeObjectBody, checkTypeMeta, UnreadableBodyError, unrecognizedObject, type ProtobufDecoder } from './body.js';
import { jsonResponse } from './respond.js';
import type { VirtualResource } from './server.js';

function info(group: string, kind: string, namespaced = false): ResourceInfo {
  return {
    group,
    version: 'v1',
    kind,
    plural: kind.toLowerCase() + 's',
    singular: kind.toLowerCase(),
    namespaced,
    listKind: kind + 'List',
    shortNames: [],
    categories: [],
    verbs: ['create'],
    subresources: [],
  };
}

/** Decides whether a user may do something; kin's authorizer plugs in here. */
export type Authorize = (req: ApiRequest, attrs: Record<string, unknown>) => { allowed: boolean; reason?: string };

/** Every authenticated user may do everything until an authorizer is configured. */
export const allowAll: Authorize = () => ({ allowed: true, reason: '' });

/** The review resources kubectl's `auth can-i`, `auth can-i --list` and `auth whoami` use. */
export function accessReviews(opts: { protobuf?: ProtobufDecoder | undefined; authorize?: Authorize } = {}): VirtualResource[] {
  const authorize = opts.authorize ?? allowAll;
  const decode = (req: ApiRequest, apiVersion: string, kind: string) => {
    let obj: Record<string, unknown>;
    try {
      obj = decodeObjectBody(req.headers['content-type'], req.body, opts.protobuf);
    } catch (e) {
      throw e instanceof UnreadableBodyError ? unrecognizedObject(kind, e, req.body) : e;
    }
    checkTypeMeta(obj, { apiVersion, kind });
    return obj;
  };
  return [
    {
      info: info('authorization.k8s.io', 'SelfSubjectAccessReview'),
      async create(req) {
        const obj = decode(req, 'authorization.k8s.io/v1', 'SelfSubjectAccessReview');
        const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
        const attrs = (spec['resourceAttributes'] ?? spec['nonResourceAttributes'] ?? {}) as Record<string, unknown>;
        const d = authorize(req, attrs);
        const status: Record<string, unknown> = { allowed: d.allowed };
        if (d.reason) status['reason'] = d.reason;
        return jsonResponse(201, JSON.stringify({ ...obj, metadata: { creationTimestamp: null, ...(obj.metadata ?? {}) }, status }));
      },
    },
    {
      info: info('authorization.k8s.io', 'SelfSubjectRulesReview'),
      async create(req) {
        const obj = decode(req, 'authorization.k8s.io/v1', 'SelfSubjectRulesReview');
        const allowed = authorize(req, { verb: '*', resource: '*' }).allowed;
        const status = allowed
          ? {
              resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
              nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
              incomplete: false,
            }
          : { resourceRules: [], nonResourceRules: [], incomplete: true };
        return jsonResponse(201, JSON.stringify({ ...obj, metadata: { creationTimestamp: null, ...(obj.metadata ?? {}) }, status }));
      },
    },
    {
      info: info('authentication.k8s.io', 'SelfSubjectReview'),
      async create(req) {
        const obj = decode(req, 'authentication.k8s.io/v1', 'SelfSubjectReview');
        const u = req.user!;
        // authentication.k8s.io/v1 UserInfo, fields in Kubernetes' order, the empty ones left out.
        const userInfo: Record<string, unknown> = { username: u.username };
        if (u.uid) userInfo['uid'] = u.uid;
        if (u.groups.length) userInfo['groups'] = u.groups;
        if (u.extra && Object.keys(u.extra).length) userInfo['extra'] = u.extra;
        return jsonResponse(201, JSON.stringify({ ...obj, metadata: { creationTimestamp: null, ...(obj.metadata ?? {}) }, status: { userInfo } }));
      },
    },
  ];
}
