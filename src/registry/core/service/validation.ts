// Service validation (ValidateService, ValidateServiceUpdate, ValidateServiceStatusUpdate) with Kubernetes' messages.
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { invalidEach, ipFamilyOf, isDNS1123Subdomain, isQualifiedName, isValidCIDR, isValidIP, isValidPortNum, list, validateDNS1123Label, validateLabels } from '../shared/index.js';
import { validatePortNumOrName } from '../pod/validate-containers.js';
import { clusterIPFamilies, externallyAccessible, isHeadless, needsHealthCheck } from './defaults.js';

const protocols = ['SCTP', 'TCP', 'UDP'];
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(fieldError.required(child(path, 'name')));
  else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, child(path, 'name')));
    if (names.has(sp.name)) errs.push(fieldError.duplicate(child(path, 'name'), sp.name));
    else names.add(sp.name);
  }
  errs.push(...invalidEach(child(path, 'port'), sp.port ?? 0, isValidPortNum(sp.port ?? 0)));
  if (!sp.protocol) errs.push(fieldError.required(child(path, 'protocol')));
  else if (!protocols.includes(sp.protocol)) errs.push(fieldError.notSupported(child(path, 'protocol'), sp.protocol, protocols));
  errs.push(...validatePortNumOrName(sp.targetPort, child(path, 'targetPort')));
  if (sp.appProtocol !== undefined) errs.push(...invalidEach(child(path, 'appProtocol'), sp.appProtocol, isQualifiedName(sp.appProtocol)));
  return errs;
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  const fam = ipFamilyOf(ip);
  if (!fam) return [fieldError.invalid(path, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v6 = ip.toLowerCase();
  if (ip === '0.0.0.0' || v6 === '::') errs.push(fieldError.invalid(path, ip, `may not be unspecified (${ip})`));
  if ((fam === 4 && ip.startsWith('127.')) || v6 === '::1') errs.push(fieldError.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if ((fam === 4 && ip.startsWith('169.254.')) || /^fe[89ab]/.test(v6)) errs.push(fieldError.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if ((fam === 4 && ip.startsWith('224.0.0.')) || v6.startsWith('ff02:')) errs.push(fieldError.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields plus the families this cluster can serve. */
function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = list(spec.clusterIPs);
  if (spec.clusterIP) {
    if (!ips.length) errs.push(fieldError.required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  const seen = new Set<string>();
  list(spec.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(fieldError.notSupported(index('spec.ipFamilies', i), f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(fieldError.duplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (spec.ipFamilyPolicy !== undefined && !policies.includes(spec.ipFamilyPolicy)) errs.push(fieldError.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies));
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(fieldError.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    if (msgs.length) badIPs = true;
    errs.push(...invalidEach(index('spec.clusterIPs', i), ip, msgs));
  });
  if (ips.length > 2) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && ipFamilyOf(ips[0] ?? '') === ipFamilyOf(ips[1] ?? '')) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(spec)) {
    ips.forEach((ip, i) => {
      const fam = spec.ipFamilies?.[i];
      if (fam === 'IPv4' && ipFamilyOf(ip) === 6) errs.push(fieldError.invalid(index('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fam === 'IPv6' && ipFamilyOf(ip) !== 6) errs.push(fieldError.invalid(index('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  // What initIPFamilyFields rejects for a cluster that serves fewer families than asked for.
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  if (!headlessSelectorless) {
    if (spec.ipFamilyPolicy === 'SingleStack' && ips.length === 2) errs.push(fieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (spec.ipFamilyPolicy === 'SingleStack' && list(spec.ipFamilies).length === 2) errs.push(fieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    if (spec.ipFamilyPolicy === 'RequireDualStack' && clusterIPFamilies.length < 2) errs.push(fieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    list(spec.ipFamilies).forEach((f, i) => {
      if ((f === 'IPv4' || f === 'IPv6') && !clusterIPFamilies.includes(f)) errs.push(fieldError.invalid(index('spec.ipFamilies', i), f, 'not configured on this cluster'));
    });
  }
  return errs;
}

/** ValidateService (without ObjectMeta). */
export function validateService(svc: Service): FieldError[] {
  const spec: ServiceSpec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const headless = isHeadless(spec);
  const ports = list(spec.ports);
  if (!ports.length && !headless && spec.type !== 'ExternalName') errs.push(fieldError.required('spec.ports'));
  if (spec.type === 'LoadBalancer' && headless) errs.push(fieldError.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
  if (spec.type === 'NodePort' && headless) errs.push(fieldError.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  if (spec.type === 'ExternalName') {
    if (list(spec.clusterIPs).length) errs.push(fieldError.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (list(spec.ipFamilies).length) errs.push(fieldError.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined) errs.push(fieldError.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)));
    else errs.push(fieldError.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))));
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const aff = spec.sessionAffinity;
  if (!aff) errs.push(fieldError.required('spec.sessionAffinity'));
  else if (aff !== 'ClientIP' && aff !== 'None') errs.push(fieldError.notSupported('spec.sessionAffinity', aff, ['ClientIP', 'None']));
  if (aff === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const why = 'when session affinity type is ClientIP';
    if (!cfg) errs.push(fieldError.required('spec.sessionAffinityConfig', why));
    else if (!cfg.clientIP) errs.push(fieldError.required('spec.sessionAffinityConfig.clientIP', why));
    else if (cfg.clientIP.timeoutSeconds === undefined) errs.push(fieldError.required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', why));
    else if (cfg.clientIP.timeoutSeconds <= 0 || cfg.clientIP.timeoutSeconds > 86400) errs.push(fieldError.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', cfg.clientIP.timeoutSeconds, 'must be greater than 0 and less than 86400'));
  } else if (aff === 'None' && spec.sessionAffinityConfig) errs.push(fieldError.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  errs.push(...validateClusterIPs(spec));
  list(spec.externalIPs).forEach((ip, i) => {
    const msgs = isValidIP(ip);
    if (msgs.length) errs.push(...invalidEach(index('spec.externalIPs', i), ip, msgs));
    else errs.push(...validateNonSpecialIP(ip, index('spec.externalIPs', i)));
  });
  if (!spec.type) errs.push(fieldError.required('spec.type'));
  else if (!serviceTypes.includes(spec.type)) errs.push(fieldError.notSupported('spec.type', spec.type, serviceTypes));
  if (spec.type === 'ClusterIP') ports.forEach((p, i) => {
    if (p.nodePort) errs.push(fieldError.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    if (p.nodePort) {
      const k = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(k)) errs.push(fieldError.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(k);
    }
    const k = `${p.protocol}/${p.port}`;
    if (portKeys.has(k)) errs.push(fieldError.duplicate(`spec.ports[${i}]`, { protocol: p.protocol, port: p.port }));
    portKeys.add(k);
  });
  const ranges = list(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (spec.type !== 'LoadBalancer') errs.push(fieldError.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...invalidEach(index('spec.LoadBalancerSourceRanges', i), r.trim(), isValidCIDR(r.trim()))));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') errs.push(fieldError.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) errs.push(fieldError.required('allocateLoadBalancerNodePorts'));
  if (spec.type === 'LoadBalancer') {
    if (spec.loadBalancerClass !== undefined) errs.push(...invalidEach('spec.loadBalancerClass', spec.loadBalancerClass, isQualifiedName(spec.loadBalancerClass)));
  } else if (spec.loadBalancerClass !== undefined) errs.push(fieldError.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(fieldError.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(fieldError.required('spec.externalTrafficPolicy'));
  else if (spec.externalTrafficPolicy !== 'Cluster' && spec.externalTrafficPolicy !== 'Local') errs.push(fieldError.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  if (!needsHealthCheck(spec)) {
    if (spec.healthCheckNodePort) errs.push(fieldError.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (!spec.healthCheckNodePort) errs.push(fieldError.required('spec.healthCheckNodePort'));
  else errs.push(...invalidEach('spec.healthCheckNodePort', spec.healthCheckNodePort, isValidPortNum(spec.healthCheckNodePort)));
  if (spec.internalTrafficPolicy === undefined) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') errs.push(fieldError.required('spec.internalTrafficPolicy'));
  } else if (spec.internalTrafficPolicy !== 'Cluster' && spec.internalTrafficPolicy !== 'Local') errs.push(fieldError.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  const td = (spec as { trafficDistribution?: string }).trafficDistribution;
  if (td !== undefined && td !== 'PreferClose') errs.push(fieldError.notSupported('spec.trafficDistribution', td, ['PreferClose']));
  return errs;
}

function ipsChanged(oldIPs: readonly string[], ips: readonly string[], spec: ServiceSpec, errs: FieldError[]): void {
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(fieldError.invalid(`spec.clusterIPs[${i}]`, ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (!ips.length) errs.push(fieldError.invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    if (oldIPs.length && ips.length && ips[0] !== oldIPs[0]) errs.push(fieldError.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') errs.push(fieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
  } else if (oldIPs.length && ips[0] !== oldIPs[0]) errs.push(fieldError.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
}

/** The update part of ValidateServiceUpdate: cluster IPs and families may not change, nor a few other fields. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const spec: ServiceSpec = svc.spec ?? {};
  const prev: ServiceSpec = old.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.type !== 'ExternalName' && prev.type !== 'ExternalName') {
    if (!(isHeadless(spec) && isHeadless(prev))) ipsChanged(list(prev.clusterIPs), list(spec.clusterIPs), spec, errs);
    if (isHeadless(spec) === isHeadless(prev) && !isHeadless(spec)) {
      const of = list(prev.ipFamilies);
      const nf = list(spec.ipFamilies);
      if (of.length === nf.length) {
        of.forEach((f, i) => {
          if (f !== nf[i]) errs.push(fieldError.invalid('spec.ipFamilies[0]', nf, 'may not change once set'));
        });
      } else if (of.length > nf.length) {
        if (!list(spec.clusterIPs).length) errs.push(fieldError.invalid('spec.ipFamilies[0]', nf, 'primary ipFamily can not be unset'));
        if (nf.length && nf[0] !== of[0]) errs.push(fieldError.invalid('spec.ipFamilies[0]', list(spec.clusterIPs), 'may not change once set'));
        if (nf.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') errs.push(fieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
      } else if (of.length && nf[0] !== of[0]) errs.push(fieldError.invalid('spec.ipFamilies[0]', list(spec.clusterIPs), 'may not change once set'));
    }
  }
  if (prev.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && (prev.loadBalancerClass ?? null) !== (spec.loadBalancerClass ?? null)) {
    errs.push(fieldError.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheck(prev) && needsHealthCheck(spec) && prev.healthCheckNodePort !== spec.healthCheckNodePort) errs.push(fieldError.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  return errs;
}

/** ValidateServiceStatusUpdate: the load-balancer status. */
export function validateServiceStatus(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const ingress = list(svc.status?.loadBalancer?.ingress);
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length) return [fieldError.forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
  ingress.forEach((ing, i) => {
    const p = index('status.loadBalancer.ingress', i);
    if (ing.ip) errs.push(...invalidEach(child(p, 'ip'), ing.ip, isValidIP(ing.ip)));
    if (!ing.ipMode) {
      if (ing.ip) errs.push(fieldError.required(child(p, 'ipMode'), 'must be specified when `ip` is set'));
    } else if (!ing.ip) errs.push(fieldError.forbidden(child(p, 'ipMode'), 'may not be specified when `ip` is not set'));
    else if (ing.ipMode !== 'Proxy' && ing.ipMode !== 'VIP') errs.push(fieldError.notSupported(child(p, 'ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    if (ing.hostname) {
      errs.push(...invalidEach(child(p, 'hostname'), ing.hostname, isDNS1123Subdomain(ing.hostname)));
      if (ipFamilyOf(ing.hostname)) errs.push(fieldError.invalid(child(p, 'hostname'), ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}
