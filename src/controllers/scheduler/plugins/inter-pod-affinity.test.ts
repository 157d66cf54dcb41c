import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleState, makeNode, makePod, nodeInfos } from '../testing-support.js';
import { interPodAffinity } from './inter-pod-affinity.js';

const zone = 'topology.kubernetes.io/zone';
const nodes = () => [makeNode('a1', { labels: { [zone]: 'a' } }), makeNode('a2', { labels: { [zone]: 'a' } }), makeNode('b1', { labels: { [zone]: 'b' } }), makeNode('nozone')];
const term = (labels: Record<string, string>, topologyKey = zone, extra: Record<string, unknown> = {}) => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });
const affinity = (t: unknown) => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } });
const antiAffinity = (t: unknown) => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } });

function feasible(pod: ReturnType<typeof makePod>, existing: ReturnType<typeof makePod>[], nsLabels: Record<string, Record<string, string>> = {}): Record<string, string> {
  const infos = nodeInfos(nodes(), existing);
  const st = cycleState(pod, infos, nsLabels);
  interPodAffinity.preFilter!(st);
  const out: Record<string, string> = {};
  for (const n of infos) out[n.name] = interPodAffinity.filter!(st, n)?.reasons[0] ?? 'fits';
  return out;
}

const noAff = "node(s) didn't match pod affinity rules";
const noAnti = "node(s) didn't match pod anti-affinity rules";
const existingAnti = "node(s) didn't satisfy existing pods anti-affinity rules";

const cases = [
  {
    name: 'required affinity: only the zone with a matching pod fits',
    pod: makePod('p', { spec: affinity(term({ app: 'db' })) }),
    existing: [makePod('db', { node: 'a2', labels: { app: 'db' } })],
    want: { a1: 'fits', a2: 'fits', b1: noAff, nozone: noAff },
  },
  {
    name: 'required affinity: the first pod of a self-affine group may go anywhere with the label',
    pod: makePod('p', { labels: { app: 'web' }, spec: affinity(term({ app: 'web' })) }),
    existing: [],
    want: { a1: 'fits', a2: 'fits', b1: 'fits', nozone: noAff },
  },
  {
    name: 'required affinity: pods of other namespaces do not count',
    pod: makePod('p', { spec: affinity(term({ app: 'db' })) }),
    existing: [makePod('db', { node: 'a1', labels: { app: 'db' }, namespace: 'other' })],
    want: { a1: noAff, a2: noAff, b1: noAff, nozone: noAff },
  },
  {
    name: 'required affinity: namespaceSelector reaches labelled namespaces',
    pod: makePod('p', { spec: affinity(term({ app: 'db' }, zone, { namespaceSelector: { matchLabels: { team: 'x' } } })) }),
    existing: [makePod('db', { node: 'b1', labels: { app: 'db' }, namespace: 'other' })],
    nsLabels: { other: { team: 'x' } },
    want: { a1: noAff, a2: noAff, b1: 'fits', nozone: noAff },
  },
  {
    name: 'required anti-affinity: the zone holding a matching pod is refused',
    pod: makePod('p', { spec: antiAffinity(term({ app: 'web' })) }),
    existing: [makePod('w', { node: 'a1', labels: { app: 'web' } })],
    want: { a1: noAnti, a2: noAnti, b1: 'fits', nozone: 'fits' },
  },
  {
    name: 'required anti-affinity by hostname only refuses the node itself',
    pod: makePod('p', { spec: antiAffinity(term({ app: 'web' }, 'kubernetes.io/hostname')) }),
    existing: [makePod('w', { node: 'a1', labels: { app: 'web' } })],
    want: { a1: noAnti, a2: 'fits', b1: 'fits', nozone: 'fits' },
  },
  {
    name: "an existing pod's anti-affinity keeps matching pods out of its zone",
    pod: makePod('p', { labels: { app: 'web' } }),
    existing: [makePod('w', { node: 'b1', labels: { app: 'web' }, spec: antiAffinity(term({ app: 'web' })) })],
    want: { a1: 'fits', a2: 'fits', b1: existingAnti, nozone: 'fits' },
  },
];

for (const c of cases) test(`InterPodAffinity filter: ${c.name}`, () => assert.deepEqual(feasible(c.pod, c.existing, c.nsLabels), c.want));

test('InterPodAffinity scores preferred affinity up and preferred anti-affinity down, normalized between min and max', () => {
  const pod = makePod('p', {
    spec: {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({ app: 'cache' }) }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ app: 'web' }, 'kubernetes.io/hostname') }] },
      },
    },
  });
  const infos = nodeInfos(nodes(), [makePod('c', { node: 'a1', labels: { app: 'cache' } }), makePod('w', { node: 'a1', labels: { app: 'web' } })]);
  const st = cycleState(pod, infos);
  assert.equal(interPodAffinity.preScore!(st, infos), true);
  const scores = infos.map((n) => interPodAffinity.score!(st, n));
  assert.deepEqual(scores, [5, 10, 0, 0]);
  interPodAffinity.normalizeScore!(st, scores, infos);
  assert.deepEqual(scores, [50, 100, 0, 0]);
});

test("InterPodAffinity scores an existing pod's required affinity to the incoming pod", () => {
  const infos = nodeInfos(nodes(), [makePod('x', { node: 'b1', spec: affinity(term({ app: 'web' })) })]);
  const st = cycleState(makePod('p', { labels: { app: 'web' } }), infos);
  assert.equal(interPodAffinity.preScore!(st, infos), true);
  assert.deepEqual(infos.map((n) => interPodAffinity.score!(st, n)), [0, 0, 1, 0]);
});

test('InterPodAffinity skips scoring when no pod has affinity terms', () => {
  const infos = nodeInfos(nodes(), [makePod('x', { node: 'b1' })]);
  assert.equal(interPodAffinity.preScore!(cycleState(makePod('p'), infos), infos), false);
});

test('the first pod of a self-affine group still needs every topology label of its terms', () => {
  const spec = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }), term({ app: 'web' }, 'rack')] } } };
  assert.deepEqual(feasible(makePod('p', { labels: { app: 'web' }, spec }), []), { a1: noAff, a2: noAff, b1: noAff, nozone: noAff });
});
