// Deployments, ReplicaSets and ReplicationControllers end to end with kubectl 1.32 and 1.33 on kin's simulated
// node (scheduler + simulated kubelet): create deployment → rollout status; set image → rollout status → history →
// undo; scale; restart; pause and resume; a ReplicationController keeps its replicas; describe tells the story.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

describe('deployments with kubectl 1.32 and 1.33', { concurrency: false }, () => {
  let kin: Cluster;

  before(async () => {
    kin = await startKin({ storage: 'sqlite' });
  });
  after(async () => {
    await cleanup(kin);
  });

  for (const minor of [32, 33] as const) {
    const ns = `deploy-${minor}`;
    const { k, ok } = kubectlOn(() => kin, { minor, namespace: ns });
    const rolloutStatus = async (name: string) => {
      const out = await ok(['rollout', 'status', `deployment/${name}`, '--timeout=90s'], undefined, 100_000);
      assert.match(out, new RegExp(`deployment "${name}" successfully rolled out`));
    };
    const until = async (cond: () => Promise<boolean>, what: string, seconds = 60) => {
      for (let i = 0; i < seconds * 4; i++) {
        if (await cond()) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.fail(`${what}: still not true after ${seconds} s`);
    };
    const jsonpath = (what: string, path: string) => ok(['get', what, '-o', `jsonpath=${path}`]);

    test(`1.${minor}: create deployment, pods Ready, rollout status`, async () => {
      await kin.kubectl(['create', 'namespace', ns], { minor });
      await ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']);
      await rolloutStatus('web');
      const pods = await ok(['get', 'pods', '-l', 'app=web', '--no-headers']);
      const lines = pods.trim().split('\n');
      assert.equal(lines.length, 3, pods);
      for (const l of lines) assert.match(l, /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0/);
      assert.match(await ok(['get', 'deployment', 'web', '--no-headers']), /^web\s+3\/3\s+3\s+3\s/);
      const rs = await ok(['get', 'rs', '-l', 'app=web', '--no-headers']);
      assert.match(rs, /^web-[a-z0-9]+\s+3\s+3\s+3\s/);
      assert.equal(await jsonpath('deployment/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '1');
      assert.equal(
        await jsonpath('deployment/web', '{range .status.conditions[*]}{.type}={.status}/{.reason};{end}'),
        'Available=True/MinimumReplicasAvailable;Progressing=True/NewReplicaSetAvailable;',
      );
    });

    test(`1.${minor}: set image rolls out a new ReplicaSet; history lists both; undo goes back`, async () => {
      await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
      await rolloutStatus('web');
      assert.equal(await jsonpath('deployment/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '2');
      const history = await ok(['rollout', 'history', 'deployment/web']);
      assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
      const rev2 = await ok(['rollout', 'history', 'deployment/web', '--revision=2']);
      assert.match(rev2, /Image:\s+nginx:1\.26/);
      assert.match(await ok(['rollout', 'undo', 'deployment/web']), /deployment\.apps\/web rolled back/);
      await rolloutStatus('web');
      assert.equal(await jsonpath('deployment/web', '{.spec.template.spec.containers[0].image}'), 'nginx:1.25');
      assert.equal(await jsonpath('deployment/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '3');
      assert.match(await ok(['rollout', 'history', 'deployment/web']), /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
      const sets = await ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.replicas}{" "}{end}']);
      assert.deepEqual(sets.trim().split(' ').sort(), ['0', '3']);
    });

    test(`1.${minor}: scale, restart, pause and resume`, async () => {
      await ok(['scale', 'deployment/web', '--replicas=5']);
      await rolloutStatus('web');
      assert.equal(await jsonpath('deployment/web', '{.status.readyReplicas}'), '5');
      await ok(['rollout', 'restart', 'deployment/web']);
      await rolloutStatus('web');
      assert.match(await jsonpath('deployment/web', '{.spec.template.metadata.annotations}'), /kubectl\.kubernetes\.io\/restartedAt/);
      assert.equal(await jsonpath('deployment/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '4');
      await ok(['rollout', 'pause', 'deployment/web']);
      await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
      await until(async () => (await jsonpath('deployment/web', '{.status.conditions[?(@.type=="Progressing")].reason}')) === 'DeploymentPaused', 'paused condition');
      assert.equal((await ok(['get', 'rs', '-l', 'app=web', '--no-headers'])).trim().split('\n').length, 3, 'no new ReplicaSet while paused');
      await ok(['rollout', 'resume', 'deployment/web']);
      await rolloutStatus('web');
      assert.equal(await jsonpath('deployment/web', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '5');
      const describe = await ok(['describe', 'deployment', 'web']);
      assert.match(describe, /ScalingReplicaSet\s+.*Scaled up replica set web-[a-z0-9]+ from \d+ to \d+/);
      assert.match(describe, /NewReplicaSet:\s+web-[a-z0-9]+ \(5\/5 replicas created\)/);
    });

    test(`1.${minor}: Recreate takes the old pods down before the new ones come up`, async () => {
      const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 2
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: db
        image: postgres:16
`;
      await ok(['apply', '-f', '-'], manifest);
      await rolloutStatus('db');
      await ok(['set', 'image', 'deployment/db', 'db=postgres:17']);
      await rolloutStatus('db');
      const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=db', '--sort-by=.lastTimestamp', '-o', 'jsonpath={range .items[*]}{.message};{end}']);
      const messages = events.split(';').filter(Boolean);
      const down = messages.findIndex((m) => /^Scaled down replica set db-[a-z0-9]+ from 2 to 0$/.test(m));
      const up = messages.findLastIndex((m) => /^Scaled up replica set db-[a-z0-9]+ from 0 to 2$/.test(m));
      assert.ok(down >= 0 && up > down, events);
      assert.equal(await jsonpath('deployment/db', '{.spec.template.spec.containers[0].image}'), 'postgres:17');
    });

    test(`1.${minor}: a ReplicationController keeps its replicas`, async () => {
      const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  selector:
    app: legacy
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: app
        image: nginx:1.25
`;
      await ok(['apply', '-f', '-'], rc);
      const ready = async (n: number) => (await jsonpath('rc/legacy', '{.status.readyReplicas}')) === String(n);
      await until(() => ready(2), 'two ready replicas');
      const first = (await jsonpath('pods', '{.items[?(@.metadata.labels.app=="legacy")].metadata.name}')).split(' ')[0]!;
      await ok(['delete', 'pod', first, '--wait=false']);
      await until(async () => {
        const names = (await jsonpath('pods', '{range .items[?(@.metadata.labels.app=="legacy")]}{.metadata.name}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}')).trim().split('\n');
        return names.filter((l) => !l.startsWith(first) && l.trim().split(' ').length === 1).length === 2;
      }, 'a replacement pod');
      await until(() => ready(2), 'two ready replicas again');
      assert.match(await ok(['get', 'rc', 'legacy', '--no-headers']), /^legacy\s+2\s+2\s+2\s/);
      const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=legacy', '-o', 'jsonpath={range .items[*]}{.reason}:{.message};{end}']);
      assert.match(events, /SuccessfulCreate:Created pod: legacy-[a-z0-9]{5};/);
    });
  }
});
