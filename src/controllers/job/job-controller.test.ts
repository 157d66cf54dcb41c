import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { MemoryEventRecorder } from '../runtime/index.js';
import { JobReconciler, jobCompletionIndexAnnotation, jobTrackingFinalizer, resources, type Job, type Pod } from './index.js';

const signal = new AbortController().signal;

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
  const recorder = new MemoryEventRecorder();
  const r = new JobReconciler({ client, recorder, clock });
  const jobs = client.resource<Job>(resources.jobs);
  const pods = client.resource<Pod>(resources.pods);
  const listPods = async () => (await pods.list({ namespace: 'default' })).items.sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  const getJob = (name = 'pi') => jobs.get(name, { namespace: 'default' });
  const reconcile = (name = 'pi') => r.reconcile(`default/${name}`, signal);
  /** Moves a pod to a terminal phase as a kubelet would, with its container's exit code. */
  const finish = async (pod: Pod, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Succeeded' ? 0 : 1) => {
    const at = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await pods.patch(
      pod.metadata!.name!,
      'merge',
      { status: { phase, containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, started: false, state: { terminated: { exitCode, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: at, finishedAt: at } } }] } },
      { namespace: 'default', subresource: 'status' },
    );
  };
  const create = (spec: Record<string, unknown>, name = 'pi') =>
    jobs.create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec } } as Job);
  return { client, clock, recorder, r, jobs, pods, listPods, getJob, reconcile, finish, create };
}

function condition(job: Job, type: string) {
  return job.status?.conditions?.find((c) => c.type === type);
}

test('a Job creates its pods from the template with the tracking finalizer and a controller reference', async () => {
  const s = await setup();
  await s.create({ parallelism: 2, completions: 4 });
  await s.reconcile();
  const pods = await s.listPods();
  assert.equal(pods.length, 2);
  const job = await s.getJob();
  for (const p of pods) {
    assert.match(p.metadata!.name!, /^pi-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata!.finalizers, [jobTrackingFinalizer]);
    assert.deepEqual(p.metadata!.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: job.metadata!.uid!, controller: true, blockOwnerDeletion: true }]);
    assert.equal(p.metadata!.labels!['batch.kubernetes.io/job-name'], 'pi');
    assert.equal(p.metadata!.labels!['batch.kubernetes.io/controller-uid'], job.metadata!.uid);
  }
  assert.equal(job.status!.active, 2);
  assert.equal(job.status!.ready, 0);
  assert.equal(job.status!.terminating, 0);
  assert.ok(job.status!.startTime);
  assert.deepEqual(
    s.recorder.events.map((e) => [e.reason, e.message.replace(/pi-\w+$/, 'pi-x')]),
    [
      ['SuccessfulCreate', 'Created pod: pi-x'],
      ['SuccessfulCreate', 'Created pod: pi-x'],
    ],
  );
});

test('a Job completes through SuccessCriteriaMet and Complete once its pods succeeded, and their finalizers go', async () => {
  const s = await setup();
  await s.create({});
  await s.reconcile();
  const [pod] = await s.listPods();
  await s.finish(pod!, 'Succeeded');
  await s.reconcile();
  const job = await s.getJob();
  assert.equal(job.status!.succeeded, 1);
  assert.equal(job.status!.active, 0);
  assert.deepEqual(job.status!.uncountedTerminatedPods ?? {}, {});
  assert.deepEqual(
    job.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ],
  );
  assert.ok(job.status!.completionTime);
  assert.deepEqual((await s.listPods())[0]!.metadata!.finalizers ?? [], []);
  assert.deepEqual(s.recorder.events.at(-1), { object: 'Job/default/pi', type: 'Normal', reason: 'Completed', message: 'Job completed' });
});

test('completions beyond parallelism are reached by creating pods as others succeed', async () => {
  const s = await setup();
  await s.create({ completions: 3, parallelism: 2 });
  await s.reconcile();
  for (const p of await s.listPods()) await s.finish(p, 'Succeeded');
  await s.reconcile();
  let job = await s.getJob();
  assert.equal(job.status!.succeeded, 2);
  assert.equal(job.status!.active, 1, 'only one completion left');
  const running = (await s.listPods()).filter((p) => !p.status?.phase || p.status.phase === 'Pending');
  assert.equal(running.length, 1);
  await s.finish(running[0]!, 'Succeeded');
  await s.reconcile();
  job = await s.getJob();
  assert.equal(job.status!.succeeded, 3);
  assert.equal(condition(job, 'Complete')?.status, 'True');
});

test('a failed pod is replaced after the back-off delay, and the Job fails past backoffLimit', async () => {
  const s = await setup();
  await s.create({ backoffLimit: 1 });
  await s.reconcile();
  await s.finish((await s.listPods())[0]!, 'Failed');
  const res = await s.reconcile();
  assert.deepEqual(res, { requeueAfterMs: 10_000 }, 'the first failure waits 10 s');
  let job = await s.getJob();
  assert.equal(job.status!.failed, 1);
  assert.equal(job.status!.active, 0);
  assert.equal((await s.listPods()).length, 1, 'no replacement yet');
  s.clock.advance(10_000);
  await s.reconcile();
  const pods = await s.listPods();
  assert.equal(pods.length, 2);
  const fresh = pods.find((p) => p.status?.phase !== 'Failed')!;
  s.clock.advance(1000);
  await s.finish(fresh, 'Failed');
  await s.reconcile();
  job = await s.getJob();
  assert.equal(job.status!.failed, 2);
  assert.deepEqual(
    job.status!.conditions!.map((c) => [c.type, c.reason, c.message]),
    [
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ],
  );
  assert.equal(job.status!.completionTime, undefined);
  assert.deepEqual(s.recorder.events.at(-1), { object: 'Job/default/pi', type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
});

test('the back-off doubles with each failure since the last success', async () => {
  const { remainingBackoffMs } = await import('./backoff.js');
  const cases: [number, number][] = [
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [7, 600_000],
    [12, 600_000],
  ];
  for (const [failures, want] of cases) assert.equal(remainingBackoffMs(1000, failures, 1000), want, `${failures} failures`);
  assert.equal(remainingBackoffMs(16_000, 1, 1000), 0);
  assert.equal(remainingBackoffMs(5000, 1, 1000), 6000);
});

test('activeDeadlineSeconds stops running pods and fails the Job with DeadlineExceeded', async () => {
  const s = await setup();
  await s.create({ activeDeadlineSeconds: 30, parallelism: 2, completions: 2 });
  const first = await s.reconcile();
  assert.deepEqual(first, { requeueAfterMs: 30_000 });
  s.clock.advance(30_000);
  await s.reconcile();
  // Pods that never ran are deleted at once when their finalizer goes.
  let job = await s.getJob();
  assert.equal(condition(job, 'FailureTarget')?.reason, 'DeadlineExceeded');
  if (!condition(job, 'Failed')) await s.reconcile();
  job = await s.getJob();
  assert.deepEqual([condition(job, 'Failed')?.reason, condition(job, 'Failed')?.message], ['DeadlineExceeded', 'Job was active longer than specified deadline']);
  assert.equal(job.status!.failed, 2);
  assert.equal(job.status!.active, 0);
  assert.equal((await s.listPods()).length, 0);
});

test('a FailJob rule of the pod failure policy fails the Job with the matching container in the message', async () => {
  const s = await setup();
  await s.create({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } });
  await s.reconcile();
  const pod = (await s.listPods())[0]!;
  await s.finish(pod, 'Failed', 42);
  await s.reconcile();
  if (!condition(await s.getJob(), 'Failed')) await s.reconcile();
  const job = await s.getJob();
  const msg = `Container c for pod default/${pod.metadata!.name} failed with exit code 42 matching FailJob rule at index 0`;
  assert.deepEqual([condition(job, 'FailureTarget')?.reason, condition(job, 'FailureTarget')?.message], ['PodFailurePolicy', msg]);
  assert.deepEqual([condition(job, 'Failed')?.reason, condition(job, 'Failed')?.message], ['PodFailurePolicy', msg]);
});

test('an Ignore rule does not count the failure; the pod is replaced after the back-off', async () => {
  const s = await setup();
  await s.create({ backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
  await s.reconcile();
  const pod = (await s.listPods())[0]!;
  await s.pods.patch(pod.metadata!.name!, 'merge', { status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] } }, { namespace: 'default', subresource: 'status' });
  await s.reconcile();
  s.clock.advance(10_000);
  await s.reconcile();
  const job = await s.getJob();
  assert.equal(job.status!.failed ?? 0, 0);
  assert.equal(condition(job, 'FailureTarget'), undefined);
  assert.equal(job.status!.active, 1);
  assert.equal((await s.listPods()).length, 2);
});

test('an Indexed Job gives each pod its index (annotation, label, hostname, env) and records completed indexes', async () => {
  const s = await setup();
  await s.create({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
  await s.reconcile();
  const pods = await s.listPods();
  const byIndex = new Map(pods.map((p) => [p.metadata!.annotations![jobCompletionIndexAnnotation], p]));
  assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
  const p1 = byIndex.get('1')!;
  assert.match(p1.metadata!.name!, /^pi-1-[a-z0-9]{5}$/);
  assert.equal(p1.metadata!.labels![jobCompletionIndexAnnotation], '1');
  assert.equal(p1.spec!.hostname, 'pi-1');
  assert.deepEqual(p1.spec!.containers[0]!.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
  await s.finish(byIndex.get('0')!, 'Succeeded');
  await s.finish(byIndex.get('2')!, 'Succeeded');
  await s.reconcile();
  const job = await s.getJob();
  assert.equal(job.status!.completedIndexes, '0,2');
  assert.equal(job.status!.succeeded, 2);
  assert.equal(job.status!.active, 1);
});

test('backoffLimitPerIndex marks an index failed and the Job fails with FailedIndexes once every index is done', async () => {
  const s = await setup();
  await s.create({ completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 0 });
  await s.reconcile();
  const pods = await s.listPods();
  const byIndex = new Map(pods.map((p) => [p.metadata!.annotations![jobCompletionIndexAnnotation], p]));
  assert.equal(byIndex.get('0')!.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count'], '0');
  await s.finish(byIndex.get('0')!, 'Failed');
  await s.reconcile();
  let job = await s.getJob();
  assert.equal(job.status!.failedIndexes, '0');
  assert.equal(condition(job, 'FailureTarget'), undefined, 'index 1 still runs');
  await s.finish(byIndex.get('1')!, 'Succeeded');
  await s.reconcile();
  if (!condition(await s.getJob(), 'Failed')) await s.reconcile();
  job = await s.getJob();
  assert.equal(job.status!.completedIndexes, '1');
  assert.deepEqual([condition(job, 'Failed')?.reason, condition(job, 'Failed')?.message], ['FailedIndexes', 'Job has failed indexes']);
});

test('a suspended Job runs no pods and says so; resuming starts them', async () => {
  const s = await setup();
  await s.create({ suspend: true });
  await s.reconcile();
  assert.equal((await s.listPods()).length, 0);
  let job = await s.getJob();
  assert.deepEqual([condition(job, 'Suspended')?.status, condition(job, 'Suspended')?.reason, condition(job, 'Suspended')?.message], ['True', 'JobSuspended', 'Job suspended']);
  assert.equal(job.status!.startTime, undefined);
  await s.jobs.patch('pi', 'merge', { spec: { suspend: false } }, { namespace: 'default' });
  await s.reconcile();
  job = await s.getJob();
  assert.deepEqual([condition(job, 'Suspended')?.status, condition(job, 'Suspended')?.reason], ['False', 'JobResumed']);
  assert.equal((await s.listPods()).length, 1);
  assert.deepEqual(
    s.recorder.events.map((e) => e.reason),
    ['Suspended', 'SuccessfulCreate', 'Resumed'],
  );
});

test('pods of a deleted Job lose their tracking finalizer', async () => {
  const s = await setup();
  await s.create({});
  await s.reconcile();
  await s.jobs.delete('pi', { namespace: 'default', propagationPolicy: 'Background' });
  await assert.rejects(s.getJob(), isNotFound);
  await s.reconcile();
  assert.deepEqual((await s.listPods())[0]!.metadata!.finalizers ?? [], []);
});

test('a work-queue Job (no completions) completes when one pod succeeded and the others stopped', async () => {
  const s = await setup();
  await s.create({ parallelism: 2 });
  await s.reconcile();
  const [a, b] = await s.listPods();
  await s.finish(a!, 'Succeeded');
  await s.reconcile();
  assert.equal(condition(await s.getJob(), 'Complete'), undefined, 'one pod still runs');
  await s.finish(b!, 'Succeeded');
  await s.reconcile();
  const job = await s.getJob();
  assert.equal(condition(job, 'Complete')?.status, 'True');
  assert.equal(job.status!.succeeded, 2);
});

test('the controller follows pod changes through its informers until the Job completes', async () => {
  const { SharedInformerFactory } = await import('../runtime/index.js');
  const { newJobController } = await import('./index.js');
  const s = await setup();
  const factory = new SharedInformerFactory({ client: s.client });
  const controller = newJobController(factory, { client: s.client, recorder: s.recorder, clock: s.clock, workers: 2 });
  const stop = new AbortController();
  factory.start(stop.signal);
  const running = controller.run(stop.signal);
  try {
    await s.create({ completions: 3, parallelism: 3 });
    let pods: Pod[] = [];
    for (let i = 0; i < 200 && pods.length < 3; i++) {
      pods = await s.listPods();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(pods.length, 3);
    for (const p of pods) await s.finish(p, 'Succeeded');
    let job = await s.getJob();
    for (let i = 0; i < 2000 && !condition(job, 'Complete'); i++) {
      await new Promise((r) => setImmediate(r));
      if (i % 20 === 0) job = await s.getJob();
    }
    assert.equal(condition(job, 'Complete')?.status, 'True');
    assert.equal(job.status!.succeeded, 3);
  } finally {
    stop.abort();
    await running;
  }
});

test('podReplacementPolicy Failed waits for a terminating pod to fail before replacing it', async () => {
  const s = await setup();
  await s.jobs.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: { podReplacementPolicy: 'Failed', template: { spec: { nodeName: 'node-1', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  } as Job);
  await s.reconcile();
  const [pod] = await s.listPods();
  await s.pods.delete(pod!.metadata!.name!, { namespace: 'default' });
  await s.reconcile();
  let job = await s.getJob();
  assert.equal((await s.listPods()).length, 1, 'no replacement while it terminates');
  assert.deepEqual([job.status!.active, job.status!.terminating], [0, 1]);
  await s.finish(pod!, 'Failed');
  await s.reconcile();
  s.clock.advance(10_000);
  await s.reconcile();
  job = await s.getJob();
  assert.equal(job.status!.failed, 1);
  assert.equal(job.status!.active, 1);
  assert.equal(job.status!.terminating, 0);
});

test('a Job managed by another controller (spec.managedBy) is left alone', async () => {
  const s = await setup();
  await s.create({ managedBy: 'example.com/other' });
  await s.reconcile();
  assert.equal((await s.listPods()).length, 0);
  assert.equal((await s.getJob()).status?.startTime, undefined);
});

test('a met success policy ends an Indexed Job early: SuccessCriteriaMet, the rest stopped, then Complete', async () => {
  const s = await setup();
  await s.create({ completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } });
  await s.reconcile();
  const zero = (await s.listPods()).find((p) => p.metadata!.annotations![jobCompletionIndexAnnotation] === '0')!;
  await s.finish(zero, 'Succeeded');
  await s.reconcile();
  if (!condition(await s.getJob(), 'Complete')) await s.reconcile();
  const job = await s.getJob();
  assert.deepEqual([condition(job, 'SuccessCriteriaMet')?.reason, condition(job, 'SuccessCriteriaMet')?.message], ['SuccessPolicy', 'Matched rules at index 0']);
  assert.deepEqual([condition(job, 'Complete')?.reason, condition(job, 'Complete')?.message], ['SuccessPolicy', 'Matched rules at index 0']);
  assert.equal(job.status!.completedIndexes, '0');
  assert.equal(job.status!.failed ?? 0, 0, 'stopped pods are not failures');
  assert.deepEqual((await s.listPods()).map((p) => p.metadata!.annotations![jobCompletionIndexAnnotation]), ['0']);
});

test('an orphan pod matching the selector is adopted with the tracking finalizer and counts', async () => {
  const s = await setup();
  const job = await s.create({ parallelism: 1, completions: 1, suspend: true });
  const labels = job.spec!.template.metadata!.labels!;
  await s.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels, finalizers: ['example.com/keep'] }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  await s.jobs.patch('pi', 'merge', { spec: { suspend: false } }, { namespace: 'default' });
  await s.reconcile();
  const pods = await s.listPods();
  assert.equal(pods.length, 1, 'the adopted pod is enough');
  assert.equal(pods[0]!.metadata!.ownerReferences![0]!.uid, job.metadata!.uid);
  assert.deepEqual([...pods[0]!.metadata!.finalizers!].sort(), [jobTrackingFinalizer, 'example.com/keep']);
});
