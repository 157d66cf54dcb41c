import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, rfc3339, silentLogger, systemClock } from '../../util/index.js';
import { MemoryEventRecorder } from '../runtime/index.js';
import { CronJobReconciler, cronJobScheduledTimestampAnnotation, type CronJob, type Job } from './index.js';

const signal = new AbortController().signal;
const minute = 60_000;
// A minute boundary an hour ago: CronJobs' creation times (real clock) are after it, lastScheduleTime pins it.
const t0 = Math.floor((Date.now() - 3_600_000) / minute) * minute;

async function setup(spec: Record<string, unknown>, lastScheduleMs = t0) {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock(t0 + 30_000);
  const recorder = new MemoryEventRecorder();
  const r = new CronJobReconciler({ client, recorder, clock });
  const cronJobs = client.resource<CronJob>({ group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true });
  const jobs = client.resource<Job>({ group: 'batch', version: 'v1', plural: 'jobs', namespaced: true });
  await cronJobs.create({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  } as CronJob);
  await cronJobs.patch('tick', 'merge', { status: { lastScheduleTime: rfc3339(lastScheduleMs) } }, { namespace: 'default', subresource: 'status' });
  const listJobs = async () => (await jobs.list({ namespace: 'default' })).items.sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  const getCronJob = () => cronJobs.get('tick', { namespace: 'default' });
  const reconcile = () => r.reconcile('default/tick', signal);
  const finishJob = async (name: string, type: 'Complete' | 'Failed', at: number) => {
    const t = rfc3339(at);
    const first = type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
    await jobs.patch(
      name,
      'merge',
      { status: { startTime: t, ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }), conditions: [{ type: first, status: 'True', lastTransitionTime: t, lastProbeTime: t }, { type, status: 'True', lastTransitionTime: t, lastProbeTime: t }] } },
      { namespace: 'default', subresource: 'status' },
    );
  };
  return { client, clock, recorder, r, cronJobs, jobs, listJobs, getCronJob, reconcile, finishJob };
}

test('a due schedule creates the Job named after the scheduled minute and lists it as active', async () => {
  const s = await setup({});
  assert.deepEqual(await s.reconcile(), { requeueAfterMs: 30_100 }, 'nothing due yet: wait for the next minute');
  assert.equal((await s.listJobs()).length, 0);
  s.clock.advance(30_000);
  const res = await s.reconcile();
  assert.deepEqual(res, { requeueAfterMs: minute + 100 });
  const [job] = await s.listJobs();
  const cj = await s.getCronJob();
  assert.equal(job!.metadata!.name, `tick-${t0 / minute + 1}`);
  assert.equal(job!.metadata!.annotations![cronJobScheduledTimestampAnnotation], new Date(t0 + minute).toISOString().replace('.000Z', 'Z'));
  assert.equal(job!.metadata!.labels!['app'], 'tick');
  assert.deepEqual(job!.metadata!.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata!.uid!, controller: true, blockOwnerDeletion: true }]);
  assert.equal(job!.spec!.template.spec!.restartPolicy, 'OnFailure');
  assert.equal(cj.status!.lastScheduleTime, rfc3339(t0 + minute));
  assert.deepEqual(
    cj.status!.active!.map((r) => [r.kind, r.name, r.uid]),
    [['Job', job!.metadata!.name, job!.metadata!.uid]],
  );
  assert.deepEqual(s.recorder.events, [{ object: 'CronJob/default/tick', type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${job!.metadata!.name}` }]);
  // The same minute again creates nothing.
  await s.reconcile();
  assert.equal((await s.listJobs()).length, 1);
});

test('a finished Job leaves status.active, sets lastSuccessfulTime, and old Jobs beyond the history limit are deleted', async () => {
  const s = await setup({ successfulJobsHistoryLimit: 1 });
  s.clock.advance(30_000);
  await s.reconcile();
  s.clock.advance(minute);
  await s.reconcile();
  const [first, second] = await s.listJobs();
  await s.finishJob(first!.metadata!.name!, 'Complete', t0 + minute + 10_000);
  await s.finishJob(second!.metadata!.name!, 'Complete', t0 + 2 * minute + 10_000);
  s.clock.advance(20_000);
  await s.reconcile();
  const cj = await s.getCronJob();
  assert.equal(cj.status!.active, undefined);
  assert.equal(cj.status!.lastSuccessfulTime, rfc3339(t0 + 2 * minute + 10_000));
  const names = (await s.listJobs()).map((j) => [j.metadata!.name, !!j.metadata!.deletionTimestamp]);
  assert.ok(!names.some(([n, deleting]) => n === second!.metadata!.name && deleting), 'the newest stays');
  const reasons = s.recorder.events.map((e) => [e.reason, e.message]);
  // History cleanup runs first (and takes the deleted Job out of status.active), then the Jobs are looked at.
  assert.deepEqual(reasons.slice(2), [
    ['SuccessfulDelete', `Deleted job ${first!.metadata!.name}`],
    ['SawCompletedJob', `Saw completed job: ${second!.metadata!.name}, condition: Complete`],
  ]);
});

test('concurrencyPolicy Forbid skips a run while a Job is active', async () => {
  const s = await setup({ concurrencyPolicy: 'Forbid' });
  s.clock.advance(30_000);
  await s.reconcile();
  s.clock.advance(minute);
  await s.reconcile();
  assert.equal((await s.listJobs()).length, 1);
  assert.deepEqual(s.recorder.events.at(-1), { object: 'CronJob/default/tick', type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
});

test('concurrencyPolicy Replace deletes the running Job and starts the new one', async () => {
  const s = await setup({ concurrencyPolicy: 'Replace' });
  s.clock.advance(30_000);
  await s.reconcile();
  const [old] = await s.listJobs();
  s.clock.advance(minute);
  await s.reconcile();
  const cj = await s.getCronJob();
  assert.deepEqual(cj.status!.active!.map((r) => r.name), [`tick-${t0 / minute + 2}`]);
  assert.deepEqual(
    s.recorder.events.slice(1).map((e) => [e.reason, e.message]),
    [
      ['SuccessfulDelete', `Deleted job ${old!.metadata!.name}`],
      ['SuccessfulCreate', `Created job tick-${t0 / minute + 2}`],
    ],
  );
});

test('startingDeadlineSeconds: runs older than the deadline are skipped, a run within it starts', async () => {
  const s = await setup({ schedule: '0 * * * *', startingDeadlineSeconds: 10 }, t0 - 2 * minute);
  s.clock.advance(4 * minute);
  await s.reconcile();
  assert.equal((await s.listJobs()).length, 0);
  const s2 = await setup({ schedule: '*/5 * * * *', startingDeadlineSeconds: 200 }, t0 - 60 * minute);
  const due = Math.ceil((t0 + 30_000) / (5 * minute)) * 5 * minute;
  s2.clock.advance(due - (t0 + 30_000) + 150_000);
  await s2.reconcile();
  assert.deepEqual((await s2.listJobs()).map((j) => j.metadata!.name), [`tick-${due / minute}`]);
});

test('too many missed start times are reported, and the most recent one still runs', async () => {
  const s = await setup({}, t0 - 200 * minute);
  await s.reconcile();
  const [job] = await s.listJobs();
  assert.equal(job!.metadata!.name, `tick-${t0 / minute}`);
  assert.deepEqual(s.recorder.events[0], { object: 'CronJob/default/tick', type: 'Warning', reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew' });
});

test('a suspended CronJob starts nothing', async () => {
  const s = await setup({ suspend: true });
  s.clock.advance(5 * minute);
  assert.equal(await s.reconcile(), undefined);
  assert.equal((await s.listJobs()).length, 0);
});

test('spec.timeZone decides when the schedule fires and how the scheduled time is written', async () => {
  const s = await setup({ schedule: '* * * * *', timeZone: 'Asia/Kolkata' });
  s.clock.advance(30_000);
  await s.reconcile();
  const [job] = await s.listJobs();
  const at = new Date(t0 + minute + 330 * minute).toISOString().slice(0, 19) + '+05:30';
  assert.equal(job!.metadata!.annotations![cronJobScheduledTimestampAnnotation], at);
});

test('an active Job that is gone is dropped from status.active with MissingJob', async () => {
  const s = await setup({ concurrencyPolicy: 'Forbid' });
  s.clock.advance(30_000);
  await s.reconcile();
  const [job] = await s.listJobs();
  await s.jobs.delete(job!.metadata!.name!, { namespace: 'default', propagationPolicy: 'Background' });
  await s.reconcile();
  assert.equal((await s.getCronJob()).status!.active, undefined);
  assert.deepEqual(s.recorder.events.at(-1), { object: 'CronJob/default/tick', type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${job!.metadata!.name}` });
});

test('a Job made by hand from the CronJob (kubectl create job --from) is reported as unexpected', async () => {
  const s = await setup({});
  const cj = await s.getCronJob();
  await s.jobs.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'manual', namespace: 'default', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata!.uid!, controller: true }] },
    spec: cj.spec!.jobTemplate.spec!,
  } as Job);
  await s.reconcile();
  assert.deepEqual(s.recorder.events[0], { object: 'CronJob/default/tick', type: 'Warning', reason: 'UnexpectedJob', message: 'Saw a job that the controller did not create or forgot: manual' });
});
