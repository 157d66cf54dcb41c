// Pure rules shared by the EndpointSlice and Endpoints controllers: which pods back a Service, with which
// address, conditions and ports (a named targetPort resolves per pod).
import type { KubeObject } from '../../api/index.js';
import type { EndpointPort, Node, Pod, PodCondition, Service, ServicePort, SliceEndpoint } from './types.js';

/** The node label that names a node's zone. */
export const zoneLabel = 'topology.kubernetes.io/zone';

/** A pod's condition of a type, if it has one. */
export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Whether a pod has a place among a Service's endpoints: not finished, has an IP, and (unless asked) not terminating. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** The pod's IPv4 addresses (kin serves single-stack IPv4 Services). */
export function podIPv4s(pod: Pod): string[] {
  const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip) : pod.status?.podIP ? [pod.status.podIP] : [];
  return ips.filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)).slice(0, 1);
}

/** True when a Service gives no cluster IP (headless). */
export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** Whether an endpoint carries the pod's hostname: the pod names the Service as its subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace;
}

/** The container port a Service port reaches on one pod: a number as is, a name looked up (with protocol) in the pod. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

/** The endpoint ports of one pod for a Service (ports that do not resolve on this pod are left out). */
export function endpointPorts(pod: Pod, svc: Service): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port, ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** A stable key of a port list (its order kept: the order of the Service's ports). */
export function portsKey(ports: readonly EndpointPort[]): string {
  return JSON.stringify(ports.map((p) => [p.name, p.protocol, p.port, p.appProtocol ?? '']));
}

/** The slice endpoint of a pod: address, conditions, and where it runs. */
export function podToEndpoint(pod: Pod, svc: Service, node: Node | undefined): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  // ready is never true for a terminating pod unless the Service publishes not-ready addresses.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const meta = pod.metadata ?? {};
  const ep: SliceEndpoint = {
    addresses: podIPv4s(pod),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: meta.namespace ?? '', name: meta.name ?? '', uid: meta.uid ?? '' },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname!;
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[zoneLabel];
  if (zone) ep.zone = zone;
  return ep;
}

/** The labels of a Service's slices or Endpoints: the Service's own, plus the headless marker when it has no cluster IP. */
export function serviceDerivedLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  if (isHeadless(svc)) labels['service.kubernetes.io/headless'] = '';
  else delete labels['service.kubernetes.io/headless'];
  return labels;
}


/** The Services of a namespace whose selector picks a pod (Services without a selector pick none). */
export function servicesSelecting(services: readonly Service[], pod: KubeObject): Service[] {
  const labels = pod.metadata?.labels ?? {};
  return services.filter((s) => {
    const sel = s.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) return false;
    return Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
}

/** The pods a Service's selector picks among those of its namespace. */
export function podsSelectedBy(svc: Service, pods: readonly Pod[]): Pod[] {
  const sel = svc.spec?.selector ?? {};
  const entries = Object.entries(sel);
  return pods.filter((p) => entries.every(([k, v]) => p.metadata?.labels?.[k] === v));
}
