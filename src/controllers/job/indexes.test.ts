import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexSet } from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { Pod } from './types.js';

const formatCases: { name: string; add: number[]; want: string; total: number }[] = [
  { name: 'nothing is the empty string', add: [], want: '', total: 0 },
  { name: 'a single index', add: [3], want: '3', total: 1 },
  { name: 'two neighbours are written with a comma', add: [3, 4], want: '3,4', total: 2 },
  { name: 'three or more in a row become a range', add: [5, 3, 4, 9], want: '3-5,9', total: 4 },
  { name: 'duplicates count once', add: [1, 1, 2, 2, 3], want: '1-3', total: 3 },
];
for (const c of formatCases)
  test(`index sets: ${c.name}`, () => {
    const s = new IndexSet().with(c.add);
    assert.equal(s.toString(), c.want);
    assert.equal(s.total(), c.total);
  });

test('parsing completed indexes drops what is past completions and malformed parts', () => {
  assert.equal(IndexSet.parse('0,2-4,x,7-9', 8).toString(), '0,2-4,7');
  assert.equal(IndexSet.parse('', 3).total(), 0);
  assert.ok(IndexSet.parse('1-3', 10).has(2));
  assert.equal(IndexSet.parse('1', 10).merge(IndexSet.parse('2-3', 10)).toString(), '1-3');
});

function failedPod(exitCode: number, conditions: { type: string; status: string }[] = [], container = 'main'): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: container, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } }] },
  };
}

const policyCases: { name: string; rules: unknown[]; pod: Pod; want: ReturnType<typeof matchPodFailurePolicy> }[] = [
  { name: 'no rule matches: counted', rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }], pod: failedPod(1), want: { countFailed: true } },
  {
    name: 'FailJob on an exit code',
    rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }],
    pod: failedPod(42),
    want: { countFailed: true, action: 'FailJob', failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0' },
  },
  { name: 'NotIn matches other non-zero codes', rules: [{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } }], pod: failedPod(2), want: { countFailed: true, action: 'Count' } },
  { name: 'exit code 0 never matches', rules: [{ action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [1] } }], pod: failedPod(0), want: { countFailed: true } },
  { name: 'a rule for another container does not match', rules: [{ action: 'Ignore', onExitCodes: { containerName: 'side', operator: 'In', values: [3] } }], pod: failedPod(3), want: { countFailed: true } },
  { name: 'Ignore on a pod condition', rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }], pod: failedPod(1, [{ type: 'DisruptionTarget', status: 'True' }]), want: { countFailed: false, action: 'Ignore' } },
  {
    name: 'FailJob on a pod condition, second rule',
    rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [9] } }, { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
    pod: failedPod(1, [{ type: 'DisruptionTarget', status: 'True' }]),
    want: { countFailed: true, action: 'FailJob', failJobMessage: 'Pod ns/p has condition DisruptionTarget matching FailJob rule at index 1' },
  },
  { name: 'FailIndex counts the failure', rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [5] } }], pod: failedPod(5), want: { countFailed: true, action: 'FailIndex' } },
];
for (const c of policyCases)
  test(`pod failure policy: ${c.name}`, () => {
    assert.deepEqual(matchPodFailurePolicy({ rules: c.rules } as never, c.pod), c.want);
  });
