import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleState, makeNode, makePod, nodeInfos } from '../testing-support.js';
import { nodeAffinity, nodeNamesOfTerms } from './node-affinity.js';

const required = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const reason = "node(s) didn't match Pod's node affinity/selector";

const cases = [
  { name: 'nodeSelector matches the node labels', spec: { nodeSelector: { disk: 'ssd' } }, labels: { disk: 'ssd' }, fits: true },
  { name: 'nodeSelector with a missing label does not match', spec: { nodeSelector: { disk: 'ssd' } }, labels: {}, fits: false },
  { name: 'In matches a listed value', spec: required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }]), labels: { zone: 'b' }, fits: true },
  { name: 'NotIn refuses a listed value', spec: required([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }]), labels: { zone: 'a' }, fits: false },
  { name: 'Exists needs the label', spec: required([{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }]), labels: {}, fits: false },
  { name: 'DoesNotExist refuses the label', spec: required([{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }]), labels: { gpu: '1' }, fits: false },
  { name: 'Gt compares integers', spec: required([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }]), labels: { cores: '8' }, fits: true },
  { name: 'Lt compares integers', spec: required([{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }]), labels: { cores: '8' }, fits: false },
  { name: 'terms are ORed', spec: required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }]), labels: { zone: 'a' }, fits: true },
  { name: 'expressions of one term are ANDed', spec: required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] }]), labels: { zone: 'a' }, fits: false },
  { name: 'an empty term matches nothing', spec: required([{}]), labels: { zone: 'a' }, fits: false },
  { name: 'matchFields metadata.name selects the node by name', spec: required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]), labels: {}, fits: true },
  { name: 'matchFields metadata.name refuses other nodes', spec: required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }]), labels: {}, fits: false },
  { name: 'nodeSelector and affinity must both hold', spec: { nodeSelector: { disk: 'ssd' }, ...required([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }]) }, labels: { zone: 'a' }, fits: false },
];

for (const c of cases) {
  test(`NodeAffinity filter: ${c.name}`, () => {
    const [n] = nodeInfos([makeNode('n1', { labels: c.labels })]);
    const s = nodeAffinity.filter!(cycleState(makePod('p', { spec: c.spec }), [n!]), n!);
    assert.equal(s?.reasons[0], c.fits ? undefined : reason);
    if (!c.fits) assert.equal(s?.code, 'UnschedulableAndUnresolvable');
  });
}

test('NodeAffinity PreFilter narrows DaemonSet-style pods to the named nodes', () => {
  assert.deepEqual(nodeNamesOfTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]), new Set(['n1']));
  assert.equal(nodeNamesOfTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, { matchExpressions: [{ key: 'a', operator: 'Exists' }] }]), undefined);
  assert.equal(nodeNamesOfTerms(undefined), undefined);
});

test('NodeAffinity scores the sum of matching preferred weights, normalized to 100', () => {
  const spec = {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
          { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
        ],
      },
    },
  };
  const nodes = nodeInfos([makeNode('both', { labels: { zone: 'a', disk: 'ssd' } }), makeNode('zone', { labels: { zone: 'a' } }), makeNode('none')]);
  const st = cycleState(makePod('p', { spec }), nodes);
  assert.equal(nodeAffinity.preScore!(st, nodes), true);
  const scores = nodes.map((n) => nodeAffinity.score!(st, n));
  assert.deepEqual(scores, [40, 10, 0]);
  nodeAffinity.normalizeScore!(st, scores, nodes);
  assert.deepEqual(scores, [100, 25, 0]);
});
