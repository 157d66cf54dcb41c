// Field tables of apps/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** apps/v1 messages reachable from the kinds kin decodes. */
export const appsV1: PackageTable = {
  package: 'apps/v1',
  messages: {
    Deployment: '1:metadata:meta/v1.ObjectMeta 2:spec:DeploymentSpec 3:status:DeploymentStatus',
    DeploymentCondition: '1:type:s! 2:status:s! 6:lastUpdateTime:@time 7:lastTransitionTime:@time 4:reason:s 5:message:s',
    DeploymentSpec:
      '1:replicas:i32? 2:selector:meta/v1.LabelSelector?! 3:template:core/v1.PodTemplateSpec! ' +
      '4:strategy:DeploymentStrategy 5:minReadySeconds:i32 6:revisionHistoryLimit:i32? 7:paused:b ' +
      '9:progressDeadlineSeconds:i32?',
    DeploymentStatus:
      '1:observedGeneration:i64 2:replicas:i32 3:updatedReplicas:i32 7:readyReplicas:i32 4:availableReplicas:i32 ' +
      '5:unavailableReplicas:i32 9:terminatingReplicas:i32? 6:conditions:[DeploymentCondition] 8:collisionCount:i32?',
    DeploymentStrategy: '1:type:s 2:rollingUpdate:RollingUpdateDeployment?',
    RollingUpdateDeployment: '1:maxUnavailable:@ios? 2:maxSurge:@ios?',
  },
};
