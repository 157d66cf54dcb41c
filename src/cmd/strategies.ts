// The strategies of every built-in kind, gathered from the registry's group folders.
import type { ResourceStrategy } from '../registry/strategy.js';
import { appsStrategies } from '../registry/apps/index.js';

/** Every built-in resource strategy available. */
export function builtinStrategies(): ResourceStrategy[] {
  return [...appsStrategies];
}
