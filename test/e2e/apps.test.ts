// A classic application applied with kubectl comes up as on a real cluster (issue 5, item 10): every Deployment and
// StatefulSet rolls out with its pods Running and Ready on the simulated nodes, every Service with a selector has
// ready endpoints, the LoadBalancer Service an external IP, the volume claims are Bound to provisioned volumes, the
// Job completes and a Job made from the CronJob completes too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, startKin, type Cluster } from './harness.js';

const manifest = join(fileURLToPath(new URL('.', import.meta.url)), 'apps', 'guestbook.yaml');

describe('a guestbook-style application', { concurrency: false }, () => {
  let kin: Cluster;
  const ok = async (args: string[]) => {
    const r = await kin.kubectl(['-n', 'guestbook', ...args], { minor: 32, timeoutMs: 180_000 });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  const until = async (what: string, cond: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`${what}: still not true after a minute`);
  };

  before(async () => {
    kin = await startKin({ storage: 'memory', extraArgs: ['--simulated-nodes', '3'] });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('kubectl apply creates every object', async () => {
    const out = await ok(['apply', '-f', manifest]);
    for (const line of ['namespace/guestbook', 'deployment.apps/redis-leader', 'service/frontend', 'ingress.networking.k8s.io/guestbook', 'statefulset.apps/db', 'job.batch/migrate', 'cronjob.batch/backup']) {
      assert.match(out, new RegExp(`^${line.replace(/[./]/g, '\\$&')} created$`, 'm'));
    }
  });

  test('the Deployments and the StatefulSet roll out, every pod Running and Ready', async () => {
    for (const w of ['deployment/redis-leader', 'deployment/redis-follower', 'deployment/frontend', 'statefulset/db']) {
      await ok(['rollout', 'status', w, '--timeout=120s']);
    }
    const pods = JSON.parse(await ok(['get', 'pods', '-l', 'job-name notin (migrate)', '-o', 'json'])) as { items: { metadata: { name: string; ownerReferences?: { kind: string }[] }; status: { phase: string; conditions?: { type: string; status: string }[] } }[] };
    const serving = pods.items.filter((p) => !p.metadata.ownerReferences?.some((r) => r.kind === 'Job'));
    assert.equal(serving.length, 1 + 2 + 3 + 2, serving.map((p) => p.metadata.name).join(' '));
    for (const p of serving) {
      assert.equal(p.status.phase, 'Running', p.metadata.name);
      assert.equal(p.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True', p.metadata.name);
    }
    assert.match(await ok(['get', 'pod', 'db-0', '-o', 'jsonpath={.spec.hostname}.{.spec.subdomain}']), /^db-0\.db$/);
  });

  test('every Service with a selector has its ready endpoints; the LoadBalancer gets an external IP', async () => {
    const want: Record<string, number> = { 'redis-leader': 1, 'redis-follower': 2, frontend: 3, db: 2 };
    for (const [svc, n] of Object.entries(want)) {
      await until(`${svc} has ${n} ready endpoints`, async () => {
        const slices = JSON.parse(await ok(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${svc}`, '-o', 'json'])) as { items: { endpoints?: { conditions?: { ready?: boolean } }[] }[] };
        return slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).length === n;
      });
      const addresses = await ok(['get', 'endpoints', svc, '-o', 'jsonpath={.subsets[*].addresses[*].ip}']);
      assert.equal(addresses.trim().split(/\s+/).length, n, `${svc}: ${addresses}`);
    }
    await until('frontend has an EXTERNAL-IP', async () => /^frontend\s+LoadBalancer\s+\S+\s+\d+\.\d+\.\d+\.\d+\s/m.test(await ok(['get', 'svc', 'frontend'])));
    assert.match(await ok(['get', 'ingress', 'guestbook']), /^guestbook\s+\S*\s+guestbook\.example\.com\s/m);
  });

  test('the volume claims of the StatefulSet are Bound to provisioned volumes', async () => {
    for (const pvc of ['data-db-0', 'data-db-1']) {
      await until(`${pvc} Bound`, async () => (await ok(['get', 'pvc', pvc, '-o', 'jsonpath={.status.phase}'])) === 'Bound');
    }
    assert.match(await ok(['get', 'pvc']), /^data-db-0\s+Bound\s+pvc-\S+\s+1Gi\s+RWO\s+standard\s/m);
  });

  test('the Job completes, and a Job made from the CronJob completes too', async () => {
    await ok(['wait', '--for=condition=complete', 'job/migrate', '--timeout=120s']);
    await ok(['create', 'job', '--from=cronjob/backup', 'backup-now']);
    await ok(['wait', '--for=condition=complete', 'job/backup-now', '--timeout=120s']);
    assert.match(await ok(['get', 'jobs']), /^migrate\s+Complete\s+1\/1\s/m);
    assert.match(await ok(['get', 'cronjob', 'backup']), /^backup\s+0 3 \* \* \*\s+Europe\/Berlin\s+False\s+0\s/m);
  });
});
