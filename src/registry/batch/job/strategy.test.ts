import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareCreate } from '../../testing-support/index.js';
import { jobStrategy, type Job } from './strategy.js';

const uid = '0f0e0d0c-0b0a-4908-8706-050403020100';
const base: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
};

test('create fills the defaults and the generated selector and labels as Kubernetes does', () => {
  const job = prepareCreate(jobStrategy, base) as Job;
  const spec = job.spec!;
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, 'NonIndexed');
  assert.equal(spec.suspend, false);
  assert.equal(spec.manualSelector, false);
  assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  const want = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
  assert.deepEqual(spec.template.metadata?.labels, want);
  assert.deepEqual(job.metadata?.labels, want);
});

test('a work-queue Job (parallelism only) keeps completions unset', () => {
  const j = structuredClone(base);
  j.spec!.parallelism = 3;
  const job = prepareCreate(jobStrategy, j) as Job;
  assert.equal(job.spec?.completions, undefined);
  assert.equal(job.spec?.parallelism, 3);
});

const now = Date.parse('2026-01-01T12:00:00Z');
const printed = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => {
  const job = { ...prepareCreate(jobStrategy, base), status } as Job;
  Object.assign(job.spec!, spec);
  Object.assign(job.metadata!, { creationTimestamp: '2026-01-01T11:50:00Z' }, meta);
  return jobStrategy.printer!.row(job, { now }).slice(0, 5);
};

const cases: [string, unknown[], unknown[]][] = [
  [
    'a finished Job shows Complete, 1/1 and the run time',
    printed({ succeeded: 1, startTime: '2026-01-01T11:50:00Z', completionTime: '2026-01-01T11:50:42Z', conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }),
    ['pi', 'Complete', '1/1', '42s', '10m'],
  ],
  ['a running Job counts its duration up to now', printed({ active: 1, startTime: '2026-01-01T11:58:00Z' }), ['pi', 'Running', '0/1', '2m', '10m']],
  ['a failed Job shows Failed', printed({ failed: 7, startTime: '2026-01-01T11:50:00Z', conditions: [{ type: 'Failed', status: 'True' }] }), ['pi', 'Failed', '0/1', '10m', '10m']],
  ['a suspended Job that never started has no duration', printed({ conditions: [{ type: 'Suspended', status: 'True' }] }), ['pi', 'Suspended', '0/1', '', '10m']],
  ['a Job being deleted shows Terminating', printed({}, {}, { deletionTimestamp: '2026-01-01T11:59:00Z' }), ['pi', 'Terminating', '0/1', '', '10m']],
  ['a work queue Job shows "of" its parallelism', printed({ succeeded: 1 }, { completions: undefined, parallelism: 4 }), ['pi', 'Running', '1/1 of 4', '', '10m']],
];
for (const [name, got, want] of cases) test(name, () => assert.deepEqual(got, want));

test('the wide columns show containers, images and the selector', () => {
  const row = jobStrategy.printer!.row(prepareCreate(jobStrategy, base) as Job, { now });
  assert.deepEqual(row.slice(5), ['pi', 'perl:5.34', `batch.kubernetes.io/controller-uid=${uid}`]);
});
