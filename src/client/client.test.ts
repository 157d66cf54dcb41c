import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, inProcessTransport } from './index.js';
import { assembleApiServer } from '../apiserver/assemble.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';
import { StatusError } from '../machinery/index.js';
import { builtinStrategies } from '../cmd/strategies.js';

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  return client.resource({ group: '', version: 'v1', plural: 'configmaps', namespaced: true });
}

test('the in-process client creates, reads, lists and deletes without a socket', async () => {
  const cms = await setup();
  const made = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
  assert.ok(made.metadata?.uid);
  assert.deepEqual((await cms.get('a', { namespace: 'default' }))['data'], { k: 'v' });
  assert.equal((await cms.list({ namespace: 'default' })).items.length, 1);
  await cms.delete('a', { namespace: 'default' });
  await assert.rejects(cms.get('a', { namespace: 'default' }), (e: unknown) => e instanceof StatusError && e.reason === 'NotFound');
});

test('the in-process client watches changes', async () => {
  const cms = await setup();
  const list = await cms.list({ namespace: 'default' });
  const ac = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    for await (const e of cms.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion! }, ac.signal)) {
      seen.push(`${e.type} ${e.object.metadata?.name}`);
      if (seen.length === 2) ac.abort();
    }
  })();
  await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', namespace: 'default' } });
  await cms.patch('w', 'merge', { data: { x: '1' } }, { namespace: 'default' });
  await done;
  assert.deepEqual(seen, ['ADDED w', 'MODIFIED w']);
});
