import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger } from '../../util/index.js';
import { ApiEventRecorder } from './events.js';

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 10, 25, 12, 0, 0));
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  return { client, clock, events: client.resource({ group: '', version: 'v1', plural: 'events', namespaced: true }) };
}

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' } };

test('an event names the object, the reason and the component, as kubectl describe reads it', async () => {
  const { client, clock, events } = await setup();
  const r = new ApiEventRecorder({ client, component: 'deployment-controller', clock });
  r.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3 from 0');
  await r.flush();
  const list = await events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=web,involvedObject.kind=Deployment' });
  assert.equal(list.items.length, 1);
  const e = list.items[0] as Record<string, unknown>;
  assert.equal(e['reason'], 'ScalingReplicaSet');
  assert.equal(e['type'], 'Normal');
  assert.equal(e['count'], 1);
  assert.equal(e['firstTimestamp'], '2026-11-25T12:00:00Z');
  assert.deepEqual(e['source'], { component: 'deployment-controller' });
  assert.deepEqual(e['involvedObject'], { kind: 'Deployment', name: 'web', namespace: 'default', uid: 'u-1', apiVersion: 'apps/v1', resourceVersion: '7' });
  assert.match(String((e['metadata'] as { name: string }).name), /^web\.[0-9a-f]+$/);
});

test('the same event again raises the count of the first instead of adding one', async () => {
  const { client, clock, events } = await setup();
  const r = new ApiEventRecorder({ client, component: 'job-controller', clock });
  r.event(deployment, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  clock.advance(5000);
  r.event(deployment, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  r.event(deployment, 'Warning', 'Other', 'a different reason is a different event');
  await r.flush();
  const list = await events.list({ namespace: 'default' });
  const byReason = new Map(list.items.map((e) => [(e as Record<string, unknown>)['reason'], e as Record<string, unknown>]));
  assert.equal(list.items.length, 2);
  assert.equal(byReason.get('BackoffLimitExceeded')?.['count'], 2);
  assert.equal(byReason.get('BackoffLimitExceeded')?.['lastTimestamp'], '2026-11-25T12:00:05Z');
  assert.equal(byReason.get('Other')?.['count'], 1);
});

test('events of cluster-scoped objects go to the default namespace', async () => {
  const { client, clock, events } = await setup();
  const r = new ApiEventRecorder({ client, component: 'node-controller', clock });
  r.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }, 'Normal', 'RegisteredNode', 'Node node-1 event: Registered Node node-1 in Controller');
  await r.flush();
  assert.equal((await events.list({ namespace: 'default' })).items.length, 1);
});
