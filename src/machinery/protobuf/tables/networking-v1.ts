// Field tables of networking/v1 messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).
// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery v0.36.3; change it by regenerating.
import type { PackageTable } from '../schema.js';

/** networking/v1 messages reachable from the kinds kin decodes. */
export const networkingV1: PackageTable = {
  package: 'networking/v1',
  messages: {
    HTTPIngressPath: '1:path:s 3:pathType:s?! 2:backend:IngressBackend!',
    HTTPIngressRuleValue: '1:paths:[HTTPIngressPath]!',
    Ingress: '1:metadata:meta/v1.ObjectMeta 2:spec:IngressSpec 3:status:IngressStatus',
    IngressBackend: '4:service:IngressServiceBackend? 3:resource:core/v1.TypedLocalObjectReference?',
    IngressLoadBalancerIngress: '1:ip:s 2:hostname:s 4:ports:[IngressPortStatus]',
    IngressLoadBalancerStatus: '1:ingress:[IngressLoadBalancerIngress]',
    IngressPortStatus: '1:port:i32! 2:protocol:s! 3:error:s?',
    IngressRule: '1:host:s 2::IngressRuleValue',
    IngressRuleValue: '1:http:HTTPIngressRuleValue?',
    IngressServiceBackend: '1:name:s! 2:port:ServiceBackendPort',
    IngressSpec: '4:ingressClassName:s? 1:defaultBackend:IngressBackend? 2:tls:[IngressTLS] 3:rules:[IngressRule]',
    IngressStatus: '1:loadBalancer:IngressLoadBalancerStatus',
    IngressTLS: '1:hosts:[s] 2:secretName:s',
    ServiceBackendPort: '1:name:s 2:number:i32',
  },
};
