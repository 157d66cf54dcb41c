// The apps/v1 strategies, and the validation helpers the other API groups share with them.
import type { ResourceStrategy } from '../strategy.js';
import { controllerRevisionStrategy } from './controllerrevision/strategy.js';
import { daemonSetStrategy } from './daemonset/strategy.js';
import { deploymentStrategy } from './deployment/strategy.js';
import { replicaSetStrategy } from './replicaset/strategy.js';
import { statefulSetStrategy } from './statefulset/strategy.js';

export { controllerRevisionStrategy, daemonSetStrategy, deploymentStrategy, replicaSetStrategy, statefulSetStrategy };
export { defaultDeployment } from './deployment/strategy.js';
export { defaultReplicaSet } from './replicaset/strategy.js';
export { defaultStatefulSet } from './statefulset/strategy.js';
export { defaultDaemonSet, templateGenerationAnnotation } from './daemonset/strategy.js';
export * from './validation-helpers.js';
export * from './label-selector.js';
export * from './workload.js';

/** Every apps/v1 strategy. */
export const appsStrategies: ResourceStrategy[] = [
  deploymentStrategy,
  replicaSetStrategy,
  statefulSetStrategy,
  daemonSetStrategy,
  controllerRevisionStrategy,
] as ResourceStrategy[];
