import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { createErrors, prepareCreate } from '../../testing-support/index.js';
import { cronJobStrategy, type CronJob } from './strategy.js';

const base: CronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hello', namespace: 'default', creationTimestamp: '2026-01-01T10:00:00Z' },
  spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.36' }] } } } } },
};

test('defaults are Allow, not suspended, 3 successful and 1 failed Job kept', () => {
  const cj = prepareCreate(cronJobStrategy, base) as CronJob;
  assert.equal(cj.spec?.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec?.suspend, false);
  assert.equal(cj.spec?.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec?.failedJobsHistoryLimit, 1);
});

test('a bad schedule is reported with the parser message', () => {
  const bad = structuredClone(base);
  bad.spec!.schedule = '* * *';
  assert.deepEqual(createErrors(cronJobStrategy, bad).map(fieldErrorMessage), ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]']);
});

const now = Date.parse('2026-01-01T12:00:00Z');
const cases: [string, Partial<CronJob>, unknown[]][] = [
  ['a fresh CronJob', {}, ['hello', '*/1 * * * *', '<none>', 'False', 0, '<none>', '120m']],
  [
    'a CronJob with a running Job and a time zone',
    { status: { active: [{ name: 'hello-29000000' }], lastScheduleTime: '2026-01-01T11:59:00Z' } },
    ['hello', '*/1 * * * *', 'Europe/Berlin', 'False', 1, '60s', '120m'],
  ],
];
for (const [name, extra, want] of cases) {
  test(`the printer shows ${name} as kubectl does`, () => {
    const cj = { ...(prepareCreate(cronJobStrategy, base) as CronJob), ...extra } as CronJob;
    if (extra.status) cj.spec!.timeZone = 'Europe/Berlin';
    const row = cronJobStrategy.printer!.row(cj, { now });
    assert.deepEqual(row.slice(0, 7), want);
    assert.deepEqual(row.slice(7), ['hello', 'busybox:1.36', '<none>']);
  });
}

test('the wide Selector cell formats the job template selector as kubectl does (FormatLabelSelector)', () => {
  const cj = prepareCreate(cronJobStrategy, base) as CronJob;
  cj.spec!.jobTemplate.spec!.selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
  assert.equal(cronJobStrategy.printer!.row(cj, { now })[9], 'app=x,tier in (a,b)');
  cj.spec!.jobTemplate.spec!.selector = {};
  assert.equal(cronJobStrategy.printer!.row(cj, { now })[9], '<none>');
});
