import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleState, makeNode, makePod, nodeInfos } from '../testing-support.js';
import { countMatching, podTopologySpread } from './pod-topology-spread.js';

const zone = 'topology.kubernetes.io/zone';
const nodes = () => [makeNode('a1', { labels: { [zone]: 'a' } }), makeNode('a2', { labels: { [zone]: 'a' } }), makeNode('b1', { labels: { [zone]: 'b' } }), makeNode('nozone')];
const web = { app: 'web' };
const constraint = (o: Record<string, unknown> = {}) => ({ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: web }, ...o });
const spread = (...cs: unknown[]) => ({ topologySpreadConstraints: cs });

function feasible(pod: ReturnType<typeof makePod>, existing: ReturnType<typeof makePod>[]): Record<string, string> {
  const infos = nodeInfos(nodes(), existing);
  const st = cycleState(pod, infos);
  podTopologySpread.preFilter!(st);
  const out: Record<string, string> = {};
  for (const n of infos) out[n.name] = podTopologySpread.filter!(st, n)?.reasons[0] ?? 'fits';
  return out;
}

const skew = "node(s) didn't match pod topology spread constraints";
const missing = "node(s) didn't match pod topology spread constraints (missing required label)";
const w = (name: string, node: string, labels: Record<string, string> = web) => makePod(name, { node, labels });

const cases = [
  { name: 'an empty cluster takes the pod anywhere with the label', pod: makePod('p', { labels: web, spec: spread(constraint()) }), existing: [], want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: missing } },
  { name: 'the fuller zone is refused at maxSkew 1', pod: makePod('p', { labels: web, spec: spread(constraint()) }), existing: [w('x', 'a1')], want: { a1: skew, a2: skew, b1: 'fits', nozone: missing } },
  { name: 'maxSkew 2 allows one more', pod: makePod('p', { labels: web, spec: spread(constraint({ maxSkew: 2 })) }), existing: [w('x', 'a1')], want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: missing } },
  { name: 'pods not matching the selector do not count', pod: makePod('p', { labels: web, spec: spread(constraint()) }), existing: [w('x', 'a1', { app: 'db' })], want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: missing } },
  {
    name: 'minDomains above the number of domains makes the global minimum 0',
    pod: makePod('p', { labels: web, spec: spread(constraint({ minDomains: 3 })) }),
    existing: [w('x', 'b1')],
    want: { a1: 'fits', a2: 'fits', b1: skew, nozone: missing },
  },
  {
    name: 'nodes outside the pod node affinity do not form domains (nodeAffinityPolicy Honor)',
    pod: makePod('p', { labels: web, spec: { nodeSelector: { [zone]: 'a' }, ...spread(constraint()) } }),
    // Counting zone b (no pods) would make the minimum 0 and refuse zone a.
    existing: [w('x', 'a1'), w('y', 'a2')],
    want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: missing },
  },
  {
    name: 'matchLabelKeys narrows the selector to pods with the same label value',
    pod: makePod('p', { labels: { ...web, rev: '2' }, spec: spread(constraint({ matchLabelKeys: ['rev'] })) }),
    existing: [w('x', 'a1', { ...web, rev: '1' }), w('y', 'a2', { ...web, rev: '1' })],
    want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: missing },
  },
  { name: 'ScheduleAnyway constraints never filter', pod: makePod('p', { labels: web, spec: spread(constraint({ whenUnsatisfiable: 'ScheduleAnyway' })) }), existing: [w('x', 'a1')], want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: 'fits' } },
];

for (const c of cases) test(`PodTopologySpread filter: ${c.name}`, () => assert.deepEqual(feasible(c.pod, c.existing), c.want));

test('PodTopologySpread scores emptier domains higher and ignores nodes without the key', () => {
  const infos = nodeInfos(nodes(), [w('x', 'a1'), w('y', 'a2')]);
  const st = cycleState(makePod('p', { labels: web, spec: spread(constraint({ whenUnsatisfiable: 'ScheduleAnyway' })) }), infos);
  assert.equal(podTopologySpread.preScore!(st, infos), true);
  const scores = infos.map((n) => podTopologySpread.score!(st, n));
  // Two domains: weight log(4); zone a has 2 pods → round(2·1.386) = 3, zone b 0.
  assert.deepEqual(scores, [3, 3, 0, 0]);
  podTopologySpread.normalizeScore!(st, scores, infos);
  assert.deepEqual(scores, [0, 0, 100, 0]);
});

test('PodTopologySpread by hostname spreads over nodes', () => {
  const infos = nodeInfos(nodes(), [w('x', 'a1'), w('y', 'a1'), w('z', 'b1')]);
  const st = cycleState(makePod('p', { labels: web, spec: spread(constraint({ whenUnsatisfiable: 'ScheduleAnyway', topologyKey: 'kubernetes.io/hostname' })) }), infos);
  assert.equal(podTopologySpread.preScore!(st, infos), true);
  const scores = infos.map((n) => podTopologySpread.score!(st, n));
  podTopologySpread.normalizeScore!(st, scores, infos);
  assert.ok(scores[1]! > scores[2]! && scores[2]! > scores[0]!, `emptier nodes first: ${scores.join(',')}`);
  assert.equal(scores[1], 100);
});

test('PodTopologySpread skips scoring without ScheduleAnyway constraints', () => {
  const infos = nodeInfos(nodes());
  assert.equal(podTopologySpread.preScore!(cycleState(makePod('p'), infos), infos), false);
});

test('without constraints of its own a pod is spread by the system defaults over its group (hostname, maxSkew 3)', () => {
  const infos = nodeInfos(nodes(), [w('x', 'a1'), w('y', 'a1'), w('z', 'b1'), makePod('other', { node: 'a2', labels: { app: 'db' } })]);
  const st = cycleState(makePod('p', { labels: web }), infos);
  st.defaultSpreadSelector = () => ({ requirements: [{ key: 'app', operator: '=', values: ['web'] }] });
  assert.equal(podTopologySpread.preScore!(st, infos), true);
  const scores = infos.map((n) => podTopologySpread.score!(st, n));
  podTopologySpread.normalizeScore!(st, scores, infos);
  // Hostname (weight ln 6) and zone (weight ln 4, zone a holds 2, zone b 1) both count; a node without a zone
  // label is not ignored under the defaults, it only misses the zone term: a1 12, a2 9, b1 9, nozone 2.
  assert.deepEqual(scores, [16, 41, 41, 100]);
});

test('a pod without constraints and without a group is not scored by spreading', () => {
  const infos = nodeInfos(nodes());
  const st = cycleState(makePod('p', { labels: web }), infos);
  st.defaultSpreadSelector = () => undefined;
  assert.equal(podTopologySpread.preScore!(st, infos), false);
});

test('matching pods are counted through the label index and the full selector', () => {
  const infos = nodeInfos([makeNode('n')], [w('x', 'n', { app: 'web', tier: 'a' }), w('y', 'n', { app: 'web', tier: 'b' }), w('z', 'n', { app: 'db' })]);
  const st = cycleState(makePod('p', { labels: web }), infos);
  const sel = (requirements: { key: string; operator: 'in' | '=' | 'exists'; values: string[] }[]) => ({ maxSkew: 1, topologyKey: 'x', selector: { requirements }, minDomains: 1, honorNodeAffinity: true, honorTaints: false });
  assert.equal(countMatching(st, sel([{ key: 'app', operator: '=', values: ['web'] }]), infos[0]!), 2);
  assert.equal(countMatching(st, sel([{ key: 'app', operator: '=', values: ['web'] }, { key: 'tier', operator: 'in', values: ['b'] }]), infos[0]!), 1);
  assert.equal(countMatching(st, sel([{ key: 'tier', operator: 'exists', values: [] }]), infos[0]!), 2);
  assert.equal(countMatching(st, sel([{ key: 'app', operator: '=', values: ['none'] }]), infos[0]!), 0);
});
