// The events.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { eventStrategy } from './event/strategy.js';

export { eventStrategy };
export { eventToCore, eventFromCore } from './event/conversion.js';

/** Every events.k8s.io/v1 strategy. */
export const eventsStrategies: ResourceStrategy[] = [eventStrategy] as ResourceStrategy[];
