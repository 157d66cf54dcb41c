import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy, prepareCreate, testContext } from '../../testing-support/index.js';
import { nodeStrategy } from './strategy.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const node = (extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, ...extra });

describeStrategy(nodeStrategy, {
  valid: node({ spec: { podCIDR: '10.244.1.0/24' }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } }),
  invalid: [
    { name: 'a taint without effect and a duplicate taint', object: node({ spec: { taints: [{ key: 'k' }, { key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }] } }), fields: ['metadata.taints[0].effect', 'metadata.taints[2]'] },
    { name: 'a bad pod CIDR', object: node({ spec: { podCIDRs: ['10.0.0.0/99'] } }), fields: ['spec.podCIDRs[0]'] },
    { name: 'a negative capacity', object: node({ status: { capacity: { cpu: '-1' } } }), fields: ['status.capacity.cpu'] },
  ],
  invalidUpdates: [
    { name: 'changing the pod CIDR', old: node({ spec: { podCIDR: '10.244.1.0/24' } }), object: node({ spec: { podCIDR: '10.244.2.0/24' } }), fields: ['spec.podCIDRs'] },
    { name: 'changing the provider ID', old: node({ spec: { providerID: 'kin://a' } }), object: node({ spec: { providerID: 'kin://b' } }), fields: ['spec.providerID'] },
  ],
});

test('a node keeps its status on create, gets podCIDRs and allocatable from capacity', () => {
  const got = prepareCreate(nodeStrategy, node({ spec: { podCIDR: '10.244.1.0/24' }, status: { capacity: { cpu: '4', memory: '8192Mi' } } }));
  assert.deepEqual(got['spec'], { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  assert.deepEqual(got['status'], { capacity: { cpu: '4', memory: '8Gi' }, allocatable: { cpu: '4', memory: '8Gi' } });
});

const rows: [string, Record<string, unknown>, unknown[]][] = [
  [
    'a ready control-plane node',
    {
      metadata: { name: 'cp', creationTimestamp: new Date(now - 2 * 86400_000).toISOString(), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'cp' } },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'cp' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
      },
    },
    ['cp', 'Ready', 'control-plane', '2d', 'v1.32.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0'],
  ],
  [
    'a cordoned node that is not ready',
    { metadata: { name: 'w', creationTimestamp: new Date(now - 60_000).toISOString() }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    ['w', 'NotReady,SchedulingDisabled', '<none>', '60s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  ],
  [
    'a node without conditions and two roles',
    { metadata: { name: 'x', labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge' } } },
    ['x', 'Unknown', 'edge,worker', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  ],
];
for (const [name, obj, want] of rows) test(`node row: ${name}`, () => assert.deepEqual(nodeStrategy.printer?.row(obj as KubeObject, { now }), want));

test('a node status update keeps the spec and the unschedulable field selector reads it', () => {
  const ctx = testContext();
  const old = prepareCreate(nodeStrategy, node({ spec: { unschedulable: true } }), ctx);
  assert.deepEqual(nodeStrategy.selectableFields?.(old), { 'spec.unschedulable': 'true' });
});
