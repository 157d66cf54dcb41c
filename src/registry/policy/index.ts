// The policy/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { podDisruptionBudgetStrategy } from './poddisruptionbudget/strategy.js';

export { podDisruptionBudgetStrategy };

/** Every policy/v1 strategy. */
export const policyStrategies: ResourceStrategy[] = [podDisruptionBudgetStrategy] as ResourceStrategy[];
