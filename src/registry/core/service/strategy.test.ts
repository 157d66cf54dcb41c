import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { createErrors, describeStrategy, prepareCreate, testContext, updateErrors } from '../../testing-support/index.js';
import { serviceStrategy } from './strategy.js';

function svc(spec: Record<string, unknown>, name = 'web'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

describeStrategy(serviceStrategy, {
  valid: svc({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
  invalid: [
    { name: 'a ClusterIP service without ports', object: svc({ selector: { app: 'web' } }), fields: ['spec.ports'] },
    { name: 'a port out of range', object: svc({ ports: [{ port: 0 }] }), fields: ['spec.ports[0].port'] },
    { name: 'an unknown type', object: svc({ type: 'Magic', ports: [{ port: 80 }] }), fields: ['spec.type'] },
    { name: 'unnamed ports when there are several', object: svc({ ports: [{ port: 80 }, { port: 81 }] }), fields: ['spec.ports[0].name', 'spec.ports[1].name'] },
    { name: 'duplicate ports', object: svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }), fields: ['spec.ports[1]'] },
    { name: 'a bad selector value', object: svc({ selector: { app: 'a b' }, ports: [{ port: 80 }] }), fields: ['spec.selector'] },
    { name: 'a nodePort on a ClusterIP service', object: svc({ ports: [{ port: 80, nodePort: 30080 }] }), fields: ['spec.ports[0].nodePort'] },
    { name: 'an ExternalName service without externalName', object: svc({ type: 'ExternalName' }), fields: ['spec.externalName'] },
    { name: 'a dual-stack requirement on a single-stack cluster', object: svc({ ports: [{ port: 80 }], ipFamilyPolicy: 'RequireDualStack' }), fields: ['spec.ipFamilyPolicy'] },
  ],
  invalidUpdates: [
    {
      name: 'changing the cluster IP',
      old: svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' }),
      object: svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] }),
      fields: ['spec.clusterIPs[0]'],
    },
  ],
});

test('a ClusterIP service reads back with the defaults of a real cluster (clusterIP aside)', () => {
  const got = prepareCreate(serviceStrategy, svc({ selector: { app: 'web' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080 }] }));
  assert.deepEqual(got['spec'], {
    selector: { app: 'web' },
    ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  assert.deepEqual(got['status'], { loadBalancer: {} });
});

test('targetPort defaults to port; NodePort and LoadBalancer get traffic policies', () => {
  const np = prepareCreate(serviceStrategy, svc({ type: 'NodePort', ports: [{ port: 80 }] }))['spec'] as Record<string, unknown>;
  assert.deepEqual(np['ports'], [{ port: 80, targetPort: 80, protocol: 'TCP' }]);
  assert.equal(np['externalTrafficPolicy'], 'Cluster');
  const lb = prepareCreate(serviceStrategy, svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }))['spec'] as Record<string, unknown>;
  assert.equal(lb['allocateLoadBalancerNodePorts'], true);
});

test('a headless service without selector requires dual stack, as upstream', () => {
  const got = prepareCreate(serviceStrategy, svc({ clusterIP: 'None' }))['spec'] as Record<string, unknown>;
  assert.deepEqual([got['clusterIPs'], got['ipFamilyPolicy'], got['ipFamilies']], [['None'], 'RequireDualStack', ['IPv4', 'IPv6']]);
  assert.deepEqual(createErrors(serviceStrategy, svc({ clusterIP: 'None' })), []);
});

test('an ExternalName service gets no IP family fields', () => {
  const got = prepareCreate(serviceStrategy, svc({ type: 'ExternalName', externalName: 'example.com' }))['spec'] as Record<string, unknown>;
  assert.equal(got['ipFamilies'], undefined);
  assert.equal(got['ipFamilyPolicy'], undefined);
});

test('an update that omits the allocated cluster IP and node ports keeps them', () => {
  const ctx = testContext();
  const old = prepareCreate(serviceStrategy, svc({ type: 'NodePort', ports: [{ port: 80 }], clusterIP: '10.96.0.10' }), ctx);
  ((old['spec'] as { ports: Record<string, unknown>[] }).ports[0] ?? {})['nodePort'] = 30080;
  const next = svc({ type: 'NodePort', ports: [{ port: 80 }] });
  serviceStrategy.defaults?.(next);
  serviceStrategy.prepareForUpdate?.(next, old, ctx);
  const spec = next['spec'] as Record<string, unknown>;
  assert.equal(spec['clusterIP'], '10.96.0.10');
  assert.deepEqual(spec['clusterIPs'], ['10.96.0.10']);
  assert.equal((spec['ports'] as Record<string, unknown>[])[0]?.['nodePort'], 30080);
  assert.deepEqual(serviceStrategy.validateUpdate?.(next, old, ctx), []);
});

test('changing the cluster IP says it may not change once set', () => {
  const msgs = updateErrors(serviceStrategy, svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] }), svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' })).map(fieldErrorMessage);
  assert.deepEqual(msgs, ['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
});

test('service names must be DNS-1035 labels', () => {
  assert.deepEqual(serviceStrategy.nameValidation('web'), []);
  assert.match(serviceStrategy.nameValidation('1web')[0] ?? '', /^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
});

test('field selectors: spec.clusterIP and spec.type', () => {
  const got = prepareCreate(serviceStrategy, svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' }));
  assert.deepEqual(serviceStrategy.selectableFields?.(got), { 'spec.clusterIP': '10.96.0.10', 'spec.type': 'ClusterIP' });
});
