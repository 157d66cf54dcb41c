// RBAC rules shared by Roles, ClusterRoles and both binding kinds (pkg/apis/rbac/validation).
import type { PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { AggregationRule } from 'kubernetes-types/rbac/v1.js';
import { child, fieldError, index, type FieldError } from '../../machinery/index.js';
import { compileSelector, goQuote, invalidGo, nameIsDNSSubdomain, nameIsPathSegment, validateLabelSelector } from '../apps/index.js';
import { deepEqualJson } from '../compare.js';

/** The RBAC API group. */
export const rbacGroup = 'rbac.authorization.k8s.io';

function goStrings(v: readonly string[] | undefined): string {
  return `[]string{${(v ?? []).map(goQuote).join(', ')}}`;
}

/** ValidatePolicyRule. */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs?.length) errs.push(fieldError.required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    const p = child(path, 'nonResourceURLs');
    if (namespaced) errs.push(invalidGo(p, goStrings(rule.nonResourceURLs), 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length)
      errs.push(invalidGo(p, goStrings(rule.nonResourceURLs), 'rules cannot apply to both regular resources and non-resource URLs'));
    return errs;
  }
  if (!rule.apiGroups?.length) errs.push(fieldError.required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errs.push(fieldError.required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

/** The rules of a Role or ClusterRole. */
export function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((r, i) => validatePolicyRule(r, namespaced, index('rules', i)));
}

/** A ClusterRole's aggregationRule. */
export function validateAggregationRule(rule: AggregationRule | undefined): FieldError[] {
  if (!rule) return [];
  const path = 'aggregationRule.clusterRoleSelectors';
  const sels = rule.clusterRoleSelectors ?? [];
  const errs: FieldError[] = [];
  if (!sels.length) errs.push(fieldError.required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
  sels.forEach((s, i) => {
    errs.push(...validateLabelSelector(s, index(path, i)));
    if (!compileSelector(s)) errs.push(fieldError.invalid(index(path, i), s, 'invalid label selector.'));
  });
  return errs;
}

/** ValidateRoleBindingSubject. */
export function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(fieldError.required(child(path, 'name'), ''));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) for (const m of nameIsDNSSubdomain(s.name)) errs.push(fieldError.invalid(child(path, 'name'), s.name, m));
      if (s.apiGroup) errs.push(fieldError.notSupported(child(path, 'apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(fieldError.required(child(path, 'namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== rbacGroup) errs.push(fieldError.notSupported(child(path, 'apiGroup'), s.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errs.push(fieldError.notSupported(child(path, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** roleRef and subjects of a binding; `kinds` are the roleRef kinds allowed. */
export function validateBinding(roleRef: RoleRef | undefined, subjects: readonly Subject[] | undefined, namespaced: boolean, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const ref = roleRef ?? ({} as RoleRef);
  if (ref.apiGroup !== rbacGroup) errs.push(fieldError.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [rbacGroup]));
  if (!kinds.includes(ref.kind)) errs.push(fieldError.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(fieldError.required('roleRef.name', ''));
  else for (const m of nameIsPathSegment(ref.name)) errs.push(fieldError.invalid('roleRef.name', ref.name, m));
  (subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, index('subjects', i))));
  return errs;
}

/** roleRef may never change. */
export function roleRefUnchanged(ref: RoleRef | undefined, old: RoleRef | undefined): FieldError[] {
  if (deepEqualJson(ref ?? null, old ?? null)) return [];
  const r = ref ?? ({} as RoleRef);
  return [invalidGo('roleRef', `rbac.RoleRef{APIGroup:${goQuote(r.apiGroup ?? '')}, Kind:${goQuote(r.kind ?? '')}, Name:${goQuote(r.name ?? '')}}`, 'cannot change roleRef')];
}

/** SetDefaults_RoleBinding / ClusterRoleBinding and SetDefaults_Subject. */
export function defaultBinding(obj: { roleRef?: RoleRef; subjects?: Subject[] }): void {
  if (obj.roleRef && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = rbacGroup;
  for (const s of obj.subjects ?? []) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = rbacGroup;
    // A ServiceAccount's apiGroup stays empty, and an empty apiGroup is omitted (omitempty), as Kubernetes serializes it.
    else if (s.apiGroup === '') delete s.apiGroup;
  }
}
