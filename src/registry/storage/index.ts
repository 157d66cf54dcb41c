// The storage.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { storageClassStrategy } from './storageclass/strategy.js';

export { storageClassStrategy };
export { defaultClassAnnotations, isDefaultClass } from './storageclass/strategy.js';

/** Every storage.k8s.io/v1 strategy. */
export const storageStrategies: ResourceStrategy[] = [storageClassStrategy] as ResourceStrategy[];
