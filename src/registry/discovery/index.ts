// The discovery.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { endpointSliceStrategy } from './endpointslice/strategy.js';

export { endpointSliceStrategy };

/** Every discovery.k8s.io/v1 strategy. */
export const discoveryStrategies: ResourceStrategy[] = [endpointSliceStrategy] as ResourceStrategy[];
