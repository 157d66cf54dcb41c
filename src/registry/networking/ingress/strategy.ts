// networking.k8s.io/v1 Ingress: rules, paths, backends and TLS validation, status rules and columns.
import type { HTTPIngressPath, Ingress as KIngress, IngressBackend, IngressRule } from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import {
  builtinInfo,
  resetStatus,
  dns1035LabelErrors,
  dns1123SubdomainErrors,
  ipFamily,
  keepStatus,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  portNameErrors,
  portNumErrors,
  statusSubresource,
  wildcardSubdomainErrors,
  type GroupStrategy,
} from '../../apps/index.js';

/** An Ingress as the strategy sees it. */
export type Ingress = KIngress & KubeObject;

const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidPathSuffixes = ['/..', '/.'];

function hostErrors(host: string, path: string): FieldError[] {
  const msgs = host.includes('*') ? wildcardSubdomainErrors(host) : dns1123SubdomainErrors(host);
  return msgs.map((m) => fieldError.invalid(path, host, m));
}

/** validateIngressBackend: exactly one of service and resource; a service names a port by name or number. */
export function validateIngressBackend(b: IngressBackend | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = !!b?.resource;
  const hasService = !!b?.service;
  if (hasResource && hasService) return [fieldError.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = b!.resource!;
    const rPath = child(path, 'resource');
    if (r.apiGroup !== undefined) for (const m of dns1123SubdomainErrors(r.apiGroup)) errs.push(fieldError.invalid(child(rPath, 'apiGroup'), r.apiGroup, m));
    if (!r.kind) errs.push(fieldError.required(child(rPath, 'kind'), 'kind is required'));
    else for (const m of nameIsPathSegment(r.kind)) errs.push(fieldError.invalid(child(rPath, 'kind'), r.kind, m));
    if (!r.name) errs.push(fieldError.required(child(rPath, 'name'), 'name is required'));
    else for (const m of nameIsPathSegment(r.name)) errs.push(fieldError.invalid(child(rPath, 'name'), r.name, m));
    return errs;
  }
  if (!hasService) return [fieldError.invalid(path, '', 'resource or service backend is required')];
  const svc = b!.service!;
  const sPath = child(path, 'service');
  if (!svc.name) errs.push(fieldError.required(child(sPath, 'name'), ''));
  else for (const m of dns1035LabelErrors(svc.name)) errs.push(fieldError.invalid(child(sPath, 'name'), svc.name, m));
  const portName = svc.port?.name ?? '';
  const portNumber = svc.port?.number ?? 0;
  if (portName && portNumber) errs.push(fieldError.invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of portNameErrors(portName)) errs.push(fieldError.invalid(child(child(sPath, 'port'), 'name'), portName, m));
  else if (portNumber) for (const m of portNumErrors(portNumber)) errs.push(fieldError.invalid(child(child(sPath, 'port'), 'number'), portNumber, m));
  else errs.push(fieldError.required(path, 'port name or number is required'));
  return errs;
}

function validatePath(p: HTTPIngressPath, path: string): FieldError[] {
  if (p.pathType === undefined) return [fieldError.required(child(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = p.path ?? '';
  const pPath = child(path, 'path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(fieldError.invalid(pPath, value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of invalidPathSequences) if (value.includes(seq)) errs.push(fieldError.invalid(pPath, value, `must not contain '${seq}'`));
        for (const suf of invalidPathSuffixes) if (value.endsWith(suf)) errs.push(fieldError.invalid(pPath, value, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/')) errs.push(fieldError.invalid(pPath, value, 'must be an absolute path'));
      break;
    default:
      errs.push(fieldError.notSupported(child(path, 'pathType'), p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
  }
  errs.push(...validateIngressBackend(p.backend, child(path, 'backend')));
  return errs;
}

function validateRules(rules: readonly IngressRule[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((r, i) => {
    const rPath = index(path, i);
    if (r.host) {
      if (ipFamily(r.host)) errs.push(fieldError.invalid(child(rPath, 'host'), r.host, 'must be a DNS name, not an IP address'));
      errs.push(...hostErrors(r.host, child(rPath, 'host')));
    }
    if (r.http) {
      const hPath = child(rPath, 'http');
      if (!r.http.paths?.length) errs.push(fieldError.required(child(hPath, 'paths'), ''));
      (r.http.paths ?? []).forEach((p, j) => errs.push(...validatePath(p, index(child(hPath, 'paths'), j))));
    }
  });
  return errs;
}

/** ValidateIngressSpec. */
export function validateIngress(ing: Ingress): FieldError[] {
  const spec = ing.spec ?? {};
  const path = 'spec';
  const errs: FieldError[] = [];
  if (!spec.rules?.length && !spec.defaultBackend) errs.push(fieldError.invalid(path, spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateIngressBackend(spec.defaultBackend, child(path, 'defaultBackend')));
  if (spec.rules?.length) errs.push(...validateRules(spec.rules, child(path, 'rules')));
  (spec.tls ?? []).forEach((t, i) => {
    const tPath = index(child(path, 'tls'), i);
    (t.hosts ?? []).forEach((h, j) => errs.push(...hostErrors(h, index(child(tPath, 'hosts'), j))));
    if (t.secretName) for (const m of dns1123SubdomainErrors(t.secretName)) errs.push(fieldError.invalid(child(tPath, 'secretName'), t.secretName, m));
  });
  if (spec.ingressClassName !== undefined)
    for (const m of nameIsDNSSubdomain(spec.ingressClassName)) errs.push(fieldError.invalid(child(path, 'ingressClassName'), spec.ingressClassName, m));
  return errs;
}

/** formatHosts: up to three hosts, `*` when none. */
export function formatIngressHosts(rules: readonly IngressRule[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (!list.length) return '*';
  const s = list.join(',');
  return more ? `${s} + ${(rules?.length ?? 0) - max} more...` : s;
}

/** kubectl's columns for Ingresses. */
export const ingressPrinter: Printer<Ingress> = {
  columns: [
    nameColumn,
    column('Class', { description: 'The name of the IngressClass resource that should be used for this Ingress' }),
    column('Hosts', { description: 'Hosts that incoming requests are matched against before the ingress rule' }),
    column('Address', { description: 'Address is a list containing ingress points for the load-balancer' }),
    column('Ports', { description: 'Ports of TLS configurations that open' }),
    ageColumn,
  ],
  row(ing, ctx) {
    const addresses = new Set<string>();
    for (const lb of ing.status?.loadBalancer?.ingress ?? []) {
      if (lb.ip) addresses.add(lb.ip);
      else if (lb.hostname) addresses.add(lb.hostname);
    }
    return [
      ing.metadata?.name ?? '',
      ing.spec?.ingressClassName ?? '<none>',
      formatIngressHosts(ing.spec?.rules),
      [...addresses].sort().join(','),
      ing.spec?.tls?.length ? '80, 443' : '80',
      age(ing.metadata?.creationTimestamp, ctx.now),
    ];
  },
};

/** The Ingress strategy. */
export const ingressStrategy: GroupStrategy<Ingress> = {
  info: builtinInfo('networking.k8s.io', 'v1', 'Ingress'),
  schemaName: 'io.k8s.api.networking.v1.Ingress',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  prepareForCreate: (ing) => resetStatus(ing, { loadBalancer: {} }),
  prepareForUpdate: keepStatus,
  validate: validateIngress,
  printer: ingressPrinter,
  status: statusSubresource<Ingress>({
    validate: (ing) => {
      const errs: FieldError[] = [];
      (ing.status?.loadBalancer?.ingress ?? []).forEach((lb, i) => {
        const p = index('status.loadBalancer.ingress', i);
        if (lb.ip && !ipFamily(lb.ip)) errs.push(fieldError.invalid(child(p, 'ip'), lb.ip, 'must be a valid IP address'));
        if (lb.hostname) {
          for (const m of dns1123SubdomainErrors(lb.hostname)) errs.push(fieldError.invalid(child(p, 'hostname'), lb.hostname, m));
          if (ipFamily(lb.hostname)) errs.push(fieldError.invalid(child(p, 'hostname'), lb.hostname, 'must be a DNS name, not an IP address'));
        }
      });
      return errs;
    },
  }),
};
