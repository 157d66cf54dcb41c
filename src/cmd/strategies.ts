// The strategies of every built-in kind, gathered from the registry's group folders.
import type { ResourceStrategy } from '../registry/strategy.js';
import { coreStrategies } from '../registry/core/index.js';
import { groupStrategies } from '../registry/groups.js';
import { crdStrategy } from '../registry/apiextensions/index.js';

/** Every built-in resource strategy. */
export function builtinStrategies(): ResourceStrategy[] {
  return [...coreStrategies, ...groupStrategies, crdStrategy];
}
