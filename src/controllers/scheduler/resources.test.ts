import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isScalarResourceName, nodeAllocatable, podRequests } from './resources.js';
import { filterMessage } from './fit-error.js';
import { makeNode, makePod } from './testing-support.js';

const requestCases = [
  { name: 'containers add up', pod: makePod('p', { spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'b', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' } } }] } }), cpu: 1250, memory: 1088 * 1024 * 1024 },
  { name: 'a missing request counts 100m and 200Mi only for spreading', pod: makePod('p'), cpu: 0, memory: 0, nonZeroCpu: 100, nonZeroMemory: 200 * 1024 * 1024 },
  { name: 'an explicit zero stays zero even for spreading', pod: makePod('p', { cpu: '0', memory: '0' }), cpu: 0, memory: 0, nonZeroCpu: 0, nonZeroMemory: 0 },
  {
    name: 'the largest init container wins over smaller app containers',
    pod: makePod('p', { cpu: '100m', spec: { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '2' } } }] } }),
    cpu: 2000,
    memory: 0,
  },
  {
    name: 'a sidecar runs beside later init containers and the app',
    pod: makePod('p', { cpu: '500m', spec: { initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } }, { name: 'i', image: 'x', resources: { requests: { cpu: '1' } } }] } }),
    cpu: 2000,
    memory: 0,
  },
];
for (const c of requestCases) {
  test(`pod requests: ${c.name}`, () => {
    const r = podRequests(c.pod);
    assert.deepEqual([r.milliCPU, r.memory], [c.cpu, c.memory]);
    if (c.nonZeroCpu !== undefined) {
      const nz = podRequests(c.pod, true);
      assert.deepEqual([nz.milliCPU, nz.memory], [c.nonZeroCpu, c.nonZeroMemory]);
    }
  });
}

test('extended resources, hugepages and prefixed names are scalar resources; plain native names are not', () => {
  assert.deepEqual(
    ['example.com/gpu', 'nvidia.com/gpu', 'hugepages-2Mi', 'kubernetes.io/batch-cpu', 'cpu', 'memory', 'requests.example.com/x'].map(isScalarResourceName),
    [true, true, true, true, false, false, false],
  );
});

test('allocatable is read from status.allocatable, quantities in their units', () => {
  const a = nodeAllocatable(makeNode('n', { cpu: '3500m', memory: '2Gi', pods: '110', extra: { 'example.com/gpu': '2' } }));
  assert.deepEqual([a.milliCPU, a.memory, a.allowedPodNumber, a.scalar['example.com/gpu']], [3500, 2 * 1024 ** 3, 110, 2]);
});

test('the reason histogram is sorted as Go sorts strings: "10 …" before "2 …"', () => {
  const statuses = new Map<string, { code: 'Unschedulable'; reasons: string[]; plugin: string }>();
  for (let i = 0; i < 10; i++) statuses.set(`a${i}`, { code: 'Unschedulable', reasons: ['Insufficient memory'], plugin: 'NodeResourcesFit' });
  for (let i = 0; i < 2; i++) statuses.set(`b${i}`, { code: 'Unschedulable', reasons: ['Insufficient cpu'], plugin: 'NodeResourcesFit' });
  assert.equal(filterMessage({ pod: makePod('p'), numAllNodes: 12, statuses }), '0/12 nodes are available: 10 Insufficient memory, 2 Insufficient cpu.');
});
