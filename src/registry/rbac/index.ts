// The rbac.authorization.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './strategies.js';

export { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy };
export { defaultBinding, rbacGroup, validatePolicyRule } from './validation.js';
export { subjectsStrings } from './printers.js';

/** Every rbac.authorization.k8s.io/v1 strategy. */
export const rbacStrategies: ResourceStrategy[] = [roleStrategy, roleBindingStrategy, clusterRoleStrategy, clusterRoleBindingStrategy] as ResourceStrategy[];
