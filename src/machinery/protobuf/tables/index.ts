// Every package table kin decodes protobuf with. The tables record, per message, the field numbers of
// upstream generated.proto and the JSON names, pointers and omitempty flags of the Go types (k8s.io/api v0.36.3,
// i.e. Kubernetes 1.36: a superset of what kubectl 1.32/1.33 send).
import type { PackageTable } from '../schema.js';
import { appsV1 } from './apps-v1.js';
import { authenticationV1 } from './authentication-v1.js';
import { authorizationV1 } from './authorization-v1.js';
import { autoscalingV1 } from './autoscaling-v1.js';
import { autoscalingV2 } from './autoscaling-v2.js';
import { batchV1 } from './batch-v1.js';
import { certificatesV1 } from './certificates-v1.js';
import { coreV1 } from './core-v1.js';
import { metaV1 } from './meta-v1.js';
import { networkingV1 } from './networking-v1.js';
import { policyV1 } from './policy-v1.js';
import { rbacV1 } from './rbac-v1.js';
import { schedulingV1 } from './scheduling-v1.js';

/** All package tables, in no particular order. */
export const allTables: readonly PackageTable[] = [
  metaV1,
  coreV1,
  appsV1,
  batchV1,
  rbacV1,
  policyV1,
  schedulingV1,
  networkingV1,
  autoscalingV1,
  autoscalingV2,
  authorizationV1,
  authenticationV1,
  certificatesV1,
];
