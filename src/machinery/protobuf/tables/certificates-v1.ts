// Field tables of certificates/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** certificates/v1 messages reachable from the kinds kin decodes. */
export const certificatesV1: PackageTable = {
  package: 'certificates/v1',
  messages: {
    CertificateSigningRequest:
      '1:metadata:meta/v1.ObjectMeta 2:spec:CertificateSigningRequestSpec! 3:status:CertificateSigningRequestStatus',
    CertificateSigningRequestCondition: '1:type:s! 6:status:s! 2:reason:s 3:message:s 4:lastUpdateTime:@time 5:lastTransitionTime:@time',
    CertificateSigningRequestSpec:
      '1:request:y! 7:signerName:s! 8:expirationSeconds:i32? 5:usages:[s] 2:username:s 3:uid:s 4:groups:[s] ' +
      '6:extra:{@strs}',
    CertificateSigningRequestStatus: '1:conditions:[CertificateSigningRequestCondition] 2:certificate:y',
  },
};
