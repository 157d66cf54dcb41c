// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding and ClusterRoleBinding.
import type { ClusterRole as KClusterRole, ClusterRoleBinding as KClusterRoleBinding, Role as KRole, RoleBinding as KRoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/index.js';
import type { Printer } from '../strategy.js';
import { builtinInfo, nameIsPathSegment, type GroupStrategy } from '../apps/index.js';
import { bindingPrinter, rolePrinter } from './printers.js';
import { defaultBinding, roleRefUnchanged, validateAggregationRule, validateBinding, validateRules } from './validation.js';

/** A Role as the strategy sees it. */
export type Role = KRole & KubeObject;
/** A ClusterRole as the strategy sees it. */
export type ClusterRole = KClusterRole & KubeObject;
/** A RoleBinding as the strategy sees it. */
export type RoleBinding = KRoleBinding & KubeObject;
/** A ClusterRoleBinding as the strategy sees it. */
export type ClusterRoleBinding = KClusterRoleBinding & KubeObject;

/** The Role strategy. */
export const roleStrategy: GroupStrategy<Role> = {
  info: builtinInfo('rbac.authorization.k8s.io', 'v1', 'Role'),
  schemaName: 'io.k8s.api.rbac.v1.Role',
  nameValidation: nameIsPathSegment,
  generation: 'none',
  validate: (r) => validateRules(r.rules, true),
  printer: rolePrinter as Printer<Role>,
};

/** The ClusterRole strategy. */
export const clusterRoleStrategy: GroupStrategy<ClusterRole> = {
  info: builtinInfo('rbac.authorization.k8s.io', 'v1', 'ClusterRole'),
  schemaName: 'io.k8s.api.rbac.v1.ClusterRole',
  nameValidation: nameIsPathSegment,
  generation: 'none',
  validate: (r) => [...validateRules(r.rules, false), ...validateAggregationRule(r.aggregationRule)],
  printer: rolePrinter as Printer<ClusterRole>,
};

/** The RoleBinding strategy. */
export const roleBindingStrategy: GroupStrategy<RoleBinding> = {
  info: builtinInfo('rbac.authorization.k8s.io', 'v1', 'RoleBinding'),
  schemaName: 'io.k8s.api.rbac.v1.RoleBinding',
  nameValidation: nameIsPathSegment,
  generation: 'none',
  defaults: defaultBinding,
  validate: (b) => validateBinding(b.roleRef, b.subjects, true, ['Role', 'ClusterRole']),
  validateUpdate: (b, old) => roleRefUnchanged(b.roleRef, old.roleRef),
  printer: bindingPrinter as Printer<RoleBinding>,
};

/** The ClusterRoleBinding strategy. */
export const clusterRoleBindingStrategy: GroupStrategy<ClusterRoleBinding> = {
  info: builtinInfo('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'),
  schemaName: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  nameValidation: nameIsPathSegment,
  generation: 'none',
  defaults: defaultBinding,
  validate: (b) => validateBinding(b.roleRef, b.subjects, false, ['ClusterRole']),
  validateUpdate: (b, old) => roleRefUnchanged(b.roleRef, old.roleRef),
  printer: bindingPrinter as Printer<ClusterRoleBinding>,
};
