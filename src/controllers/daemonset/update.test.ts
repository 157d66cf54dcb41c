import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../history/index.js';
import { historyToDelete, planRollingUpdate, surgeAndUnavailable, type DaemonSet } from './index.js';

const now = Date.parse('2026-11-25T12:00:00Z');
function ds(rollingUpdate: Record<string, unknown>): DaemonSet {
  return { metadata: { name: 'agent', namespace: 'ns' }, spec: { selector: {}, template: {}, updateStrategy: { type: 'RollingUpdate', rollingUpdate } } } as DaemonSet;
}
function pod(name: string, hash: string, ready: boolean): Pod {
  return {
    metadata: { name, namespace: 'ns', labels: { 'controller-revision-hash': hash } },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-11-25T11:00:00Z' }] },
  } as Pod;
}
const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name).sort();

test('maxSurge and maxUnavailable percentages round up against the desired count; both zero becomes one unavailable', () => {
  assert.deepEqual(surgeAndUnavailable(ds({ maxUnavailable: '10%', maxSurge: 0 }), 15), { maxSurge: 0, maxUnavailable: 2 });
  assert.deepEqual(surgeAndUnavailable(ds({ maxUnavailable: 0, maxSurge: '50%' }), 3), { maxSurge: 2, maxUnavailable: 0 });
  assert.deepEqual(surgeAndUnavailable(ds({ maxUnavailable: 0, maxSurge: 0 }), 3), { maxSurge: 0, maxUnavailable: 1 });
});

const cases: { name: string; ru: Record<string, unknown>; nodes: Record<string, Pod[]>; del: string[]; create: string[] }[] = [
  {
    name: 'without surge, old available pods go up to maxUnavailable',
    ru: { maxUnavailable: 1, maxSurge: 0 },
    nodes: { a: [pod('a1', 'old', true)], b: [pod('b1', 'old', true)], c: [pod('c1', 'old', true)] },
    del: ['a1'],
    create: [],
  },
  {
    name: 'without surge, an unavailable new pod uses up the budget',
    ru: { maxUnavailable: 1, maxSurge: 0 },
    nodes: { a: [pod('a2', 'new', false)], b: [pod('b1', 'old', true)] },
    del: [],
    create: [],
  },
  {
    name: 'without surge, unavailable old pods are replaced at once and do not use up the budget',
    ru: { maxUnavailable: 1, maxSurge: 0 },
    nodes: { a: [pod('a1', 'old', false)], b: [pod('b1', 'old', false)], c: [pod('c1', 'old', true)] },
    del: ['a1', 'b1', 'c1'],
    create: [],
  },
  {
    name: 'with surge, a new pod is made beside an available old pod up to maxSurge',
    ru: { maxUnavailable: 0, maxSurge: 1 },
    nodes: { a: [pod('a1', 'old', true)], b: [pod('b1', 'old', true)] },
    del: [],
    create: ['a'],
  },
  {
    name: 'with surge, the old pod goes once the new one is available',
    ru: { maxUnavailable: 0, maxSurge: 1 },
    nodes: { a: [pod('a1', 'old', true), pod('a2', 'new', true)], b: [pod('b1', 'old', true)] },
    del: ['a1'],
    create: ['b'],
  },
  {
    name: 'with surge, an unavailable old pod gets its replacement beyond maxSurge',
    ru: { maxUnavailable: 0, maxSurge: 1 },
    nodes: { a: [pod('a1', 'old', true), pod('a2', 'new', false)], b: [pod('b1', 'old', false)] },
    del: [],
    create: ['b'],
  },
];
for (const c of cases) {
  test(c.name, () => {
    const nodeToPods = new Map(Object.entries(c.nodes));
    const plan = planRollingUpdate({ ds: ds(c.ru), nodeToPods, hash: 'new', nowMs: now, shouldRun: () => true, desired: nodeToPods.size });
    assert.deepEqual(names(plan.deletePods), c.del);
    assert.deepEqual(plan.createOnNodes.sort(), c.create);
  });
}

test('history cleanup deletes the oldest revisions beyond the limit that no pod uses', () => {
  const d = ds({});
  d.spec!.revisionHistoryLimit = 1;
  const rev = (n: number, hash: string) => ({ metadata: { name: `agent-${hash}`, labels: { 'controller-revision-hash': hash } }, revision: n });
  const old = [rev(3, 'c'), rev(1, 'a'), rev(2, 'b')];
  assert.deepEqual(historyToDelete(d, old, [pod('p', 'a', true)]).map((r) => r.revision), [2, 3]);
});
