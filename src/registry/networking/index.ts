// The networking.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import { ingressClassStrategy } from './ingressclass/strategy.js';
import { ingressStrategy } from './ingress/strategy.js';
import { networkPolicyStrategy } from './networkpolicy/strategy.js';

export { ingressClassStrategy, ingressStrategy, networkPolicyStrategy };
export { formatIngressHosts, validateIngressBackend } from './ingress/strategy.js';
export { defaultNetworkPolicy } from './networkpolicy/strategy.js';

/** Every networking.k8s.io/v1 strategy. */
export const networkingStrategies: ResourceStrategy[] = [ingressStrategy, ingressClassStrategy, networkPolicyStrategy] as ResourceStrategy[];
