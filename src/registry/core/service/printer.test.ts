import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { formatServicePorts, servicePrinter } from './printer.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const created = new Date(now - 3 * 3600_000).toISOString();

const portCases: [string, Service['spec'], string][] = [
  ['one TCP port', { ports: [{ port: 80, protocol: 'TCP' }] }, '80/TCP'],
  ['a node port', { ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }, '80:30080/TCP'],
  ['several ports', { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 9153, protocol: 'TCP' }] }, '53/UDP,53/TCP,9153/TCP'],
];
for (const [name, spec, want] of portCases) test(`service ports: ${name}`, () => assert.equal(formatServicePorts(spec?.ports ?? []), want));

const rows: [string, Service, unknown[]][] = [
  [
    'a ClusterIP service',
    { metadata: { name: 'web', creationTimestamp: created }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } } },
    ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '3h', 'app=web,tier=fe'],
  ],
  [
    'a LoadBalancer waiting for its address',
    { metadata: { name: 'lb', creationTimestamp: created }, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] } },
    ['lb', 'LoadBalancer', '10.96.0.11', '<pending>', '443:31443/TCP', '3h', '<none>'],
  ],
  [
    'a LoadBalancer with an address',
    { metadata: { name: 'lb', creationTimestamp: created }, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } },
    ['lb', 'LoadBalancer', '10.96.0.11', '203.0.113.7', '443:31443/TCP', '3h', '<none>'],
  ],
  [
    'an ExternalName service',
    { metadata: { name: 'ext', creationTimestamp: created }, spec: { type: 'ExternalName', externalName: 'example.com' } },
    ['ext', 'ExternalName', '<none>', 'example.com', '<none>', '3h', '<none>'],
  ],
];
for (const [name, svc, want] of rows) test(`service row: ${name}`, () => assert.deepEqual(servicePrinter.row(svc as never, { now }), want));

test('service columns are the ones kubectl shows', () => {
  assert.deepEqual(servicePrinter.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Type', 0], ['Cluster-IP', 0], ['External-IP', 0], ['Port(s)', 0], ['Age', 0], ['Selector', 1]]);
});
