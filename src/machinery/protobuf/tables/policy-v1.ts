// Field tables of policy/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** policy/v1 messages reachable from the kinds kin decodes. */
export const policyV1: PackageTable = {
  package: 'policy/v1',
  messages: {
    Eviction: '1:metadata:meta/v1.ObjectMeta 2:deleteOptions:meta/v1.DeleteOptions?',
    PodDisruptionBudget: '1:metadata:meta/v1.ObjectMeta 2:spec:PodDisruptionBudgetSpec 3:status:PodDisruptionBudgetStatus',
    PodDisruptionBudgetSpec:
      '1:minAvailable:@ios? 2:selector:meta/v1.LabelSelector? 3:maxUnavailable:@ios? 4:unhealthyPodEvictionPolicy:s?',
    PodDisruptionBudgetStatus:
      '1:observedGeneration:i64 2:disruptedPods:{@time} 3:disruptionsAllowed:i32! 4:currentHealthy:i32! ' +
      '5:desiredHealthy:i32! 6:expectedPods:i32! 7:conditions:[meta/v1.Condition]',
  },
};
