// ValidatingAdmissionPolicy and its Binding: defaults and validation (CEL expressions are compiled by the admission plugin).
import type { MatchResources, ParamRef, ValidatingAdmissionPolicy as KVAP, ValidatingAdmissionPolicyBinding as KVAPB } from 'kubernetes-types/admissionregistration/v1.js';
import type { KubeObject } from '../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import type { Printer } from '../strategy.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, formatLabelSelector, validateLabelSelector } from '../apps/index.js';
import { defaultRule, validateRuleWithOperations } from './webhooks.js';

/** A ValidatingAdmissionPolicy as the strategy sees it. */
export type ValidatingAdmissionPolicy = KVAP & KubeObject;
/** A ValidatingAdmissionPolicyBinding as the strategy sees it. */
export type ValidatingAdmissionPolicyBinding = KVAPB & KubeObject;

/** SetDefaults_MatchResources (and the rules' scope). */
export function defaultMatchResources(m: MatchResources | undefined): void {
  if (!m) return;
  m.matchPolicy ??= 'Equivalent';
  m.namespaceSelector ??= {};
  m.objectSelector ??= {};
  for (const r of [...(m.resourceRules ?? []), ...(m.excludeResourceRules ?? [])]) defaultRule(r as { scope?: string });
}

/** Policy defaults: failurePolicy Fail and the match defaults. */
export function defaultPolicy(p: ValidatingAdmissionPolicy): void {
  const spec = (p.spec ??= {});
  spec.failurePolicy ??= 'Fail';
  defaultMatchResources(spec.matchConstraints);
}

function validateMatchResources(m: MatchResources | undefined, path: string): FieldError[] {
  if (!m) return [];
  const errs: FieldError[] = [];
  if (m.matchPolicy !== undefined && !['Equivalent', 'Exact'].includes(m.matchPolicy)) errs.push(fieldError.notSupported(child(path, 'matchPolicy'), m.matchPolicy, ['Equivalent', 'Exact']));
  errs.push(...validateLabelSelector(m.namespaceSelector, child(path, 'namespaceSelector')));
  errs.push(...validateLabelSelector(m.objectSelector, child(path, 'objectSelector')));
  for (const key of ['resourceRules', 'excludeResourceRules'] as const)
    (m[key] ?? []).forEach((r, i) => errs.push(...validateRuleWithOperations(r, index(child(path, key), i))));
  return errs;
}

/** validateValidatingAdmissionPolicySpec (without CEL compilation). */
export function validatePolicy(p: ValidatingAdmissionPolicy): FieldError[] {
  const spec = p.spec ?? {};
  const path = 'spec';
  const errs: FieldError[] = [];
  if (spec.failurePolicy === undefined) errs.push(fieldError.required(child(path, 'failurePolicy'), ''));
  else if (!['Fail', 'Ignore'].includes(spec.failurePolicy)) errs.push(fieldError.notSupported(child(path, 'failurePolicy'), spec.failurePolicy, ['Fail', 'Ignore']));
  if (spec.paramKind) {
    const pk = child(path, 'paramKind');
    if (!spec.paramKind.apiVersion) errs.push(fieldError.required(child(pk, 'apiVersion'), ''));
    if (!spec.paramKind.kind) errs.push(fieldError.required(child(pk, 'kind'), ''));
  }
  if (!spec.matchConstraints) errs.push(fieldError.required(child(path, 'matchConstraints'), ''));
  else {
    errs.push(...validateMatchResources(spec.matchConstraints, child(path, 'matchConstraints')));
    if (!spec.matchConstraints.resourceRules?.length) errs.push(fieldError.required(child(child(path, 'matchConstraints'), 'resourceRules'), ''));
  }
  if (!spec.validations?.length && !spec.auditAnnotations?.length) {
    errs.push(fieldError.required(child(path, 'validations'), 'validations or auditAnnotations must contain at least one item'));
    errs.push(fieldError.required(child(path, 'auditAnnotations'), 'validations or auditAnnotations must contain at least one item'));
  }
  (spec.validations ?? []).forEach((v, i) => {
    const vp = index(child(path, 'validations'), i);
    if (!v.expression?.trim()) errs.push(fieldError.required(child(vp, 'expression'), 'expression is not specified'));
    if (v.messageExpression !== undefined && v.messageExpression.length > 0 && !v.messageExpression.trim())
      errs.push(fieldError.invalid(child(vp, 'messageExpression'), v.messageExpression, 'must be non-empty if specified'));
    const msg = v.message ?? '';
    if (msg.length > 0 && !msg.trim()) errs.push(fieldError.invalid(child(vp, 'message'), msg, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg.trim())) errs.push(fieldError.invalid(child(vp, 'message'), msg, 'message must not contain line breaks'));
    const reasons = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
    if (v.reason !== undefined && !reasons.includes(v.reason)) errs.push(fieldError.notSupported(child(vp, 'reason'), v.reason, reasons));
  });
  return errs;
}

function validateParamRef(pr: ParamRef | undefined, path: string): FieldError[] {
  if (!pr) return [];
  const errs: FieldError[] = [];
  if (pr.name) {
    for (const m of dns1123SubdomainErrors(pr.name)) errs.push(fieldError.invalid(child(path, 'name'), pr.name, m));
    if (pr.selector) errs.push(fieldError.forbidden(child(path, 'name'), 'name and selector are mutually exclusive'));
  }
  if (pr.selector) errs.push(...validateLabelSelector(pr.selector, child(path, 'selector')));
  if (pr.namespace) for (const m of dns1123LabelErrors(pr.namespace)) errs.push(fieldError.invalid(child(path, 'namespace'), pr.namespace, m));
  const action = pr.parameterNotFoundAction;
  if (!action) errs.push(fieldError.required(child(path, 'parameterNotFoundAction'), ''));
  else if (action !== 'Deny' && action !== 'Allow') errs.push(fieldError.notSupported(child(path, 'parameterNotFoundAction'), action, ['Deny', 'Allow']));
  return errs;
}

/** validateValidatingAdmissionPolicyBindingSpec. */
export function validateBinding(b: ValidatingAdmissionPolicyBinding): FieldError[] {
  const spec = b.spec ?? {};
  const path = 'spec';
  const errs: FieldError[] = [];
  if (!spec.policyName) errs.push(fieldError.required(child(path, 'policyName'), ''));
  else for (const m of dns1123SubdomainErrors(spec.policyName)) errs.push(fieldError.invalid(child(path, 'policyName'), spec.policyName, m));
  errs.push(...validateParamRef(spec.paramRef, child(path, 'paramRef')));
  // Kubernetes spells this path "matchResouces".
  errs.push(...validateMatchResources(spec.matchResources, child(path, 'matchResouces')));
  const actions = spec.validationActions ?? [];
  const vaPath = child(path, 'validationActions');
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!['Audit', 'Deny', 'Warn'].includes(a)) errs.push(fieldError.notSupported(index(vaPath, i), a, ['Audit', 'Deny', 'Warn']));
    if (seen.has(a)) errs.push(fieldError.duplicate(index(vaPath, i), a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn'))
    errs.push(fieldError.invalid(vaPath, actions, 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  if (!seen.size) errs.push(fieldError.required(vaPath, 'at least one validation action is required'));
  return errs;
}

/** kubectl's columns for ValidatingAdmissionPolicies. */
export const policyPrinter: Printer<ValidatingAdmissionPolicy> = {
  columns: [
    nameColumn,
    column('Validations', { type: 'integer', description: 'Validations indicates the number of validation rules defined in this configuration' }),
    column('ParamKind', { description: 'ParamKind specifies the kind of resources used to parameterize this policy' }),
    ageColumn,
  ],
  row: (p, ctx) => [
    p.metadata?.name ?? '',
    p.spec?.validations?.length ?? 0,
    p.spec?.paramKind ? `${p.spec.paramKind.apiVersion ?? ''}/${p.spec.paramKind.kind ?? ''}` : '<unset>',
    age(p.metadata?.creationTimestamp, ctx.now),
  ],
};

/** kubectl's columns for ValidatingAdmissionPolicyBindings. */
export const bindingPrinter: Printer<ValidatingAdmissionPolicyBinding> = {
  columns: [
    nameColumn,
    column('PolicyName', { description: 'PolicyName indicates the policy definition which the policy binding binded to' }),
    column('ParamRef', { description: 'ParamRef indicates the param resource which sets the configration param' }),
    ageColumn,
  ],
  row(b, ctx) {
    const pr = b.spec?.paramRef;
    let param = '<unset>';
    if (pr?.name) param = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
    else if (pr?.selector) param = formatLabelSelector(pr.selector).replace(/^<none>$/, '');
    return [b.metadata?.name ?? '', b.spec?.policyName ?? '', param, age(b.metadata?.creationTimestamp, ctx.now)];
  },
};
