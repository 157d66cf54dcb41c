// Mutating and ValidatingWebhookConfiguration: webhook defaults and validation (pkg/apis/admissionregistration).
import type { MutatingWebhook, RuleWithOperations, ValidatingWebhook, WebhookClientConfig } from 'kubernetes-types/admissionregistration/v1.js';
import type { KubeObject } from '../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import type { Printer } from '../strategy.js';
import { dns1035LabelErrors, dns1123SubdomainErrors, portNumErrors, validateLabelSelector } from '../apps/index.js';

type Webhook = ValidatingWebhook & Partial<Pick<MutatingWebhook, 'reinvocationPolicy'>>;

/** SetDefaults_Rule: scope `*`. */
export function defaultRule(rule: { scope?: string }): void {
  rule.scope ??= '*';
}

/** SetDefaults_ValidatingWebhook / MutatingWebhook (and the service port). */
export function defaultWebhook(w: Webhook, mutating: boolean): void {
  w.failurePolicy ??= 'Fail';
  w.matchPolicy ??= 'Equivalent';
  w.namespaceSelector ??= {};
  w.objectSelector ??= {};
  w.timeoutSeconds ??= 10;
  if (mutating) w.reinvocationPolicy ??= 'Never';
  for (const r of w.rules ?? []) defaultRule(r as { scope?: string });
  const svc = w.clientConfig?.service;
  if (svc) svc.port ??= 443;
}

/** IsFullyQualifiedName: a DNS subdomain with at least three segments. */
export function fullyQualifiedNameErrors(name: string, path: string): FieldError[] {
  if (!name) return [fieldError.required(path, '')];
  const errs = dns1123SubdomainErrors(name);
  if (errs.length) return [fieldError.invalid(path, name, errs.join(','))];
  if (name.split('.').length < 3) return [fieldError.invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

const hasWildcard = (v: readonly string[]) => v.includes('*');

/** validateRule (apiGroups, apiVersions, resources, scope). */
export function validateRule(rule: { apiGroups?: string[]; apiVersions?: string[]; resources?: string[]; scope?: string }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const groups = rule.apiGroups ?? [];
  const versions = rule.apiVersions ?? [];
  const resources = rule.resources ?? [];
  if (!groups.length) errs.push(fieldError.required(child(path, 'apiGroups'), ''));
  if (groups.length > 1 && hasWildcard(groups)) errs.push(fieldError.invalid(child(path, 'apiGroups'), groups, "if '*' is present, must not specify other API groups"));
  if (!versions.length) errs.push(fieldError.required(child(path, 'apiVersions'), ''));
  if (versions.length > 1 && hasWildcard(versions)) errs.push(fieldError.invalid(child(path, 'apiVersions'), versions, "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (!v) errs.push(fieldError.required(index(child(path, 'apiVersions'), i), ''));
  });
  if (!resources.length) errs.push(fieldError.required(child(path, 'resources'), ''));
  resources.forEach((r, i) => {
    if (!r) errs.push(fieldError.required(index(child(path, 'resources'), i), ''));
  });
  if (rule.scope !== undefined && !['*', 'Cluster', 'Namespaced'].includes(rule.scope)) errs.push(fieldError.notSupported(child(path, 'scope'), rule.scope, ['*', 'Cluster', 'Namespaced']));
  return errs;
}

/** validateRuleWithOperations. */
export function validateRuleWithOperations(rule: RuleWithOperations, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = rule.operations ?? [];
  if (!ops.length) errs.push(fieldError.required(child(path, 'operations'), ''));
  if (ops.length > 1 && hasWildcard(ops)) errs.push(fieldError.invalid(child(path, 'operations'), ops, "if '*' is present, must not specify other operations"));
  const supported = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
  ops.forEach((op, i) => {
    if (!supported.includes(op)) errs.push(fieldError.notSupported(index(child(path, 'operations'), i), op, supported));
  });
  return [...errs, ...validateRule(rule, path)];
}

const form = '; desired format: https://host[/path]';

/** ValidateWebhookURL (https only). */
export function validateWebhookURL(raw: string, path: string): FieldError[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch (e) {
    return [fieldError.required(path, `url must be a valid URL: parse ${JSON.stringify(raw)}: invalid URI for request${form}`)];
  }
  const errs: FieldError[] = [];
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'https') errs.push(fieldError.invalid(path, scheme, "'https' is the only allowed URL scheme" + form));
  if (!u.host) errs.push(fieldError.invalid(path, u.host, 'host must be specified' + form));
  if (u.username || u.password) errs.push(fieldError.invalid(path, u.password ? `${u.username}:${u.password}` : u.username, 'user information is not permitted in the URL'));
  if (u.hash) errs.push(fieldError.invalid(path, u.hash.slice(1), 'fragments are not permitted in the URL'));
  if (u.search) errs.push(fieldError.invalid(path, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

/** ValidateWebhookService. */
export function validateWebhookService(svc: NonNullable<WebhookClientConfig['service']>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!svc.name) errs.push(fieldError.required(child(path, 'name'), 'service name is required'));
  if (!svc.namespace) errs.push(fieldError.required(child(path, 'namespace'), 'service namespace is required'));
  const port = svc.port ?? 443;
  const portErrs = portNumErrors(port);
  if (portErrs.length) errs.push(fieldError.invalid(child(path, 'port'), port, 'port is not valid: ' + portErrs.join(', ')));
  const p = svc.path;
  if (p === undefined || p === '/' || p === '') return errs;
  const pp = child(path, 'path');
  if (p === '//') return [...errs, fieldError.invalid(pp, p, 'segment[0] may not be empty')];
  if (!p.startsWith('/')) return [...errs, fieldError.invalid(pp, p, "must start with a '/'")];
  const segments = p.slice(1).split('/');
  segments.forEach((s, i) => {
    if (s === '' && i !== segments.length - 1) errs.push(fieldError.invalid(pp, p, `segment[${i}] may not be empty`));
    else if (s !== '') for (const m of dns1123SubdomainErrors(s)) errs.push(fieldError.invalid(pp, p, `segment[${i}]: ${m}`));
  });
  return errs;
}

function validateReviewVersions(versions: readonly string[] | undefined, path: string): FieldError[] {
  const accepted = ['v1', 'v1beta1'];
  if (!versions?.length) return [fieldError.required(path, `must specify one of ${accepted.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(fieldError.invalid(index(path, i), v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const m of dns1035LabelErrors(v)) errs.push(fieldError.invalid(index(path, i), v, m));
  });
  if (!versions.some((v) => accepted.includes(v))) errs.push(fieldError.invalid(path, versions, `must include at least one of ${accepted.join(', ')}`));
  return errs;
}

function validateWebhook(w: Webhook, mutating: boolean, path: string): FieldError[] {
  const errs = fullyQualifiedNameErrors(w.name ?? '', child(path, 'name'));
  (w.rules ?? []).forEach((r, i) => errs.push(...validateRuleWithOperations(r, index(child(path, 'rules'), i))));
  if (w.failurePolicy !== undefined && !['Fail', 'Ignore'].includes(w.failurePolicy)) errs.push(fieldError.notSupported(child(path, 'failurePolicy'), w.failurePolicy, ['Fail', 'Ignore']));
  if (w.matchPolicy !== undefined && !['Equivalent', 'Exact'].includes(w.matchPolicy)) errs.push(fieldError.notSupported(child(path, 'matchPolicy'), w.matchPolicy, ['Equivalent', 'Exact']));
  if (w.sideEffects === undefined) errs.push(fieldError.required(child(path, 'sideEffects'), 'must specify one of None, NoneOnDryRun'));
  else if (!['None', 'NoneOnDryRun'].includes(w.sideEffects)) errs.push(fieldError.notSupported(child(path, 'sideEffects'), w.sideEffects, ['None', 'NoneOnDryRun']));
  if (w.timeoutSeconds !== undefined && (w.timeoutSeconds > 30 || w.timeoutSeconds < 1))
    errs.push(fieldError.invalid(child(path, 'timeoutSeconds'), w.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  errs.push(...validateLabelSelector(w.namespaceSelector, child(path, 'namespaceSelector')));
  errs.push(...validateLabelSelector(w.objectSelector, child(path, 'objectSelector')));
  if (mutating && w.reinvocationPolicy !== undefined && !['IfNeeded', 'Never'].includes(w.reinvocationPolicy))
    errs.push(fieldError.notSupported(child(path, 'reinvocationPolicy'), w.reinvocationPolicy, ['IfNeeded', 'Never']));
  const cc = w.clientConfig ?? {};
  const ccPath = child(path, 'clientConfig');
  if ((cc.url === undefined) === (cc.service === undefined)) errs.push(fieldError.required(ccPath, 'exactly one of url or service is required'));
  else if (cc.url !== undefined) errs.push(...validateWebhookURL(cc.url, child(ccPath, 'url')));
  else errs.push(...validateWebhookService(cc.service!, child(ccPath, 'service')));
  (w.matchConditions ?? []).forEach((mc, i) => {
    const p = index(child(path, 'matchConditions'), i);
    if (!mc.name) errs.push(fieldError.required(child(p, 'name'), ''));
    if (!mc.expression?.trim()) errs.push(fieldError.required(child(p, 'expression'), ''));
  });
  return errs;
}

/** Validates every webhook of a configuration: names unique, review versions accepted. */
export function validateWebhooks(obj: KubeObject, mutating: boolean): FieldError[] {
  const hooks = (obj.webhooks ?? []) as Webhook[];
  const names = new Set<string>();
  const errs: FieldError[] = [];
  hooks.forEach((w, i) => {
    const p = index('webhooks', i);
    errs.push(...validateWebhook(w, mutating, p));
    errs.push(...validateReviewVersions(w.admissionReviewVersions, child(p, 'admissionReviewVersions')));
    if (w.name) {
      if (names.has(w.name)) errs.push(fieldError.duplicate(child(p, 'name'), w.name));
      names.add(w.name);
    }
  });
  return errs;
}

/** Name, Webhooks (how many), Age. */
export const webhookConfigurationPrinter: Printer = {
  columns: [nameColumn, column('Webhooks', { type: 'integer', description: 'Webhooks indicates the number of webhooks registered in this configuration' }), ageColumn],
  row: (obj, ctx) => [obj.metadata?.name ?? '', ((obj.webhooks as unknown[] | undefined) ?? []).length, age(obj.metadata?.creationTimestamp, ctx.now)],
};
