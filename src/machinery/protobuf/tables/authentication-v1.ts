// Field tables of authentication/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** authentication/v1 messages reachable from the kinds kin decodes. */
export const authenticationV1: PackageTable = {
  package: 'authentication/v1',
  messages: {
    BoundObjectReference: '1:kind:s 2:apiVersion:s 3:name:s 4:uid:s',
    SelfSubjectReview: '1:metadata:meta/v1.ObjectMeta 2:status:SelfSubjectReviewStatus',
    SelfSubjectReviewStatus: '1:userInfo:UserInfo',
    TokenRequest: '1:metadata:meta/v1.ObjectMeta 2:spec:TokenRequestSpec! 3:status:TokenRequestStatus',
    TokenRequestSpec: '1:audiences:[s]! 4:expirationSeconds:i64?! 3:boundObjectRef:BoundObjectReference?!',
    TokenRequestStatus: '1:token:s! 2:expirationTimestamp:@time!',
    UserInfo: '1:username:s 2:uid:s 3:groups:[s] 4:extra:{@strs}',
  },
};
