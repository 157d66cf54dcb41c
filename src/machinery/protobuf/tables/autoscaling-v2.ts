// Field tables of autoscaling/v2 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** autoscaling/v2 messages reachable from the kinds kin decodes. */
export const autoscalingV2: PackageTable = {
  package: 'autoscaling/v2',
  messages: {
    ContainerResourceMetricSource: '1:name:s! 2:target:MetricTarget! 3:container:s!',
    ContainerResourceMetricStatus: '1:name:s! 2:current:MetricValueStatus! 3:container:s!',
    CrossVersionObjectReference: '1:kind:s! 2:name:s! 3:apiVersion:s',
    ExternalMetricSource: '1:metric:MetricIdentifier! 2:target:MetricTarget!',
    ExternalMetricStatus: '1:metric:MetricIdentifier! 2:current:MetricValueStatus!',
    HPAScalingPolicy: '1:type:s! 2:value:i32! 3:periodSeconds:i32!',
    HPAScalingRules: '3:stabilizationWindowSeconds:i32? 1:selectPolicy:s? 2:policies:[HPAScalingPolicy] 4:tolerance:@qty?',
    HorizontalPodAutoscaler: '1:metadata:meta/v1.ObjectMeta 2:spec:HorizontalPodAutoscalerSpec 3:status:HorizontalPodAutoscalerStatus',
    HorizontalPodAutoscalerBehavior: '1:scaleUp:HPAScalingRules? 2:scaleDown:HPAScalingRules?',
    HorizontalPodAutoscalerCondition: '1:type:s! 2:status:s! 3:lastTransitionTime:@time 4:reason:s 5:message:s',
    HorizontalPodAutoscalerSpec:
      '1:scaleTargetRef:CrossVersionObjectReference! 2:minReplicas:i32? 3:maxReplicas:i32! 4:metrics:[MetricSpec] ' +
      '5:behavior:HorizontalPodAutoscalerBehavior?',
    HorizontalPodAutoscalerStatus:
      '1:observedGeneration:i64? 2:lastScaleTime:@time? 3:currentReplicas:i32 4:desiredReplicas:i32! ' +
      '5:currentMetrics:[MetricStatus]! 6:conditions:[HorizontalPodAutoscalerCondition]',
    MetricIdentifier: '1:name:s! 2:selector:meta/v1.LabelSelector?',
    MetricSpec:
      '1:type:s! 2:object:ObjectMetricSource? 3:pods:PodsMetricSource? 4:resource:ResourceMetricSource? ' +
      '7:containerResource:ContainerResourceMetricSource? 5:external:ExternalMetricSource?',
    MetricStatus:
      '1:type:s! 2:object:ObjectMetricStatus? 3:pods:PodsMetricStatus? 4:resource:ResourceMetricStatus? ' +
      '7:containerResource:ContainerResourceMetricStatus? 5:external:ExternalMetricStatus?',
    MetricTarget: '1:type:s! 2:value:@qty? 3:averageValue:@qty? 4:averageUtilization:i32?',
    MetricValueStatus: '1:value:@qty? 2:averageValue:@qty? 3:averageUtilization:i32?',
    ObjectMetricSource: '1:describedObject:CrossVersionObjectReference! 2:target:MetricTarget! 3:metric:MetricIdentifier!',
    ObjectMetricStatus: '1:metric:MetricIdentifier! 2:current:MetricValueStatus! 3:describedObject:CrossVersionObjectReference!',
    PodsMetricSource: '1:metric:MetricIdentifier! 2:target:MetricTarget!',
    PodsMetricStatus: '1:metric:MetricIdentifier! 2:current:MetricValueStatus!',
    ResourceMetricSource: '1:name:s! 2:target:MetricTarget!',
    ResourceMetricStatus: '1:name:s! 2:current:MetricValueStatus!',
  },
};
