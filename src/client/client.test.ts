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

test('in-process reads that only look (sharedObjects) get the server’s decoded objects; other reads get private copies', async () => {
  const cms = await setup();
  await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 's', namespace: 'default' }, data: { k: 'v' } });
  const [a, b] = [await cms.list({ namespace: 'default', sharedObjects: true }), await cms.list({ namespace: 'default', sharedObjects: true })];
  assert.equal(a.items[0], b.items[0], 'one decoded object, not two parses');
  assert.deepEqual(a.items[0]?.['data'], { k: 'v' });
  const plain = await cms.list({ namespace: 'default' });
  assert.notEqual(plain.items[0], a.items[0]);
  assert.deepEqual(plain.items[0], a.items[0]);
  const meta = await cms.list({ namespace: 'default', sharedObjects: true, metadataOnly: true });
  assert.equal(meta.kind, 'PartialObjectMetadataList');
  assert.equal(meta.items[0]?.metadata, a.items[0]?.metadata, 'the metadata form shares the object’s metadata');
  assert.equal(meta.items[0]?.['data'], undefined);

  // A watch from before the change sees the same object a later list returns.
  const ac = new AbortController();
  const events: { type: string; object: unknown }[] = [];
  const done = (async () => {
    for await (const e of cms.watch({ namespace: 'default', resourceVersion: a.metadata.resourceVersion!, sharedObjects: true }, ac.signal)) {
      events.push(e);
      ac.abort();
    }
  })();
  await cms.patch('s', 'merge', { data: { k: 'w' } }, { namespace: 'default' });
  await done;
  const after = await cms.list({ namespace: 'default', sharedObjects: true });
  assert.equal(events[0]?.type, 'MODIFIED');
  assert.equal(events[0]?.object, after.items[0]);
});
