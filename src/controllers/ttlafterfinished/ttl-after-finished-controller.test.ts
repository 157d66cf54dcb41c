import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, rfc3339, silentLogger, systemClock } from '../../util/index.js';
import { TtlAfterFinishedReconciler, ttlRemainingMs } from './index.js';

const signal = new AbortController().signal;
const jobsRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
  const jobs = client.resource(jobsRef);
  const create = async (ttl: number | undefined, finishedAt?: number, name = 'done') => {
    await jobs.create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}), template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
    if (finishedAt === undefined) return;
    const t = rfc3339(finishedAt);
    await jobs.patch(
      name,
      'merge',
      { status: { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: t, lastProbeTime: t, reason: 'CompletionsReached' }, { type: 'Complete', status: 'True', lastTransitionTime: t, lastProbeTime: t, reason: 'CompletionsReached' }] } },
      { namespace: 'default', subresource: 'status' },
    );
  };
  return { client, clock, jobs, create, r: new TtlAfterFinishedReconciler({ client, clock }) };
}

test('a finished Job is kept until its TTL passes, then deleted', async () => {
  const s = await setup();
  await s.create(60, s.clock.now());
  assert.deepEqual(await s.r.reconcile('default/done', signal), { requeueAfterMs: 60_000 });
  s.clock.advance(59_000);
  assert.deepEqual(await s.r.reconcile('default/done', signal), { requeueAfterMs: 1000 });
  s.clock.advance(1000);
  await s.r.reconcile('default/done', signal);
  // Foreground deletion: the Job waits for the garbage collector with the foregroundDeletion finalizer.
  const job = await s.jobs.get('done', { namespace: 'default' }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
  if (job) {
    assert.ok(job.metadata?.deletionTimestamp);
    assert.deepEqual(job.metadata?.finalizers, ['foregroundDeletion']);
  }
});

test('Jobs without a TTL or not finished are left alone', async () => {
  const s = await setup();
  await s.create(undefined, s.clock.now() - 3_600_000);
  assert.equal(await s.r.reconcile('default/done', signal), undefined);
  assert.equal((await s.jobs.get('done', { namespace: 'default' })).metadata?.deletionTimestamp, undefined);
  await s.create(0, undefined, 'running');
  assert.equal(await s.r.reconcile('default/running', signal), undefined);
  assert.equal((await s.jobs.get('running', { namespace: 'default' })).metadata?.deletionTimestamp, undefined);
  assert.equal(await s.r.reconcile('default/missing', signal), undefined);
});

test('the time left counts from the Complete or Failed condition', () => {
  const t = Date.UTC(2026, 0, 1);
  const job = (type: string, status = 'True') => ({ spec: { ttlSecondsAfterFinished: 10, template: {} }, status: { conditions: [{ type, status, lastTransitionTime: rfc3339(t) }] } });
  assert.equal(ttlRemainingMs(job('Complete'), t + 4000), 6000);
  assert.equal(ttlRemainingMs(job('Failed'), t + 11_000), -1000);
  assert.equal(ttlRemainingMs(job('Complete', 'False'), t), undefined);
  assert.equal(ttlRemainingMs(job('FailureTarget'), t), undefined);
});
