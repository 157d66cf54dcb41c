import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { RootCaPublisherReconciler, rootCaConfigMapName } from '../rootcacertpublisher/index.js';
import { ServiceAccountsReconciler } from './index.js';

const signal = new AbortController().signal;
const ns = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  await client.resource(ns).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  return client;
}

test('a namespace gets the default ServiceAccount, and gets it back when it is deleted', async () => {
  const client = await setup();
  const sas = client.resource({ group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true });
  const r = new ServiceAccountsReconciler(client);
  await r.reconcile('team', signal);
  assert.equal((await sas.get('default', { namespace: 'team' })).metadata?.name, 'default');
  await r.reconcile('team', signal);
  await sas.delete('default', { namespace: 'team' });
  await r.reconcile('team', signal);
  assert.ok(await sas.get('default', { namespace: 'team' }));
  await r.reconcile('absent', signal);
  await assert.rejects(sas.get('default', { namespace: 'absent' }), isNotFound);
});

test('a namespace gets kube-root-ca.crt with the cluster CA, and edits to it are undone', async () => {
  const client = await setup();
  const cms = client.resource({ group: '', version: 'v1', plural: 'configmaps', namespaced: true });
  const r = new RootCaPublisherReconciler({ client, caCertPem: 'PEM' });
  await r.reconcile('team', signal);
  const cm = await cms.get(rootCaConfigMapName, { namespace: 'team' });
  assert.deepEqual(cm['data'], { 'ca.crt': 'PEM' });
  await cms.patch(rootCaConfigMapName, 'merge', { data: { 'ca.crt': 'other', extra: 'x' } }, { namespace: 'team' });
  await r.reconcile('team', signal);
  assert.deepEqual((await cms.get(rootCaConfigMapName, { namespace: 'team' }))['data'], { 'ca.crt': 'PEM' });
});
