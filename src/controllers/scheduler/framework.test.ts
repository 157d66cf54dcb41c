import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';
import { fitErrorMessage } from './fit-error.js';
import { Framework, numFeasibleNodesToFind } from './framework.js';
import { preempt } from './preemption.js';
import { makeNode, makePod } from './testing-support.js';
import type { Node, Pod } from './types.js';

const feasibleCases = [
  { nodes: 10, want: 10 },
  { nodes: 99, want: 99 },
  { nodes: 100, want: 100 },
  { nodes: 1000, want: 420 },
  { nodes: 5000, want: 500 },
  { nodes: 6000, want: 300 },
];
for (const c of feasibleCases) test(`numFeasibleNodesToFind: ${c.nodes} nodes → ${c.want}`, () => assert.equal(numFeasibleNodesToFind(c.nodes), c.want));
test('numFeasibleNodesToFind honours a fixed percentage but never goes below 100', () => {
  assert.equal(numFeasibleNodesToFind(1000, 50), 500);
  assert.equal(numFeasibleNodesToFind(1000, 1), 100);
});

function cacheOf(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.setNode(n);
  for (const p of pods) c.setPod(p);
  return c;
}

function message(nodes: Node[], pod: Pod, pods: Pod[] = []): string {
  const cache = cacheOf(nodes, pods);
  const fw = new Framework(cache);
  const r = fw.schedule(pod);
  assert.ok('fitError' in r && r.cycle, 'expected no node to fit');
  const p = preempt({ fitError: r.fitError, cycle: r.cycle, nodes: cache.nodeList(), filterNode: (c, n) => fw.filterNode(c, n), pdbs: [], now: 0, random: () => 0 });
  return fitErrorMessage(r.fitError, 'message' in p ? p.message : '');
}

const messageCases: { name: string; nodes: Node[]; existing?: Pod[]; pod: Pod; want: string }[] = [
  {
    name: 'resources and node affinity, counted and sorted as kube-scheduler does',
    nodes: [makeNode('a', { cpu: '1' }), makeNode('b', { labels: { zone: 'x' } }), makeNode('c', { labels: { zone: 'x' } })],
    pod: makePod('p', { cpu: '2', spec: { nodeSelector: { zone: 'y' } } }),
    want: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  },
  {
    name: 'more cpu than any node has',
    nodes: [makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' })],
    pod: makePod('p', { cpu: '2' }),
    want: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  },
  {
    name: 'nodes full of other pods',
    nodes: [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })],
    existing: [makePod('x', { cpu: '1500m', node: 'a' }), makePod('y', { cpu: '1500m', node: 'b' })],
    pod: makePod('p', { cpu: '1' }),
    want: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
  },
  {
    name: 'mixed reasons of different plugins',
    nodes: [makeNode('a', { cpu: '1' }), makeNode('b', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), makeNode('c', { unschedulable: true })],
    pod: makePod('p', { cpu: '2' }),
    want: '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  },
  {
    name: 'a DaemonSet-style pod pinned to a full node',
    nodes: [makeNode('a', { cpu: '2' }), makeNode('b'), makeNode('c')],
    existing: [makePod('x', { cpu: '1', node: 'a' })],
    pod: makePod('p', { cpu: '2', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }] } } } } }),
    want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
  },
  {
    name: 'a pod that may not preempt says so',
    nodes: [makeNode('a', { cpu: '1' })],
    pod: makePod('p', { cpu: '2', spec: { preemptionPolicy: 'Never' } }),
    want: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
  },
];
for (const c of messageCases) test(`FitError message: ${c.name}`, () => assert.equal(message(c.nodes, c.pod, c.existing), c.want));

test('the node with the best total score wins: the emptier node under LeastAllocated', () => {
  const nodes = [makeNode('busy'), makeNode('idle')];
  const fw = new Framework(cacheOf(nodes, [makePod('x', { cpu: '3', memory: '6Gi', node: 'busy' })]));
  const r = fw.schedule(makePod('p', { cpu: '100m', memory: '100Mi' }));
  assert.ok(!('fitError' in r));
  assert.equal(r.node, 'idle');
});

test('with many nodes only a sample is filtered, and the next attempt starts where the last stopped', () => {
  const nodes = Array.from({ length: 1000 }, (_, i) => makeNode(`n${i}`));
  const fw = new Framework(cacheOf(nodes), { random: () => 0 });
  const r1 = fw.schedule(makePod('p'));
  assert.ok(!('fitError' in r1));
  assert.equal(r1.evaluatedNodes, 420);
  assert.equal(r1.feasibleNodes, 420);
  const r2 = fw.schedule(makePod('q'));
  assert.ok(!('fitError' in r2));
  // All nodes score the same: the second attempt picks from the next 420 nodes.
  assert.ok(Number(r2.node.slice(1)) >= 420, r2.node);
});

test('assumed pods count on their node at once', () => {
  const cache = cacheOf([makeNode('a', { cpu: '1' })]);
  const fw = new Framework(cache);
  const p = makePod('p', { cpu: '800m' });
  const r = fw.schedule(p);
  assert.ok(!('fitError' in r));
  cache.assumePod({ ...p, spec: { ...p.spec!, nodeName: r.node } });
  assert.equal(cache.isAssumed('default/p'), true);
  assert.ok('fitError' in fw.schedule(makePod('q', { cpu: '800m' })));
  cache.forgetPod('default/p');
  assert.ok(!('fitError' in fw.schedule(makePod('q', { cpu: '800m' }))));
});

test('pods bound to a node the cache does not know yet count once the node appears', () => {
  const cache = new SchedulerCache();
  cache.setPod(makePod('x', { cpu: '1', node: 'late' }));
  cache.setNode(makeNode('late', { cpu: '1' }));
  assert.equal(cache.node('late')?.requested.milliCPU, 1000);
  cache.removePod('default/x');
  assert.equal(cache.node('late')?.requested.milliCPU, 0);
});

test('a status update of a bound pod keeps its parsed info; a label change parses it again', () => {
  const cache = cacheOf([makeNode('a')]);
  const p = makePod('x', { cpu: '1', node: 'a', labels: { app: 'web' } });
  cache.setPod(p);
  const first = cache.node('a')!.pods.get('default/x')!;
  cache.setPod({ ...p, status: { phase: 'Running' } });
  assert.equal(cache.node('a')!.pods.get('default/x'), first);
  assert.equal(first.pod.status?.phase, 'Running');
  cache.setPod({ ...p, metadata: { ...p.metadata, labels: { app: 'db' } } });
  assert.notEqual(cache.node('a')!.pods.get('default/x'), first);
  assert.equal(cache.node('a')!.requested.milliCPU, 1000);
});

test('a pod nominated to a node that fits goes there without scoring the others', () => {
  const cache = cacheOf([makeNode('roomy', { cpu: '16' }), makeNode('tight', { cpu: '2' })], [makePod('x', { cpu: '1', node: 'tight' })]);
  const pod = makePod('p', { cpu: '1' });
  pod.status = { nominatedNodeName: 'tight' };
  assert.deepEqual(new Framework(cache).schedule(pod), { node: 'tight', evaluatedNodes: 1, feasibleNodes: 1 });
  pod.status = { nominatedNodeName: 'gone' };
  const r = new Framework(cache).schedule(pod);
  assert.ok('node' in r && r.node === 'roomy', 'a nominated node that is not there is ignored');
});
