import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';
import { fitErrorMessage } from './fit-error.js';
import { Framework } from './framework.js';
import { Nominator } from './nominator.js';
import { nodeInfoOf } from './node-info.js';
import { pickOneNodeForPreemption, podEligibleToPreemptOthers, preempt, selectVictimsOnNode, splitByPdbViolation, type Candidate, type PodDisruptionBudgetLike } from './preemption.js';
import { makeNode, makePod } from './testing-support.js';
import type { Node, Pod } from './types.js';

/** A pod with a priority (and optionally a start time, labels, a node). */
function pp(name: string, priority: number, o: { cpu?: string; node?: string; start?: string; labels?: Record<string, string>; spec?: Record<string, unknown> } = {}): Pod {
  const p = makePod(name, { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.node ? { node: o.node } : {}), ...(o.labels ? { labels: o.labels } : {}), spec: { priority, ...o.spec } });
  if (o.start) p.status = { startTime: o.start };
  return p;
}

function pdb(name: string, selector: Record<string, string>, allowed: number, disrupted: string[] = []): PodDisruptionBudgetLike {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: selector } },
    status: { disruptionsAllowed: allowed, disruptedPods: Object.fromEntries(disrupted.map((d) => [d, '2026-01-01T00:00:00Z'])) },
  };
}

/** A cache, the framework over it, and a preemption run for `pod`. */
function run(nodes: Node[], existing: Pod[], pod: Pod, o: { pdbs?: PodDisruptionBudgetLike[]; nominator?: Nominator } = {}) {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of existing) cache.setPod(p);
  const fw = new Framework(cache, o.nominator ? { nominator: o.nominator } : {});
  const r = fw.schedule(pod);
  assert.ok('fitError' in r && r.cycle, 'expected no node to fit');
  const nominated = o.nominator?.nodeOf(`default/${pod.metadata!.name}`);
  const result = preempt({ fitError: r.fitError, cycle: r.cycle, nodes: cache.nodeList(), filterNode: (c, n) => fw.filterNode(c, n), pdbs: o.pdbs ?? [], ...(nominated ? { nominatedNode: nominated } : {}), now: Date.parse('2026-11-25T12:00:00Z'), random: () => 0 });
  return { result, message: fitErrorMessage(r.fitError, 'message' in result ? result.message : '') };
}

const victimCases: { name: string; existing: Pod[]; pod: Pod; pdbs?: PodDisruptionBudgetLike[]; want: string[] | string; violations?: number }[] = [
  {
    name: 'removes only what is needed, keeping the more important pods',
    existing: [pp('low', 1, { cpu: '1' }), pp('mid', 5, { cpu: '1' }), pp('lowest', 0, { cpu: '1' })],
    pod: pp('p', 10, { cpu: '2' }),
    want: ['lowest'],
  },
  {
    name: 'every lower-priority pod when all must go, most important first',
    existing: [pp('a', 1, { cpu: '2' }), pp('b', 3, { cpu: '2' })],
    pod: pp('p', 10, { cpu: '4' }),
    want: ['b', 'a'],
  },
  {
    name: 'pods of equal or higher priority are never victims',
    existing: [pp('same', 10, { cpu: '2' }), pp('higher', 20, { cpu: '1' }), pp('low', 1, { cpu: '1' })],
    pod: pp('p', 10, { cpu: '2' }),
    want: 'Insufficient cpu',
  },
  {
    name: 'no lower-priority pod at all',
    existing: [pp('same', 10, { cpu: '4' })],
    pod: pp('p', 10, { cpu: '1' }),
    want: 'No preemption victims found for incoming pod',
  },
  {
    name: 'among equal priorities the pod that started last goes first',
    existing: [pp('old', 1, { cpu: '2', start: '2026-11-25T10:00:00Z' }), pp('new', 1, { cpu: '2', start: '2026-11-25T11:00:00Z' })],
    pod: pp('p', 10, { cpu: '2' }),
    want: ['new'],
  },
  {
    name: 'PDB-violating pods get their reprieve first',
    existing: [pp('guarded', 1, { cpu: '2', labels: { app: 'db' } }), pp('free', 1, { cpu: '2', start: '2026-11-25T09:00:00Z' })],
    pod: pp('p', 10, { cpu: '2' }),
    pdbs: [pdb('db', { app: 'db' }, 0)],
    want: ['free'],
    violations: 0,
  },
  {
    name: 'a PDB-violating victim is counted when it must go',
    existing: [pp('guarded', 1, { cpu: '4', labels: { app: 'db' } })],
    pod: pp('p', 10, { cpu: '2' }),
    pdbs: [pdb('db', { app: 'db' }, 0)],
    want: ['guarded'],
    violations: 1,
  },
];

for (const c of victimCases) {
  test(`selectVictimsOnNode: ${c.name}`, () => {
    const node = makeNode('n', { cpu: '4' });
    const pods = c.existing.map((p) => ({ ...p, spec: { ...p.spec!, nodeName: 'n' } }));
    const cache = new SchedulerCache();
    cache.setNode(node);
    for (const p of pods) cache.setPod(p);
    const fw = new Framework(cache);
    const r = fw.schedule(c.pod);
    assert.ok('fitError' in r && r.cycle);
    const cycle = r.cycle;
    const out = selectVictimsOnNode({ pod: c.pod, node: nodeInfoOf(node, pods), pdbs: c.pdbs ?? [], fits: (n) => fw.filterNode(cycle, n), now: Date.parse('2026-11-25T12:00:00Z') });
    if (typeof c.want === 'string') {
      assert.ok('status' in out);
      assert.deepEqual(out.status.reasons, [c.want]);
      return;
    }
    assert.ok('victims' in out, JSON.stringify(out));
    assert.deepEqual(out.victims.map((v) => v.metadata?.name), c.want);
    if (c.violations !== undefined) assert.equal(out.pdbViolations, c.violations);
  });
}

test('splitByPdbViolation keeps order, spends the budget pod by pod and skips pods already counted as disrupted', () => {
  const pods = [pp('a', 1, { labels: { app: 'x' } }), pp('b', 1, { labels: { app: 'x' } }), pp('c', 1, { labels: { app: 'y' } }), pp('d', 1)].map((pod) => ({ pod }));
  const { violating, nonViolating } = splitByPdbViolation(pods, [pdb('x', { app: 'x' }, 1), pdb('y', { app: 'y' }, 0, ['c'])]);
  assert.deepEqual(violating.map((p) => p.pod.metadata?.name), ['b']);
  assert.deepEqual(nonViolating.map((p) => p.pod.metadata?.name), ['a', 'c', 'd']);
});

const v = (name: string, priority: number, start?: string) => pp(name, priority, start ? { start } : {});
const pickCases: { name: string; candidates: Candidate[]; want: string }[] = [
  {
    name: 'fewest PDB violations first',
    candidates: [{ node: 'a', victims: [v('a1', 1)], pdbViolations: 1 }, { node: 'b', victims: [v('b1', 5), v('b2', 5)], pdbViolations: 0 }],
    want: 'b',
  },
  {
    name: 'then the lowest priority of the most important victim',
    candidates: [{ node: 'a', victims: [v('a1', 5)], pdbViolations: 0 }, { node: 'b', victims: [v('b1', 3), v('b2', 3), v('b3', 3)], pdbViolations: 0 }],
    want: 'b',
  },
  {
    name: 'then the smallest sum of priorities (negative priorities count as small, not as savings)',
    candidates: [{ node: 'a', victims: [v('a1', -5), v('a2', -5)], pdbViolations: 0 }, { node: 'b', victims: [v('b1', -5)], pdbViolations: 0 }],
    want: 'b',
  },
  {
    name: 'then the fewest victims',
    candidates: [{ node: 'a', victims: [v('a1', 2), v('a2', 0), v('a3', 0)], pdbViolations: 0 }, { node: 'b', victims: [v('b1', 2), v('b2', 0)], pdbViolations: 0 }],
    want: 'b',
  },
  {
    name: 'then the latest start among the most important victims',
    candidates: [
      { node: 'a', victims: [v('a1', 2, '2026-11-25T08:00:00Z')], pdbViolations: 0 },
      { node: 'b', victims: [v('b1', 2, '2026-11-25T09:00:00Z')], pdbViolations: 0 },
    ],
    want: 'b',
  },
  {
    name: 'the first of complete ties',
    candidates: [{ node: 'a', victims: [v('a1', 2, '2026-11-25T08:00:00Z')], pdbViolations: 0 }, { node: 'b', victims: [v('b1', 2, '2026-11-25T08:00:00Z')], pdbViolations: 0 }],
    want: 'a',
  },
];
for (const c of pickCases) test(`pickOneNodeForPreemption: ${c.name}`, () => assert.equal(pickOneNodeForPreemption(c.candidates, Date.parse('2026-11-25T12:00:00Z'))?.node, c.want));

test('podEligibleToPreemptOthers: Never, a terminating victim on the nominated node, and a nominated node now unresolvable', () => {
  assert.equal(podEligibleToPreemptOthers(pp('p', 10, { spec: { preemptionPolicy: 'Never' } }), undefined), 'not eligible due to preemptionPolicy=Never.');
  const victim = pp('v', 1, { node: 'n' });
  victim.metadata!.deletionTimestamp = '2026-11-25T12:00:00Z';
  victim.status = { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] };
  const node = nodeInfoOf(makeNode('n'), [victim]);
  const fit = { code: 'Unschedulable' as const, reasons: ['Insufficient cpu'], plugin: 'NodeResourcesFit' };
  assert.equal(podEligibleToPreemptOthers(pp('p', 10), { status: fit, node }), 'not eligible due to a terminating pod on the nominated node.');
  assert.equal(podEligibleToPreemptOthers(pp('p', 10), { status: { ...fit, code: 'UnschedulableAndUnresolvable' }, node }), undefined);
  assert.equal(podEligibleToPreemptOthers(pp('p', 0), { status: fit, node }), undefined, 'a victim of higher priority is not one of ours');
});

test('preempt picks the node whose victims matter least and keeps the rest', () => {
  const nodes = [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })];
  const existing = [pp('a-mid', 5, { cpu: '2', node: 'a' }), pp('b-low', 1, { cpu: '2', node: 'b' })];
  const { result, message } = run(nodes, existing, pp('p', 10, { cpu: '2' }));
  assert.ok('candidate' in result);
  assert.equal(result.candidate.node, 'b');
  assert.deepEqual(result.candidate.victims.map((x) => x.metadata?.name), ['b-low']);
  assert.equal(message, '0/2 nodes are available: 2 Insufficient cpu.');
});

const failCases: { name: string; nodes: Node[]; existing: Pod[]; pod: Pod; want: string }[] = [
  {
    name: 'nodes whose failure removing pods cannot fix are not tried',
    nodes: [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '8', taints: [{ key: 'k', effect: 'NoSchedule' }] })],
    existing: [pp('x', 10, { cpu: '2', node: 'a' })],
    pod: pp('p', 10, { cpu: '1' }),
    want: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  },
  {
    name: 'a node still too small without its victims reports the filter reason',
    nodes: [makeNode('a', { cpu: '2' })],
    existing: [pp('high', 20, { cpu: '1500m', node: 'a' }), pp('low', 1, { cpu: '500m', node: 'a' })],
    pod: pp('p', 10, { cpu: '1' }),
    want: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
  },
];
for (const c of failCases) test(`preempt without a candidate: ${c.name}`, () => assert.equal(run(c.nodes, c.existing, c.pod).message, c.want));

test('a pod nominated to a node is counted there when filtering pods of lower or equal priority only', () => {
  const nominator = new Nominator();
  nominator.nominate(pp('preemptor', 10, { cpu: '2' }), 'a');
  const nodes = [makeNode('a', { cpu: '2' })];
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  const fw = new Framework(cache, { nominator });
  const low = fw.schedule(pp('low', 5, { cpu: '1' }));
  assert.ok('fitError' in low, 'the room is promised to the preemptor');
  assert.deepEqual(low.fitError.statuses.get('a')?.reasons, ['Insufficient cpu']);
  const high = fw.schedule(pp('high', 20, { cpu: '1' }));
  assert.ok('node' in high && high.node === 'a');
  const self = fw.schedule(pp('preemptor', 10, { cpu: '2' }));
  assert.ok('node' in self && self.node === 'a', 'its own nomination does not block the preemptor');
});

test('a pod whose earlier victims are still terminating does not preempt again', () => {
  const nominator = new Nominator();
  const pod = pp('p', 10, { cpu: '2' });
  nominator.nominate(pod, 'a');
  const victim = pp('v', 1, { cpu: '2', node: 'a' });
  victim.metadata!.deletionTimestamp = '2026-11-25T12:00:00Z';
  victim.status = { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] };
  const { result, message } = run([makeNode('a', { cpu: '2' })], [victim], pod, { nominator });
  assert.deepEqual(result, { message: 'preemption: not eligible due to a terminating pod on the nominated node.', clearNomination: false });
  assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.');
});

test('removing a victim updates the PreFilter data of pod anti-affinity: the pod that repels it preempts it', () => {
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } };
  const { result } = run([makeNode('a')], [pp('x', 1, { node: 'a', labels: { app: 'x' } }), pp('keep', 1, { node: 'a' })], pp('p', 10, { spec: { affinity: anti } }));
  assert.ok('candidate' in result, JSON.stringify(result));
  assert.deepEqual(result.candidate.victims.map((x) => x.metadata?.name), ['x']);
});

test('removing victims updates the PreFilter data of topology spreading: as many go as the skew needs', () => {
  const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 's' } } }] };
  const nodes = [makeNode('a', { cpu: '4' }), makeNode('b', { cpu: '1' })];
  const existing = [
    pp('s1', 1, { node: 'a', labels: { app: 's' }, start: '2026-11-25T08:00:00Z' }),
    pp('s2', 1, { node: 'a', labels: { app: 's' }, start: '2026-11-25T09:00:00Z' }),
    pp('big', 100, { node: 'b', cpu: '1' }),
  ];
  const { result } = run(nodes, existing, pp('p', 10, { cpu: '500m', labels: { app: 's' }, spec: spread }));
  assert.ok('candidate' in result, JSON.stringify(result));
  assert.equal(result.candidate.node, 'a');
  assert.deepEqual(result.candidate.victims.map((x) => x.metadata?.name), ['s1', 's2']);
});

test('a nominated pod with a label counts for the topology spreading of pods of lower priority', () => {
  const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 's' } } }] };
  const nominator = new Nominator();
  nominator.nominate(pp('first', 10, { labels: { app: 's' } }), 'a');
  const cache = new SchedulerCache();
  cache.setNode(makeNode('a'));
  cache.setNode(makeNode('b', { unschedulable: true }));
  const fw = new Framework(cache, { nominator });
  const r = fw.schedule(pp('second', 5, { labels: { app: 's' }, spec: spread }));
  assert.ok('fitError' in r, 'node a already holds the nominated pod of the group');
  assert.equal(r.fitError.statuses.get('a')?.plugin, 'PodTopologySpread');
  assert.ok('node' in fw.schedule(pp('third', 50, { labels: { app: 's' }, spec: spread })), 'a pod of higher priority does not count it');
});
