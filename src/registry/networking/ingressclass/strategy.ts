// networking.k8s.io/v1 IngressClass: parameters scope default, controller rules and columns.
import type { IngressClass as KIngressClass } from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, dns1123SubdomainErrors, immutable, nameIsDNSSubdomain, nameIsPathSegment, type GroupStrategy } from '../../apps/index.js';

/** An IngressClass as the strategy sees it. */
export type IngressClass = KIngressClass & KubeObject;

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRe = new RegExp(`^${httpPathFmt}$`);

/** validation.IsDomainPrefixedPath: `example.com/name`. */
export function domainPrefixedPathErrors(value: string, path: string): FieldError[] {
  if (!value) return [fieldError.required(path, '')];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !host || !rest) return [fieldError.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = dns1123SubdomainErrors(host).map((m) => fieldError.invalid(path, host, m));
  if (!httpPathRe.test(rest)) errs.push(fieldError.invalid(path, rest, `Invalid path (regex used for validation is '${httpPathFmt}')`));
  return errs;
}

/** validateIngressClassSpec. */
export function validateIngressClass(ic: IngressClass): FieldError[] {
  const spec = ic.spec ?? {};
  const errs: FieldError[] = [];
  const controller = spec.controller ?? '';
  if (controller.length > 250) errs.push(fieldError.tooLong('spec.controller', 250));
  errs.push(...domainPrefixedPathErrors(controller, 'spec.controller'));
  const p = spec.parameters;
  if (p) {
    const path = 'spec.parameters';
    if (p.apiGroup !== undefined) for (const m of dns1123SubdomainErrors(p.apiGroup)) errs.push(fieldError.invalid(child(path, 'apiGroup'), p.apiGroup, m));
    if (!p.kind) errs.push(fieldError.required(child(path, 'kind'), 'kind is required'));
    else for (const m of nameIsPathSegment(p.kind)) errs.push(fieldError.invalid(child(path, 'kind'), p.kind, m));
    if (!p.name) errs.push(fieldError.required(child(path, 'name'), 'name is required'));
    else for (const m of nameIsPathSegment(p.name)) errs.push(fieldError.invalid(child(path, 'name'), p.name, m));
    const scope = p.scope;
    if (scope === undefined) errs.push(fieldError.required(child(path, 'scope'), ''));
    else if (scope === 'Namespace') {
      if (!p.namespace) errs.push(fieldError.required(child(path, 'namespace'), '`parameters.scope` is set to "Namespace"'));
    } else if (scope === 'Cluster') {
      if (p.namespace) errs.push(fieldError.forbidden(child(path, 'namespace'), '`parameters.scope` is set to "Cluster"'));
    } else errs.push(fieldError.notSupported(child(path, 'scope'), scope, ['Cluster', 'Namespace']));
  }
  return errs;
}

/** kubectl's columns for IngressClasses. */
export const ingressClassPrinter: Printer<IngressClass> = {
  columns: [
    nameColumn,
    column('Controller', { description: 'Controller that is responsible for handling this class' }),
    column('Parameters', { description: 'A reference to a resource with additional parameters' }),
    ageColumn,
  ],
  row(ic, ctx) {
    const p = ic.spec?.parameters;
    let params = '<none>';
    if (p) params = `${p.kind}${p.apiGroup !== undefined ? '.' + p.apiGroup : ''}/${p.name}`;
    return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', params, age(ic.metadata?.creationTimestamp, ctx.now)];
  },
};

/** The IngressClass strategy. */
export const ingressClassStrategy: GroupStrategy<IngressClass> = {
  info: builtinInfo('networking.k8s.io', 'v1', 'IngressClass'),
  schemaName: 'io.k8s.api.networking.v1.IngressClass',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults(ic) {
    const p = ic.spec?.parameters;
    if (p) p.scope ??= 'Cluster';
  },
  validate: validateIngressClass,
  validateUpdate: (ic, old) => immutable(ic.spec?.controller, old.spec?.controller, 'spec.controller'),
  printer: ingressClassPrinter,
};
