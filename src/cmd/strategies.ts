// The strategies of every built-in kind, gathered from the registry's group folders.
import type { ResourceStrategy } from '../registry/strategy.js';

/** Every built-in resource strategy available. */
export function builtinStrategies(): ResourceStrategy[] {
  return [];
}
