import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock, type Clock } from '../../util/index.js';
import { buildReplicatedController, controllerRefOf, isPodReady, replicaSetKind, type Pod } from '../replicaset/index.js';
import { makePodReady, testCluster, type TestCluster } from '../replicaset/test-cluster.js';
import { settle } from '../runtime/testing-support/index.js';
import { computeHash, deploymentsResource, newDeploymentController, podTemplateHashLabel, replicaSetsResource, revisionAnnotation, type Deployment, type ReplicaSet } from './index.js';

async function start(clock: Clock = systemClock): Promise<TestCluster> {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.start();
  const c = testCluster(new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] })), clock, () => api.stop());
  const rs = buildReplicatedController(c.factory, replicaSetKind, { client: c.client, recorder: c.recorder, clock }).controller;
  const dc = newDeploymentController(c.factory, { client: c.client, recorder: c.recorder, clock });
  await c.run(rs, dc);
  return c;
}

function deployment(name: string, o: { replicas?: number; image?: string; strategy?: Deployment['spec'] extends infer S ? S extends { strategy?: infer T } ? T : never : never; extra?: Record<string, unknown> } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1' }] } },
      ...(o.strategy ? { strategy: o.strategy } : {}),
      ...(o.extra ?? {}),
    },
  };
}

const deployments = (c: TestCluster) => c.client.resource<Deployment>(deploymentsResource);
const replicaSets = (c: TestCluster) => c.client.resource<ReplicaSet>(replicaSetsResource);

/** Plays the kubelet: every pod becomes Ready (unless `hold`), every terminating pod goes. */
async function kubelet(c: TestCluster, hold = false): Promise<void> {
  for (const p of (await c.pods.list({ namespace: 'default' })).items) {
    if (p.metadata?.deletionTimestamp) await c.pods.delete(p.metadata.name!, { namespace: 'default', gracePeriodSeconds: 0 }).catch(() => undefined);
    else if (!hold && !isPodReady(p)) await makePodReady(c.client, p, { readySinceMs: Date.now() - 3600_000 }).catch(() => undefined);
  }
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, each?: () => Promise<void>): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 400; i++) {
    if (each) await each();
    last = await read();
    if (ok(last)) return last;
    await settle(5);
  }
  throw new Error(`${what}: last seen ${JSON.stringify(last, null, 1)}`);
}

function complete(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

const cond = (d: Deployment, type: string) => d.status?.conditions?.find((x) => x.type === type);
const rsOf = async (c: TestCluster) => (await replicaSets(c).list({ namespace: 'default' })).items;

test('a Deployment gets a ReplicaSet named by its template hash, its pods, and a complete status', async () => {
  const c = await start();
  try {
    const created = await deployments(c).create(deployment('web'));
    const [rs] = await until('one replica set', () => rsOf(c), (l) => l.length === 1);
    const hash = rs!.metadata?.labels?.[podTemplateHashLabel];
    assert.ok(hash && /^[bcdfghjklmnpqrstvwxz2456789]+$/.test(hash));
    assert.equal(rs!.metadata?.name, `web-${hash}`);
    assert.equal(hash, computeHash(created.spec?.template, undefined), 'the hash of the defaulted template');
    assert.deepEqual(rs!.spec?.selector, { matchLabels: { app: 'web', [podTemplateHashLabel]: hash } });
    assert.equal(rs!.metadata?.annotations?.[revisionAnnotation], '1');
    assert.equal(rs!.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs!.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(controllerRefOf(rs!)?.uid, created.metadata?.uid);
    const d = await until('complete', () => deployments(c).get('web', { namespace: 'default' }), complete, () => kubelet(c));
    const pods = (await c.pods.list({ namespace: 'default' })).items;
    assert.ok(pods.every((p) => p.metadata?.labels?.[podTemplateHashLabel] === hash));
    assert.equal(d.metadata?.annotations?.[revisionAnnotation], '1');
    assert.deepEqual(
      { ...d.status, conditions: undefined },
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined },
    );
    assert.equal(cond(d, 'Available')?.reason, 'MinimumReplicasAvailable');
    assert.equal(cond(d, 'Available')?.message, 'Deployment has minimum availability.');
    assert.equal(cond(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.equal(cond(d, 'Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.ok(c.recorder.events.some((e) => e.object === 'Deployment/default/web' && e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set web-${hash} from 0 to 3`));
  } finally {
    await c.stop();
  }
});

test('a rolling update stays within maxSurge and maxUnavailable, and a rollback makes the old ReplicaSet new again', async () => {
  const c = await start();
  try {
    await deployments(c).create(deployment('web', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await until('complete', () => deployments(c).get('web', { namespace: 'default' }), complete, () => kubelet(c));
    const [first] = await rsOf(c);
    await deployments(c).patch('web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, { namespace: 'default' });
    let maxPods = 0;
    let minAvailable = Infinity;
    const watch = async () => {
      const pods = (await c.pods.list({ namespace: 'default' })).items.filter((p) => !p.metadata?.deletionTimestamp);
      maxPods = Math.max(maxPods, pods.length);
      minAvailable = Math.min(minAvailable, pods.filter(isPodReady).length);
      await kubelet(c);
    };
    const d = await until('rolled out', () => deployments(c).get('web', { namespace: 'default' }), (x) => complete(x) && x.metadata?.annotations?.[revisionAnnotation] === '2', watch);
    assert.ok(maxPods <= 5, `at most replicas + maxSurge pods (saw ${maxPods})`);
    assert.ok(minAvailable >= 4, `never below replicas - maxUnavailable ready pods (saw ${minAvailable})`);
    const sets = await rsOf(c);
    const second = sets.find((r) => r.metadata?.uid !== first!.metadata?.uid)!;
    assert.equal(second.metadata?.annotations?.[revisionAnnotation], '2');
    assert.equal(sets.find((r) => r.metadata?.uid === first!.metadata?.uid)?.spec?.replicas, 0);
    assert.equal(d.status?.updatedReplicas, 4);
    assert.ok(c.recorder.events.some((e) => e.message === `Scaled down replica set ${first!.metadata?.name} from 4 to 3`));

    // kubectl rollout undo: the template of the previous ReplicaSet, without its hash label, patched into the Deployment.
    const template = structuredClone(first!.spec!.template!);
    delete template.metadata!.labels![podTemplateHashLabel];
    await deployments(c).patch('web', 'json', [{ op: 'replace', path: '/spec/template', value: template }], { namespace: 'default' });
    const back = await until('rolled back', () => deployments(c).get('web', { namespace: 'default' }), (x) => complete(x) && x.metadata?.annotations?.[revisionAnnotation] === '3', () => kubelet(c));
    assert.equal(back.status?.updatedReplicas, 4);
    const again = (await rsOf(c)).find((r) => r.metadata?.uid === first!.metadata?.uid)!;
    assert.equal(again.spec?.replicas, 4);
    assert.equal(again.metadata?.annotations?.[revisionAnnotation], '3');
    assert.equal(again.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  } finally {
    await c.stop();
  }
});

test('Recreate scales the old ReplicaSet to zero and creates the new one only once its pods are gone', async () => {
  const c = await start();
  try {
    await deployments(c).create(deployment('db', { replicas: 2, strategy: { type: 'Recreate' } }));
    await until('complete', () => deployments(c).get('db', { namespace: 'default' }), complete, () => kubelet(c));
    await deployments(c).patch('db', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, { namespace: 'default' });
    const [old] = await until('old scaled down', () => rsOf(c), (l) => l[0]?.spec?.replicas === 0);
    await settle(50);
    assert.equal((await rsOf(c)).length, 1, 'no new ReplicaSet while old pods terminate');
    assert.ok((await c.pods.list({ namespace: 'default' })).items.length > 0, 'old pods are still terminating');
    const d = await until('recreated', () => deployments(c).get('db', { namespace: 'default' }), (x) => complete(x) && x.metadata?.annotations?.[revisionAnnotation] === '2', () => kubelet(c));
    assert.equal(d.status?.replicas, 2);
    const events = c.recorder.events.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    assert.ok(events.indexOf(`Scaled down replica set ${old!.metadata?.name} from 2 to 0`) < events.findIndex((m) => m.startsWith('Scaled up replica set') && !m.includes(old!.metadata!.name!)));
  } finally {
    await c.stop();
  }
});

test('a paused Deployment does not roll out; resuming rolls out, with Paused and Resumed conditions', async () => {
  const c = await start();
  try {
    await deployments(c).create(deployment('web', { replicas: 1 }));
    await until('complete', () => deployments(c).get('web', { namespace: 'default' }), complete, () => kubelet(c));
    await deployments(c).patch('web', 'merge', { spec: { paused: true } }, { namespace: 'default' });
    const paused = await until('paused', () => deployments(c).get('web', { namespace: 'default' }), (d) => cond(d, 'Progressing')?.reason === 'DeploymentPaused');
    assert.equal(cond(paused, 'Progressing')?.status, 'Unknown');
    assert.equal(cond(paused, 'Progressing')?.message, 'Deployment is paused');
    await deployments(c).patch('web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, { namespace: 'default' });
    await until('observed', () => deployments(c).get('web', { namespace: 'default' }), (d) => d.status?.observedGeneration === d.metadata?.generation);
    assert.equal((await rsOf(c)).length, 1, 'no new ReplicaSet while paused');
    await deployments(c).patch('web', 'merge', { spec: { paused: null } }, { namespace: 'default' });
    await until('resumed and rolled out', () => deployments(c).get('web', { namespace: 'default' }), (d) => complete(d) && d.metadata?.annotations?.[revisionAnnotation] === '2', () => kubelet(c));
    assert.equal((await rsOf(c)).length, 2);
  } finally {
    await c.stop();
  }
});

test('scaling a Deployment scales its ReplicaSet, and old ReplicaSets beyond revisionHistoryLimit are deleted', async () => {
  const c = await start();
  try {
    await deployments(c).create(deployment('web', { replicas: 1, extra: { revisionHistoryLimit: 1 } }));
    await until('complete', () => deployments(c).get('web', { namespace: 'default' }), complete, () => kubelet(c));
    for (const image of ['nginx:2', 'nginx:3']) {
      await deployments(c).patch('web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, { namespace: 'default' });
      await until('rolled out', () => deployments(c).get('web', { namespace: 'default' }), (d) => complete(d) && d.spec?.template?.spec?.containers[0]?.image === image, () => kubelet(c));
    }
    const sets = await until('history cleaned', () => rsOf(c), (l) => l.length === 2, () => kubelet(c));
    assert.deepEqual(sets.map((r) => r.metadata?.annotations?.[revisionAnnotation]).sort(), ['2', '3']);
    await deployments(c).patch('web', 'merge', { spec: { replicas: 3 } }, { namespace: 'default' });
    const d = await until('scaled', () => deployments(c).get('web', { namespace: 'default' }), (x) => complete(x) && x.spec?.replicas === 3, () => kubelet(c));
    assert.equal(d.status?.availableReplicas, 3);
    const rs = (await rsOf(c)).find((r) => r.spec?.replicas === 3)!;
    assert.ok(c.recorder.events.some((e) => e.message === `Scaled up replica set ${rs.metadata?.name} from 1 to 3`));
  } finally {
    await c.stop();
  }
});

test('a name taken by a foreign ReplicaSet is a hash collision: collisionCount goes up and another name is used', async () => {
  const c = await start();
  try {
    const probe = await deployments(c).create(deployment('web', { replicas: 0 }), { dryRun: true });
    const hash = computeHash(probe.spec?.template, undefined);
    await replicaSets(c).create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default' },
      spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
    });
    await deployments(c).create(deployment('web', { replicas: 0 }));
    const d = await until('collision resolved', () => deployments(c).get('web', { namespace: 'default' }), (x) => x.status?.collisionCount === 1 && (x.status.observedGeneration ?? 0) >= 1);
    const sets = await until('new name', () => rsOf(c), (l) => l.length === 2);
    const mine = sets.find((r) => controllerRefOf(r)?.uid === d.metadata?.uid)!;
    assert.equal(mine.metadata?.name, `web-${computeHash(d.spec?.template, 1)}`);
  } finally {
    await c.stop();
  }
});

test('a rollout that makes no progress within progressDeadlineSeconds is marked ProgressDeadlineExceeded', async () => {
  const clock = new FakeClock(Date.now());
  const c = await start(clock);
  try {
    await deployments(c).create(deployment('stuck', { replicas: 1, extra: { progressDeadlineSeconds: 60 } }));
    const d = await until('progressing', () => deployments(c).get('stuck', { namespace: 'default' }), (x) => cond(x, 'Progressing')?.reason === 'ReplicaSetUpdated');
    assert.match(cond(d, 'Progressing')?.message ?? '', /^ReplicaSet "stuck-[a-z0-9]+" is progressing\.$/);
    assert.ok(c.recorder.events.length > 0);
    assert.equal(cond(d, 'Available')?.reason, 'MinimumReplicasUnavailable');
    const timedOut = await until(
      'timed out',
      () => deployments(c).get('stuck', { namespace: 'default' }),
      (x) => cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded',
      async () => clock.advance(5_000),
    );
    assert.equal(cond(timedOut, 'Progressing')?.status, 'False');
    assert.match(cond(timedOut, 'Progressing')?.message ?? '', /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
  } finally {
    await c.stop();
  }
});

test('the pods of a Deployment are not touched by a ReplicaSet of another Deployment', async () => {
  const c = await start();
  try {
    await deployments(c).create(deployment('a', { replicas: 1 }));
    await deployments(c).create(deployment('b', { replicas: 2 }));
    await until('both', async () => (await c.pods.list({ namespace: 'default' })).items as Pod[], (p) => p.length === 3);
    const pods = (await c.pods.list({ namespace: 'default', labelSelector: 'app=b' })).items;
    assert.equal(pods.length, 2);
  } finally {
    await c.stop();
  }
});

test('an orphan ReplicaSet matching the selector is adopted, and becomes the new one when its template matches', async () => {
  const c = await start();
  try {
    const probe = await deployments(c).create(deployment('web', { replicas: 2 }), { dryRun: true });
    const template = structuredClone(probe.spec!.template!);
    template.metadata!.labels = { ...template.metadata!.labels, [podTemplateHashLabel]: 'old' };
    await replicaSets(c).create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-old', namespace: 'default', labels: { app: 'web', [podTemplateHashLabel]: 'old' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', [podTemplateHashLabel]: 'old' } }, template },
    });
    const d = await deployments(c).create(deployment('web', { replicas: 2 }));
    await until('complete', () => deployments(c).get('web', { namespace: 'default' }), complete, () => kubelet(c));
    const sets = await rsOf(c);
    assert.equal(sets.length, 1, 'no second ReplicaSet: the adopted one is the new one');
    assert.equal(controllerRefOf(sets[0]!)?.uid, d.metadata?.uid);
    assert.equal(sets[0]!.metadata?.annotations?.[revisionAnnotation], '1');
  } finally {
    await c.stop();
  }
});

test('scaling during a rollout scales old and new ReplicaSets in proportion', async () => {
  const c = await start();
  try {
    await deployments(c).create(deployment('web', { replicas: 10 }));
    await until('complete', () => deployments(c).get('web', { namespace: 'default' }), complete, () => kubelet(c));
    await deployments(c).patch('web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, { namespace: 'default' });
    // New pods never get ready: the rollout stops at 8 old (10 - 25% unavailable) and 5 new (13 pods with the surge).
    const stuck = await until('rollout blocked', () => rsOf(c), (l) => l.length === 2 && l.map((r) => r.spec?.replicas).sort().join() === '5,8', () => kubelet(c, true));
    const oldName = stuck.find((r) => r.spec?.replicas === 8)!.metadata!.name!;
    await deployments(c).patch('web', 'merge', { spec: { replicas: 20 } }, { namespace: 'default' });
    const sets = await until('scaled', () => rsOf(c), (l) => l.reduce((n, r) => n + (r.spec?.replicas ?? 0), 0) === 25, () => kubelet(c, true));
    const byName = Object.fromEntries(sets.map((r) => [r.metadata?.name, r.spec?.replicas]));
    // 12 more shared by the max-replicas annotation (13): 8·25/13 ≈ 15, 5·25/13 ≈ 10.
    assert.equal(byName[oldName], 15);
    assert.equal(sets.find((r) => r.metadata?.name !== oldName)?.spec?.replicas, 10);
    assert.ok(sets.every((r) => r.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'] === '20' && r.metadata.annotations['deployment.kubernetes.io/max-replicas'] === '25'));
  } finally {
    await c.stop();
  }
});
