// The few fields of Pods, Services, Nodes and EndpointSlices the endpoint controllers read and write.
import type { KubeObject } from '../../api/index.js';

/** A container port as a pod declares it. */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** A pod condition (Ready, DisruptionTarget, ...). */
export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

/** The parts of a Pod the endpoint, disruption and eviction code read. */
export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: { name: string; ports?: ContainerPort[] }[];
    initContainers?: { name: string; restartPolicy?: string; ports?: ContainerPort[] }[];
  };
  status?: { phase?: string; podIP?: string; podIPs?: { ip: string }[]; conditions?: PodCondition[] };
}

/** One port of a Service. */
export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

/** The parts of a Service the endpoint and load-balancer controllers read. */
export interface Service extends KubeObject {
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    clusterIP?: string;
    ipFamilies?: string[];
    ports?: ServicePort[];
    publishNotReadyAddresses?: boolean;
    loadBalancerIP?: string;
    loadBalancerClass?: string;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
}

/** A Node, for its zone label. */
export type Node = KubeObject;

/** A reference to the pod behind an address. */
export interface TargetRef {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
}

/** discovery.k8s.io/v1 Endpoint. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: TargetRef;
  nodeName?: string;
  zone?: string;
}

/** discovery.k8s.io/v1 EndpointPort (also the shape of a core/v1 EndpointPort). */
export interface EndpointPort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

/** discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: EndpointPort[] | null;
}
