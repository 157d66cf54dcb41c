// The runtime cost counter. Every evaluated step of an expression and every size-dependent library call charges
// it; past the limit evaluation stops with cel-go's "operation cancelled: actual cost limit exceeded". Evaluation is
// synchronous, so the counter of the evaluation in progress is a module-level slot set around each evaluate call.
import { CostLimitExceeded } from './errors.js';

/** The cost budget of one evaluation. */
export interface CostBudget {
  used: number;
  readonly limit: number;
}

let active: CostBudget | undefined;

/** Runs `fn` with `budget` as the counter that charges go to (restoring the previous one afterwards). */
export function withBudget<T>(budget: CostBudget, fn: () => T): T {
  const previous = active;
  active = budget;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Adds `amount` to the running evaluation's cost; throws CostLimitExceeded once the limit is passed. */
export function chargeCost(amount: number): void {
  const b = active;
  if (b === undefined) return;
  b.used += amount;
  if (b.used > b.limit) throw new CostLimitExceeded();
}

/** The cost cel-go charges for walking a string or list of `size` elements: one unit per ten elements. */
export function traversalCost(size: number): number {
  return Math.ceil(size * 0.1);
}
