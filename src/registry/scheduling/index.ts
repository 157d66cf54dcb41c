// The scheduling.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { priorityClassStrategy } from './priorityclass/strategy.js';

export { priorityClassStrategy };
export { highestUserDefinablePriority, systemPriorityClasses } from './priorityclass/strategy.js';

/** Every scheduling.k8s.io/v1 strategy. */
export const schedulingStrategies: ResourceStrategy[] = [priorityClassStrategy] as ResourceStrategy[];
