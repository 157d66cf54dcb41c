// `kubectl get services` columns: Type, Cluster-IP, External-IP (<none>/<pending>), Port(s) (80/TCP, 80:30080/TCP).
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import type { Printer } from '../../strategy.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, formatLabels, list } from '../shared/index.js';

/** `80/TCP`, `80:30080/TCP`, joined by commas. */
export function formatServicePorts(ports: readonly ServicePort[]): string {
  return ports.map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
}

function loadBalancerAddresses(svc: Service): string {
  const set = new Set<string>();
  for (const ing of list(svc.status?.loadBalancer?.ingress)) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  // Tables are built wide on the server, so the list is never shortened.
  return [...set].sort().join(',');
}

/** The External-IP cell. */
export function serviceExternalIP(svc: Service): string {
  const ext = list(svc.spec?.externalIPs);
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc);
      if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** The Service table printer. */
export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', { description: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types' }),
    column('Cluster-IP', { description: 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies' }),
    column('External-IP', { description: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.' }),
    column('Port(s)', { description: 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies' }),
    ageColumn,
    column('Selector', { priority: 1, description: 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/' }),
  ],
  row(obj: KubeObject, ctx) {
    const svc = as<Service>(obj);
    const ports = formatServicePorts(list(svc.spec?.ports));
    return [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? '',
      svc.spec?.clusterIPs?.[0] ?? '<none>',
      serviceExternalIP(svc),
      ports || '<none>',
      age(svc.metadata?.creationTimestamp, ctx.now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
