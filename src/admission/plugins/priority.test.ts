import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { StatusError } from '../../machinery/index.js';
import { attrs, MemoryLookup, runPlugin, testDeps } from '../testing-support.js';
import { priorityPlugin } from './priority.js';

const pcs = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };
const classes = (extra: KubeObject[] = []) =>
  new MemoryLookup(
    [
      { metadata: { name: 'system-node-critical' }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' },
      { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' },
      ...extra,
    ].map((obj) => ({ ref: pcs, obj })),
  );

function pod(spec: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'a', image: 'x' }], ...spec } };
}

const cases: { name: string; lookup: MemoryLookup; spec: Record<string, unknown>; want?: Record<string, unknown>; message?: string }[] = [
  { name: 'no class and no default: priority 0, PreemptLowerPriority', lookup: classes(), spec: {}, want: { priority: 0, preemptionPolicy: 'PreemptLowerPriority' } },
  { name: 'a named class gives its value and policy', lookup: classes(), spec: { priorityClassName: 'high' }, want: { priority: 1000, preemptionPolicy: 'Never', priorityClassName: 'high' } },
  { name: 'a system class', lookup: classes(), spec: { priorityClassName: 'system-node-critical' }, want: { priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' } },
  {
    name: 'the globalDefault class is used when none is named',
    lookup: classes([{ metadata: { name: 'normal' }, value: 10, globalDefault: true }]),
    spec: {},
    want: { priority: 10, priorityClassName: 'normal', preemptionPolicy: 'PreemptLowerPriority' },
  },
  { name: 'an unknown class is refused', lookup: classes(), spec: { priorityClassName: 'nope' }, message: 'pods "p" is forbidden: no PriorityClass with name nope was found' },
  {
    name: 'a priority that disagrees with the class is refused',
    lookup: classes(),
    spec: { priorityClassName: 'high', priority: 5 },
    message: 'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  },
];
for (const c of cases) {
  test(`Priority: ${c.name}`, async () => {
    const p = pod(c.spec);
    const run = runPlugin(priorityPlugin(testDeps(c.lookup)), attrs({ resource: 'pods', namespace: 'ns', object: p }));
    if (c.message) return void (await assert.rejects(run, (e: unknown) => e instanceof StatusError && e.code === 403 && e.message === c.message));
    await run;
    const spec = p['spec'] as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.want!)) assert.equal(spec[k], v, k);
  });
}

test('Priority: a second globalDefault class is refused', async () => {
  const lookup = classes([{ metadata: { name: 'normal' }, value: 10, globalDefault: true }]);
  const a = attrs({ resource: 'priorityclasses', group: 'scheduling.k8s.io', object: { metadata: { name: 'other' }, value: 5, globalDefault: true } });
  await assert.rejects(runPlugin(priorityPlugin(testDeps(lookup)), a), /priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass normal is already marked as default. Only one default can exist/);
});

test('Priority: an update keeps the priority set on create', async () => {
  const old = pod({ priority: 1000, preemptionPolicy: 'Never' });
  const next = pod({});
  await runPlugin(priorityPlugin(testDeps(classes())), attrs({ operation: 'UPDATE', name: 'p', resource: 'pods', namespace: 'ns', object: next, oldObject: old }));
  assert.equal((next['spec'] as Record<string, unknown>)['priority'], 1000);
});
