// Field tables of autoscaling/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** autoscaling/v1 messages reachable from the kinds kin decodes. */
export const autoscalingV1: PackageTable = {
  package: 'autoscaling/v1',
  messages: {
    CrossVersionObjectReference: '1:kind:s! 2:name:s! 3:apiVersion:s',
    HorizontalPodAutoscaler: '1:metadata:meta/v1.ObjectMeta 2:spec:HorizontalPodAutoscalerSpec 3:status:HorizontalPodAutoscalerStatus',
    HorizontalPodAutoscalerSpec:
      '1:scaleTargetRef:CrossVersionObjectReference! 2:minReplicas:i32? 3:maxReplicas:i32! ' +
      '4:targetCPUUtilizationPercentage:i32?',
    HorizontalPodAutoscalerStatus:
      '1:observedGeneration:i64? 2:lastScaleTime:@time? 3:currentReplicas:i32! 4:desiredReplicas:i32! ' +
      '5:currentCPUUtilizationPercentage:i32?',
  },
};
