// The strategies of every built-in kind, gathered from the registry's group folders.
import type { ResourceStrategy } from '../registry/strategy.js';
import { groupStrategies } from '../registry/groups.js';
import { podStrategy } from '../registry/core/pod/index.js';
import { serviceStrategy } from '../registry/core/service/index.js';

/** Every built-in resource strategy available. */
export function builtinStrategies(): ResourceStrategy[] {
  return [podStrategy as ResourceStrategy, serviceStrategy as ResourceStrategy, ...groupStrategies];
}
