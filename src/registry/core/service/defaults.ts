// Service defaulting (SetDefaults_Service) and the field normalization the service REST layer does before
// allocation: clusterIP/clusterIPs, IP families and policy, values kept on update.
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { ipFamilyOf, list, semanticEqual } from '../shared/index.js';

/** The IP families kin's service network serves (a single-stack IPv4 cluster). */
export const clusterIPFamilies: readonly ('IPv4' | 'IPv6')[] = ['IPv4'];

/** Services reachable from outside the cluster: NodePort, LoadBalancer, or ClusterIP with external IPs. */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0);
}

/** Every type but ExternalName gets a cluster IP (or None). */
export function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName';
}

/** NodePort and LoadBalancer services get node ports. */
export function needsNodePort(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** LoadBalancer services with externalTrafficPolicy Local get a health-check node port. */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** clusterIPs is exactly ["None"]. */
export function isHeadless(spec: ServiceSpec): boolean {
  return list(spec.clusterIPs).length === 1 && spec.clusterIPs?.[0] === 'None';
}

function targetPortUnset(p: ServicePort): boolean {
  return p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '';
}

/** SetDefaults_Service. */
export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of list(spec.ports)) {
    if (!p.protocol) p.protocol = 'TCP';
    if (targetPortUnset(p)) p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  defaultServiceStatus(svc);
}

/** The status half of the defaults: `status.loadBalancer: {}` always, ipMode VIP for load-balancer IPs. */
export function defaultServiceStatus(svc: Service): void {
  const st = ((svc as { status?: Service['status'] }).status ??= {});
  const lb = (st.loadBalancer ??= {});
  if (svc.spec?.type === 'LoadBalancer') for (const ing of list(lb.ingress)) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
}

/** normalizeClusterIPs: keeps clusterIP and clusterIPs in step (clusterIP is what old clients send). */
export function normalizeClusterIPs(spec: ServiceSpec, old: ServiceSpec | undefined): void {
  if (!old) {
    if (spec.clusterIP && !list(spec.clusterIPs).length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if (list(old.clusterIPs).length && !list(spec.clusterIPs).length && old.clusterIP === spec.clusterIP) spec.clusterIPs = [...list(old.clusterIPs)];
  if ((old.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    const same = semanticEqual(old.clusterIPs, spec.clusterIPs);
    if (old.clusterIP && !spec.clusterIP) {
      if (same) delete spec.clusterIPs;
    } else if (same && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  }
}

/** patchAllocatedValues: an update that leaves allocated values out keeps them. */
export function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!list(spec.clusterIPs).length && list(old.clusterIPs).length) spec.clusterIPs = [...list(old.clusterIPs)];
  }
  if (needsNodePort(old) && needsNodePort(spec)) {
    const used = (ports: readonly ServicePort[]) => new Set(ports.map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const oldUsed = used(list(old.ports));
    const newUsed = used(list(spec.ports));
    const byName = new Map(list(old.ports).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of list(spec.ports)) {
      if (p.nodePort) continue;
      const prev = byName.get(p.name ?? '') ?? 0;
      if (prev && !(oldUsed.has(prev) && newUsed.has(prev))) p.nodePort = prev;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort) spec.healthCheckNodePort = old.healthCheckNodePort;
}

/** dropTypeDependentFields: a type change releases what the old type had allocated, unless the user changed it too. */
export function dropTypeDependentFields(spec: ServiceSpec, old: ServiceSpec, status: Service['status'] | undefined): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if ((old.clusterIP ?? '') === (spec.clusterIP ?? '') && semanticEqual(old.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (semanticEqual(old.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((old.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(spec)) {
    const oldPorts = new Set(list(old.ports).map((p) => p.nodePort ?? 0));
    if (list(spec.ports).every((p) => !p.nodePort || oldPorts.has(p.nodePort))) for (const p of list(spec.ports)) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(spec) && old.healthCheckNodePort === spec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if ((old.loadBalancerClass ?? null) === (spec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  const ext = (s: ServiceSpec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (ext(old) && !ext(spec) && old.externalTrafficPolicy === spec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (spec.type !== 'LoadBalancer' && status) status.loadBalancer = {};
}

/**
 * initIPFamilyFields: ipFamilyPolicy (SingleStack; RequireDualStack for headless services without selector;
 * the old policy on update) and ipFamilies inferred from clusterIPs or the cluster's first family.
 */
export function initIPFamilyFields(spec: ServiceSpec, old: ServiceSpec | undefined): void {
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  if (!spec.ipFamilyPolicy) {
    if (old?.ipFamilyPolicy) spec.ipFamilyPolicy = old.ipFamilyPolicy;
    else spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const families = [...list(spec.ipFamilies)];
  list(spec.clusterIPs).forEach((ip, i) => {
    if (ip === 'None' || i < families.length) return;
    const fam = ipFamilyOf(ip);
    if (fam === 4 && clusterIPFamilies.includes('IPv4')) families.push('IPv4');
    if (fam === 6 && clusterIPFamilies.includes('IPv6')) families.push('IPv6');
  });
  if (headlessSelectorless) {
    if (!families.length) families.push(clusterIPFamilies[0] ?? 'IPv4');
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  } else if (!families.length) {
    families.push(clusterIPFamilies[0] ?? 'IPv4');
  }
  spec.ipFamilies = families;
}
