// StatefulSets and DaemonSets end to end with kubectl 1.32 and 1.33 on five simulated nodes (scheduler + simulated kubelet):
// a StatefulSet starts its pods in ordinal order and makes their claims; scale down removes the highest ordinal
// first; set image → rollout status → history → undo; a DaemonSet puts one pod on each node, follows a tainted
// node, and rolls out a new image; describe shows the controllers' events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const statefulSet = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nginx', labels: { app: 'nginx' } }, spec: { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ port: 80, name: 'web' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        serviceName: 'nginx',
        replicas: 3,
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'web' }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    },
  ],
};

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
  },
};

describe('statefulsets and daemonsets with kubectl 1.32 and 1.33', { concurrency: false }, () => {
  let kin: Cluster;

  before(async () => {
    kin = await startKin({ storage: 'sqlite', extraArgs: ['--simulated-nodes', '5'] });
    for (let i = 0; i < 240; i++) {
      const r = await kin.kubectl(['get', 'nodes', '-o', 'name']);
      if (r.stdout.trim().split('\n').length === 5) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  after(async () => {
    await cleanup(kin);
  });

  for (const minor of [32, 33] as const) {
    const ns = `workloads-${minor}`;
    const { k, ok } = kubectlOn(() => kin, { minor, namespace: ns });
    const until = async (cond: () => Promise<boolean>, what: string, seconds = 60) => {
      for (let i = 0; i < seconds * 4; i++) {
        if (await cond()) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.fail(`${what}: still not true after ${seconds} s`);
    };
    const jsonpath = (what: string, path: string) => ok(['get', what, '-o', `jsonpath=${path}`]);
    const rolloutStatus = (what: string) => ok(['rollout', 'status', what, '--timeout=90s'], undefined, 100_000);
    const eventMessages = async (kind: string, name: string) =>
      (await ok(['get', 'events', '--field-selector', `involvedObject.kind=${kind},involvedObject.name=${name}`, '--sort-by=.metadata.creationTimestamp', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}'])).trim().split('\n');

    test(`1.${minor}: a StatefulSet starts its pods in order, each after the previous is Ready, with claims and stable identity`, async () => {
      await kin.kubectl(['create', 'namespace', ns], { minor });
      for (const item of statefulSet.items) await ok(['apply', '-f', '-'], JSON.stringify(item));
      const out = await rolloutStatus('statefulset/web');
      // apps/v1 defaults updateStrategy.rollingUpdate.partition to 0, so kubectl reports a partitioned roll out.
      assert.match(out, /partitioned roll out complete: 3 new pods have been updated\.\.\.\n$/);
      const pods = (await ok(['get', 'pods', '-l', 'app=nginx', '--no-headers'])).trim().split('\n');
      assert.deepEqual(pods.map((l) => l.split(/\s+/).slice(0, 3).join(' ')), ['web-0 1/1 Running', 'web-1 1/1 Running', 'web-2 1/1 Running']);
      // Each pod was created only once its predecessor was Ready.
      for (const [prev, next] of [['web-0', 'web-1'], ['web-1', 'web-2']] as const) {
        const ready = Date.parse(await jsonpath(`pod/${prev}`, '{.status.conditions[?(@.type=="Ready")].lastTransitionTime}'));
        const created = Date.parse(await jsonpath(`pod/${next}`, '{.metadata.creationTimestamp}'));
        assert.ok(created >= ready, `${next} created at ${created}, before ${prev} was ready at ${ready}`);
      }
      assert.equal(await jsonpath('pod/web-1', '{.spec.hostname}/{.spec.subdomain}'), 'web-1/nginx');
      assert.equal(await jsonpath('pod/web-1', '{.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}/{.metadata.labels.apps\\.kubernetes\\.io/pod-index}'), 'web-1/1');
      assert.equal(await jsonpath('pod/web-2', '{.spec.volumes[?(@.name=="www")].persistentVolumeClaim.claimName}'), 'www-web-2');
      assert.equal((await ok(['get', 'pvc', '-o', 'name'])).trim(), 'persistentvolumeclaim/www-web-0\npersistentvolumeclaim/www-web-1\npersistentvolumeclaim/www-web-2');
      assert.match(await ok(['get', 'statefulset', 'web', '--no-headers']), /^web\s+3\/3\s/);
      await until(async () => (await ok(['get', 'pvc', '--no-headers'])).split('\n').filter((l) => /\sBound\s+pvc-/.test(l)).length === 3, 'the claims are bound to provisioned volumes');
      assert.match(await ok(['get', 'pvc', 'www-web-0', '--no-headers']), /^www-web-0\s+Bound\s+pvc-[0-9a-f-]+\s+1Gi\s+RWO\s+standard\s/);
      const events = await eventMessages('StatefulSet', 'web');
      const creates = events.filter((e) => e.startsWith('SuccessfulCreate: create Pod'));
      assert.deepEqual(creates, ['SuccessfulCreate: create Pod web-0 in StatefulSet web successful', 'SuccessfulCreate: create Pod web-1 in StatefulSet web successful', 'SuccessfulCreate: create Pod web-2 in StatefulSet web successful']);
      assert.ok(events.includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'), events.join('\n'));
    });

    test(`1.${minor}: scaling a StatefulSet down removes the highest ordinal first and keeps the claims`, async () => {
      await ok(['scale', 'statefulset', 'web', '--replicas=1']);
      await until(async () => (await ok(['get', 'pods', '-l', 'app=nginx', '-o', 'name'])).trim() === 'pod/web-0', 'one pod left');
      const deletes = (await eventMessages('StatefulSet', 'web')).filter((e) => e.startsWith('SuccessfulDelete'));
      assert.deepEqual(deletes, ['SuccessfulDelete: delete Pod web-2 in StatefulSet web successful', 'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful']);
      assert.equal((await ok(['get', 'pvc', '-o', 'name'])).trim().split('\n').length, 3);
      await ok(['scale', 'statefulset', 'web', '--replicas=3']);
      await rolloutStatus('statefulset/web');
    });

    test(`1.${minor}: claims follow persistentVolumeClaimRetentionPolicy Delete: gone on scale down and with the set`, async () => {
      const db = structuredClone(statefulSet.items[1]!) as { metadata: { name: string }; spec: Record<string, unknown> };
      db.metadata.name = 'db';
      Object.assign(db.spec, { replicas: 2, podManagementPolicy: 'Parallel', selector: { matchLabels: { app: 'db' } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
      (db.spec['template'] as { metadata: { labels: Record<string, string> } }).metadata.labels = { app: 'db' };
      await ok(['apply', '-f', '-'], JSON.stringify(db));
      await rolloutStatus('statefulset/db');
      assert.equal(await jsonpath('pvc/www-db-0', '{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}'), 'StatefulSet/db');
      await ok(['scale', 'statefulset', 'db', '--replicas=1']);
      await until(async () => !(await ok(['get', 'pvc', '-o', 'name'])).includes('www-db-1'), 'the claim of the scaled-down pod is collected');
      await ok(['delete', 'statefulset', 'db']);
      await until(async () => !(await ok(['get', 'pvc', '-o', 'name'])).includes('www-db-0'), 'the claims go with the set');
    });

    test(`1.${minor}: a StatefulSet rolling update: set image, rollout status, history, undo`, async () => {
      await ok(['set', 'image', 'statefulset/web', 'nginx=nginx:1.26']);
      await rolloutStatus('statefulset/web');
      for (const p of ['web-0', 'web-1', 'web-2']) assert.equal(await jsonpath(`pod/${p}`, '{.spec.containers[0].image}'), 'nginx:1.26');
      const history = await ok(['rollout', 'history', 'statefulset/web']);
      assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
      assert.match(await ok(['rollout', 'history', 'statefulset/web', '--revision=1']), /Image:\s+nginx:1\.25/);
      assert.equal((await ok(['get', 'controllerrevisions', '-l', 'app=nginx', '-o', 'name'])).trim().split('\n').length, 2);
      assert.match(await ok(['rollout', 'undo', 'statefulset/web']), /statefulset.apps\/web rolled back/);
      await rolloutStatus('statefulset/web');
      assert.equal(await jsonpath('pod/web-0', '{.spec.containers[0].image}'), 'nginx:1.25');
      assert.match(await ok(['rollout', 'history', 'statefulset/web']), /\n2\s+<none>\n3\s+<none>/);
      await ok(['rollout', 'restart', 'statefulset/web']);
      await rolloutStatus('statefulset/web');
      assert.ok(await jsonpath('pod/web-0', '{.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'), 'web-0 recreated by the restart');
    });

    test(`1.${minor}: a DaemonSet puts one pod on each of the five nodes and reports rollout status`, async () => {
      await ok(['apply', '-f', '-'], JSON.stringify(daemonSet));
      const out = await rolloutStatus('daemonset/agent');
      assert.match(out, /daemon set "agent" successfully rolled out/);
      const nodes = (await jsonpath('pods', '{range .items[?(@.metadata.labels.app=="agent")]}{.spec.nodeName}{"\\n"}{end}')).trim().split('\n').sort();
      assert.deepEqual(nodes, ['kin-node-1', 'kin-node-2', 'kin-node-3', 'kin-node-4', 'kin-node-5']);
      assert.match(await ok(['get', 'daemonset', 'agent', '--no-headers']), /^agent\s+5\s+5\s+5\s+5\s+5\s/);
      const affinity = await jsonpath('pods', '{.items[?(@.metadata.labels.app=="agent")].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key}');
      assert.match(affinity, /^metadata\.name/);
      assert.ok((await eventMessages('DaemonSet', 'agent')).some((e) => /^SuccessfulCreate: Created pod: agent-[a-z0-9]{5}$/.test(e)));
    });

    test(`1.${minor}: a DaemonSet leaves a node tainted NoExecute and rolls out a new image node by node`, async () => {
      await ok(['taint', 'node', 'kin-node-5', 'maintenance=yes:NoExecute']);
      await until(async () => (await jsonpath('daemonset/agent', '{.status.desiredNumberScheduled}/{.status.currentNumberScheduled}')) === '4/4', 'four nodes want the pod');
      await until(async () => (await jsonpath('pods', '{range .items[?(@.metadata.labels.app=="agent")]}{.metadata.name}{"\\n"}{end}')).trim().split('\n').length === 4, 'pod of the tainted node gone');
      await ok(['set', 'image', 'daemonset/agent', 'agent=agent:2']);
      await rolloutStatus('daemonset/agent');
      const images = (await jsonpath('pods', '{range .items[?(@.metadata.labels.app=="agent")]}{.spec.containers[0].image}{"\\n"}{end}')).trim().split('\n');
      assert.deepEqual(images, ['agent:2', 'agent:2', 'agent:2', 'agent:2']);
      assert.match(await ok(['rollout', 'history', 'daemonset/agent']), /1\s+<none>\n2\s+<none>/);
      await ok(['rollout', 'undo', 'daemonset/agent']);
      await rolloutStatus('daemonset/agent');
      await ok(['taint', 'node', 'kin-node-5', 'maintenance-']);
      await until(async () => (await jsonpath('daemonset/agent', '{.status.numberAvailable}')) === '5', 'back on five nodes');
      const describe = await ok(['describe', 'daemonset', 'agent']);
      assert.match(describe, /SuccessfulDelete\s+.*daemonset-controller\s+Deleted pod: agent-/);
    });
  }
});
