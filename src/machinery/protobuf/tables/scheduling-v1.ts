// Field tables of scheduling/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** scheduling/v1 messages reachable from the kinds kin decodes. */
export const schedulingV1: PackageTable = {
  package: 'scheduling/v1',
  messages: {
    PriorityClass: '1:metadata:meta/v1.ObjectMeta 2:value:i32! 3:globalDefault:b 4:description:s 5:preemptionPolicy:s?',
  },
};
