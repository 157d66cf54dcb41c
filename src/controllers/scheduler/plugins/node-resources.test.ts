import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleState, makeNode, makePod, nodeInfos } from '../testing-support.js';
import { nodeResourcesBalancedAllocation, nodeResourcesFit } from './node-resources.js';

const fitCases: { name: string; node: ReturnType<typeof makeNode>; existing?: ReturnType<typeof makePod>[]; pod: ReturnType<typeof makePod>; want: string[] }[] = [
  { name: 'a pod within allocatable fits', node: makeNode('n', { cpu: '2', memory: '4Gi' }), pod: makePod('p', { cpu: '1', memory: '1Gi' }), want: [] as string[] },
  { name: 'too much cpu', node: makeNode('n', { cpu: '2' }), pod: makePod('p', { cpu: '3' }), want: ['Insufficient cpu'] },
  { name: 'too much cpu and memory', node: makeNode('n', { cpu: '1', memory: '1Gi' }), pod: makePod('p', { cpu: '2', memory: '2Gi' }), want: ['Insufficient cpu', 'Insufficient memory'] },
  { name: 'what other pods requested counts', node: makeNode('n', { cpu: '2' }), existing: [makePod('q', { cpu: '1500m', node: 'n' })], pod: makePod('p', { cpu: '600m' }), want: ['Insufficient cpu'] },
  { name: 'the allocatable pod count is a limit', node: makeNode('n', { pods: '1' }), existing: [makePod('q', { node: 'n' })], pod: makePod('p'), want: ['Too many pods'] },
  { name: 'a node without allocatable pods takes none', node: { ...makeNode('n'), status: { allocatable: { cpu: '4', memory: '1Gi' } } }, pod: makePod('p'), want: ['Too many pods'] },
  { name: 'extended resources are checked by name', node: makeNode('n', { extra: { 'example.com/gpu': '1' } }), pod: makePod('p', { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { 'example.com/gpu': '2' } } }] } }), want: ['Insufficient example.com/gpu'] },
  { name: 'a best-effort pod fits a full node', node: makeNode('n', { cpu: '1' }), existing: [makePod('q', { cpu: '1', node: 'n' })], pod: makePod('p'), want: [] },
  {
    name: 'init containers count by their maximum, not their sum',
    node: makeNode('n', { cpu: '2' }),
    pod: makePod('p', { cpu: '1', spec: { initContainers: [{ name: 'i1', image: 'x', resources: { requests: { cpu: '2' } } }, { name: 'i2', image: 'x', resources: { requests: { cpu: '2' } } }] } }),
    want: [],
  },
  {
    name: 'sidecar init containers add to the app containers',
    node: makeNode('n', { cpu: '2' }),
    pod: makePod('p', { cpu: '1500m', spec: { initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } }] } }),
    want: ['Insufficient cpu'],
  },
  { name: 'pod overhead counts', node: makeNode('n', { cpu: '1' }), pod: makePod('p', { cpu: '900m', spec: { overhead: { cpu: '200m' } } }), want: ['Insufficient cpu'] },
];

for (const c of fitCases) {
  test(`NodeResourcesFit: ${c.name}`, () => {
    const [n] = nodeInfos([c.node], c.existing ?? []);
    const s = nodeResourcesFit.filter!(cycleState(c.pod, [n!]), n!);
    assert.deepEqual(s?.reasons ?? [], c.want);
  });
}

const scoreCases = [
  // (4000-1000)/4000 → 75 for cpu; (8Gi-2Gi)/8Gi → 75 for memory.
  { name: 'LeastAllocated: the free share of cpu and memory after placing the pod', plugin: nodeResourcesFit, pod: makePod('p', { cpu: '1', memory: '2Gi' }), existing: [], want: 75 },
  // Containers without requests count 100m and 200Mi: (4000-100)*100/4000 = 97, (8192-200)*100/8192 = 97.
  { name: 'LeastAllocated: missing requests count the non-zero defaults', plugin: nodeResourcesFit, pod: makePod('p'), existing: [], want: 97 },
  { name: 'BalancedAllocation: equal cpu and memory fractions score 100', plugin: nodeResourcesBalancedAllocation, pod: makePod('p', { cpu: '2', memory: '4Gi' }), existing: [], want: 100 },
  // cpu 2/4 = 0.5, memory 0/8 = 0 → std 0.25 → 75.
  { name: 'BalancedAllocation: uneven fractions score lower', plugin: nodeResourcesBalancedAllocation, pod: makePod('p', { cpu: '2' }), existing: [], want: 75 },
];
for (const c of scoreCases) {
  test(c.name, () => {
    const nodes = nodeInfos([makeNode('n')], c.existing);
    assert.equal(c.plugin.score!(cycleState(c.pod, nodes), nodes[0]!), c.want);
  });
}

test('BalancedAllocation is skipped for a pod that requests nothing', () => {
  const nodes = nodeInfos([makeNode('n')]);
  assert.equal(nodeResourcesBalancedAllocation.preScore!(cycleState(makePod('p'), nodes), nodes), false);
});

const codeCases = [
  { name: 'a request larger than the node has at all is unresolvable', node: makeNode('n', { cpu: '2' }), existing: [], pod: makePod('p', { cpu: '3' }), want: 'UnschedulableAndUnresolvable' },
  { name: 'a request that fits the node but not what is left is Unschedulable', node: makeNode('n', { cpu: '2' }), existing: [makePod('q', { cpu: '1500m', node: 'n' })], pod: makePod('p', { cpu: '1' }), want: 'Unschedulable' },
  { name: 'a full node is Unschedulable', node: makeNode('n', { pods: '1' }), existing: [makePod('q', { node: 'n' })], pod: makePod('p'), want: 'Unschedulable' },
];
for (const c of codeCases) {
  test(`NodeResourcesFit status: ${c.name}`, () => {
    const [n] = nodeInfos([c.node], c.existing);
    assert.equal(nodeResourcesFit.filter!(cycleState(c.pod, [n!]), n!)?.code, c.want);
  });
}
