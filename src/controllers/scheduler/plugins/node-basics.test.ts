import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleState, makeNode, makePod, nodeInfos } from '../testing-support.js';
import { nodeName, nodePorts, nodeUnschedulable, taintToleration } from './node-basics.js';
import { tolerates } from './helpers.js';

const filterCases = [
  { name: 'NodeName: a pod naming another node does not fit', plugin: nodeName, pod: makePod('p', { spec: { nodeName: 'b' } }), node: makeNode('a'), want: "node(s) didn't match the requested node name" },
  { name: 'NodeName: a pod naming this node fits', plugin: nodeName, pod: makePod('p', { spec: { nodeName: 'a' } }), node: makeNode('a'), want: undefined },
  { name: 'NodeUnschedulable: a cordoned node refuses the pod', plugin: nodeUnschedulable, pod: makePod('p'), node: makeNode('a', { unschedulable: true }), want: 'node(s) were unschedulable' },
  {
    name: 'NodeUnschedulable: a pod tolerating the unschedulable taint fits a cordoned node',
    plugin: nodeUnschedulable,
    pod: makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } }),
    node: makeNode('a', { unschedulable: true }),
    want: undefined,
  },
  { name: 'TaintToleration: an untolerated NoSchedule taint is named in the reason', plugin: taintToleration, pod: makePod('p'), node: makeNode('a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), want: 'node(s) had untolerated taint {dedicated: gpu}' },
  { name: 'TaintToleration: NoExecute taints also filter', plugin: taintToleration, pod: makePod('p'), node: makeNode('a', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), want: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }' },
  { name: 'TaintToleration: PreferNoSchedule taints do not filter', plugin: taintToleration, pod: makePod('p'), node: makeNode('a', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), want: undefined },
  {
    name: 'TaintToleration: a matching toleration lets the pod in',
    plugin: taintToleration,
    pod: makePod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } }),
    node: makeNode('a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    want: undefined,
  },
  {
    name: 'NodePorts: a host port in use on the node conflicts',
    plugin: nodePorts,
    pod: makePod('p', { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } }),
    node: makeNode('a'),
    existing: [makePod('q', { node: 'a', spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } })],
    want: "node(s) didn't have free ports for the requested pod ports",
  },
  {
    name: 'NodePorts: the same port with another protocol is free',
    plugin: nodePorts,
    pod: makePod('p', { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }] }] } }),
    node: makeNode('a'),
    existing: [makePod('q', { node: 'a', spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } })],
    want: undefined,
  },
];

for (const c of filterCases) {
  test(c.name, () => {
    const [ni] = nodeInfos([c.node], c.existing ?? []);
    const s = c.plugin.filter!(cycleState(c.pod, [ni!]), ni!);
    assert.deepEqual(s?.reasons[0], c.want);
  });
}

const tolerationCases = [
  { name: 'Exists with an empty key tolerates every taint', t: { operator: 'Exists' }, taint: { key: 'a', effect: 'NoSchedule' }, want: true },
  { name: 'an empty effect tolerates every effect', t: { key: 'a', operator: 'Exists' }, taint: { key: 'a', effect: 'NoExecute' }, want: true },
  { name: 'another effect does not tolerate', t: { key: 'a', operator: 'Exists', effect: 'NoSchedule' }, taint: { key: 'a', effect: 'NoExecute' }, want: false },
  { name: 'Equal compares values', t: { key: 'a', value: 'x', effect: 'NoSchedule' }, taint: { key: 'a', value: 'y', effect: 'NoSchedule' }, want: false },
];
for (const c of tolerationCases) test(`toleration: ${c.name}`, () => assert.equal(tolerates(c.t, c.taint), c.want));

test('TaintToleration scores nodes with fewer untolerated PreferNoSchedule taints higher', () => {
  const nodes = nodeInfos([
    makeNode('clean'),
    makeNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
    makeNode('two', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }),
  ]);
  const st = cycleState(makePod('p'), nodes);
  assert.equal(taintToleration.preScore!(st, nodes), true);
  const scores = nodes.map((n) => taintToleration.score!(st, n));
  taintToleration.normalizeScore!(st, scores, nodes);
  assert.deepEqual(scores, [100, 50, 0]);
});
