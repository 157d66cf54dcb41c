import { describeStrategy } from '../testing-support/index.js';
import { leaseStrategy } from './index.js';

const lease = (spec: Record<string, unknown>) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec });
describeStrategy(leaseStrategy, {
  valid: lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' }),
  invalid: [
    { name: 'zero duration', object: lease({ leaseDurationSeconds: 0 }), fields: ['spec.leaseDurationSeconds'] },
    { name: 'negative transitions', object: lease({ leaseTransitions: -1 }), fields: ['spec.leaseTransitions'] },
    { name: 'preferredHolder without strategy', object: lease({ preferredHolder: 'x' }), fields: ['spec.preferredHolder'] },
  ],
});
