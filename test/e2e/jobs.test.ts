// Jobs and CronJobs end to end with kubectl 1.32: a Job runs to Complete, a failing Job hits its backoffLimit
// (BackoffLimitExceeded in describe), a Job made from a CronJob completes, a `* * * * *` CronJob fires, and a
// finished Job with ttlSecondsAfterFinished goes away. Pods run on kin's simulated node; the kin.dev/exit-after and
// kin.dev/exit-code pod annotations make their containers exit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const template = (annotations: Record<string, string>) => `
    metadata:
      annotations:
${Object.entries(annotations)
  .map(([k, v]) => `        ${k}: "${v}"`)
  .join('\n')}
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox`;

describe('jobs and cronjobs with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { minor: 32 });
  const until = async (cond: () => Promise<boolean>, what: string, seconds = 30) => {
    for (let i = 0; i < seconds * 4; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.fail(`${what}: still not true after ${seconds} s`);
  };

  before(async () => {
    kin = await startKin({ storage: 'sqlite' });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a Job with two completions runs to Complete', async () => {
    const manifest = `apiVersion: batch/v1
kind: Job
metadata:
  name: done
spec:
  completions: 2
  parallelism: 1
  template:${template({ 'kin.dev/exit-after': '1s' })}
`;
    await ok(['apply', '-f', '-'], manifest);
    await ok(['wait', '--for=condition=complete', 'job/done', '--timeout=60s'], undefined, 70_000);
    assert.equal(await ok(['get', 'job', 'done', '-o', 'jsonpath={.status.succeeded}']), '2');
    const conditions = await ok(['get', 'job', 'done', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.reason};{end}']);
    assert.equal(conditions, 'SuccessCriteriaMet=CompletionsReached;Complete=CompletionsReached;');
    const table = await ok(['get', 'job', 'done']);
    assert.match(table, /done\s+Complete\s+2\/2/);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=done', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    assert.match(events, /SuccessfulCreate/);
    assert.match(events, /Completed/);
    // Counted pods lose the tracking finalizer.
    const finalizers = await ok(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=done', '-o', 'jsonpath={.items[*].metadata.finalizers}']);
    assert.doesNotMatch(finalizers, /batch\.kubernetes\.io\/job-tracking/);
  });

  test('a failing Job hits its backoffLimit and describe says BackoffLimitExceeded', async () => {
    const manifest = `apiVersion: batch/v1
kind: Job
metadata:
  name: broken
spec:
  backoffLimit: 1
  template:${template({ 'kin.dev/exit-after': '500ms', 'kin.dev/exit-code': '3' })}
`;
    await ok(['apply', '-f', '-'], manifest);
    // One failure, the 10 s back-off, the second pod, its failure.
    await ok(['wait', '--for=condition=failed', 'job/broken', '--timeout=90s'], undefined, 100_000);
    assert.equal(await ok(['get', 'job', 'broken', '-o', 'jsonpath={.status.failed}']), '2');
    const describe = await ok(['describe', 'job', 'broken']);
    assert.match(describe, /BackoffLimitExceeded/);
    assert.match(describe, /Job has reached the specified backoff limit/);
    assert.match(await ok(['get', 'job', 'broken']), /broken\s+Failed\s+0\/1/);
  });

  test('an Indexed Job completes every index, and activeDeadlineSeconds stops a Job that runs too long', async () => {
    const indexed = `apiVersion: batch/v1
kind: Job
metadata:
  name: indexed
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  template:${template({ 'kin.dev/exit-after': '1s' })}
`;
    const slow = `apiVersion: batch/v1
kind: Job
metadata:
  name: slow
spec:
  activeDeadlineSeconds: 2
  template:${template({ 'kin.dev/exit-after': '10m' })}
`;
    await ok(['apply', '-f', '-'], indexed + '---\n' + slow);
    await ok(['wait', '--for=condition=complete', 'job/indexed', '--timeout=60s'], undefined, 70_000);
    assert.equal(await ok(['get', 'job', 'indexed', '-o', 'jsonpath={.status.completedIndexes}']), '0-2');
    const hosts = await ok(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=indexed', '-o', 'jsonpath={.items[*].spec.hostname}']);
    assert.deepEqual(hosts.split(' ').sort(), ['indexed-0', 'indexed-1', 'indexed-2']);
    await ok(['wait', '--for=condition=failed', 'job/slow', '--timeout=60s'], undefined, 70_000);
    const reason = await ok(['get', 'job', 'slow', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']);
    assert.equal(reason, 'DeadlineExceeded');
    assert.equal(await ok(['get', 'job', 'slow', '-o', 'jsonpath={.status.active}']), '0');
  });

  test('a Job created from a CronJob completes, and the CronJob fires on its schedule', async () => {
    const manifest = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "* * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:${template({ 'kin.dev/exit-after': '1s' }).replace(/\n/g, '\n    ')}
`;
    await ok(['apply', '-f', '-'], manifest);
    await ok(['create', 'job', '--from=cronjob/tick', 'tick-manual']);
    await ok(['wait', '--for=condition=complete', 'job/tick-manual', '--timeout=60s'], undefined, 70_000);
    const owner = await ok(['get', 'job', 'tick-manual', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}']);
    assert.equal(owner, 'CronJob/tick');
    // The next minute boundary starts a Job named after the scheduled minute.
    let scheduled = '';
    await until(
      async () => {
        const names = (await ok(['get', 'jobs', '-o', 'name'])).split('\n').filter((n) => /^job\.batch\/tick-\d+$/.test(n));
        scheduled = names[0]?.slice('job.batch/'.length) ?? '';
        return scheduled !== '';
      },
      'a scheduled Job',
      80,
    );
    const annotation = await ok(['get', 'job', scheduled, '-o', `jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}`]);
    assert.equal(Date.parse(annotation) / 60_000, Number(scheduled.slice('tick-'.length)));
    await ok(['wait', '--for=condition=complete', `job/${scheduled}`, '--timeout=60s'], undefined, 70_000);
    await until(async () => (await ok(['get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastSuccessfulTime}'])) !== '', 'lastSuccessfulTime');
    assert.notEqual(await ok(['get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastScheduleTime}']), '');
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=tick', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    assert.match(events, /SuccessfulCreate/);
  });

  test('a finished Job with ttlSecondsAfterFinished is deleted', async () => {
    const manifest = `apiVersion: batch/v1
kind: Job
metadata:
  name: shortlived
spec:
  ttlSecondsAfterFinished: 1
  template:${template({ 'kin.dev/exit-after': '200ms' })}
`;
    await ok(['apply', '-f', '-'], manifest);
    await until(async () => (await k(['get', 'job', 'shortlived', '-o', 'name'])).code !== 0, 'the Job deleted after its TTL', 60);
  });
});
