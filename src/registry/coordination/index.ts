// The coordination.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { leaseStrategy } from './lease/strategy.js';

export { leaseStrategy };

/** Every coordination.k8s.io/v1 strategy. */
export const coordinationStrategies: ResourceStrategy[] = [leaseStrategy] as ResourceStrategy[];
