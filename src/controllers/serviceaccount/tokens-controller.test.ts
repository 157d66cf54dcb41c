import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '../../api/index.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { legacyTokenSigner } from '../../auth/index.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { SharedInformerFactory, type Controller } from '../runtime/index.js';
import { newTokensController, TokensReconciler } from './index.js';

const signal = new AbortController().signal;
const pem = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const secretsRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const sasRef = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };
const ca = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies(), serviceAccountKeyPem: pem });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const sa = await client.resource(sasRef).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default' } });
  const secrets = client.resource<KubeObject & { data?: Record<string, string> }>(secretsRef);
  const reconciler = new TokensReconciler({ client, generateToken: legacyTokenSigner(pem), caCertPem: ca });
  return { api, client, sa, secrets, reconciler };
}

const tokenSecret = (name: string, annotations: Record<string, string>, data?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default', annotations },
  type: 'kubernetes.io/service-account-token',
  ...(data ? { data } : {}),
});

test('a token Secret gets its legacy token, the CA, the namespace and the ServiceAccount uid, and the token authenticates', async () => {
  const { api, sa, secrets, reconciler } = await setup();
  await secrets.create(tokenSecret('robot-token', { 'kubernetes.io/service-account.name': 'robot' }));
  await reconciler.reconcile('default/robot-token', signal);
  const s = await secrets.get('robot-token', { namespace: 'default' });
  assert.equal(s.metadata?.annotations?.['kubernetes.io/service-account.uid'], sa.metadata?.uid);
  assert.equal(text(s.data?.['ca.crt']), ca);
  assert.equal(text(s.data?.['namespace']), 'default');
  const token = text(s.data?.['token']);
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  assert.deepEqual(claims, {
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': 'default',
    'kubernetes.io/serviceaccount/secret.name': 'robot-token',
    'kubernetes.io/serviceaccount/service-account.name': 'robot',
    'kubernetes.io/serviceaccount/service-account.uid': sa.metadata?.uid,
    sub: 'system:serviceaccount:default:robot',
  });
  // Filled: a second pass writes nothing.
  await reconciler.reconcile('default/robot-token', signal);
  assert.equal((await secrets.get('robot-token', { namespace: 'default' })).metadata?.resourceVersion, s.metadata?.resourceVersion);
  const user = await api.authenticator({ authorization: `Bearer ${token}` }, undefined);
  assert.ok(user && user !== 'invalid');
  assert.equal(user.username, 'system:serviceaccount:default:robot');
});

test('a token Secret keeps a token it already has, and only what is missing is added', async () => {
  const { secrets, reconciler } = await setup();
  await secrets.create(tokenSecret('mine', { 'kubernetes.io/service-account.name': 'robot' }, { token: b64('given') }));
  await reconciler.reconcile('default/mine', signal);
  const s = await secrets.get('mine', { namespace: 'default' });
  assert.equal(text(s.data?.['token']), 'given');
  assert.equal(text(s.data?.['namespace']), 'default');
  assert.equal(text(s.data?.['ca.crt']), ca);
});

const orphans: { name: string; annotations: Record<string, string> }[] = [
  { name: 'its ServiceAccount does not exist', annotations: { 'kubernetes.io/service-account.name': 'ghost' } },
  { name: 'it names another uid of its ServiceAccount', annotations: { 'kubernetes.io/service-account.name': 'robot', 'kubernetes.io/service-account.uid': 'old-uid' } },
];
for (const c of orphans) {
  test(`a token Secret is deleted when ${c.name}`, async () => {
    const { secrets, reconciler } = await setup();
    await secrets.create(tokenSecret('orphan', c.annotations));
    await reconciler.reconcile('default/orphan', signal);
    await assert.rejects(secrets.get('orphan', { namespace: 'default' }), isNotFound);
  });
}

test('other Secrets are left alone', async () => {
  const { secrets, reconciler } = await setup();
  const s = await secrets.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'ghost' } }, data: { a: b64('b') } });
  await reconciler.reconcile('default/plain', signal);
  await reconciler.reconcile('default/absent', signal);
  assert.equal((await secrets.get('plain', { namespace: 'default' })).metadata?.resourceVersion, s.metadata?.resourceVersion);
});

test('the controller fills new token Secrets and deletes them with their ServiceAccount', async () => {
  const { client, secrets } = await setup();
  const informers = new SharedInformerFactory({ client, clock: systemClock, logger: silentLogger });
  const c = newTokensController(informers, { client, generateToken: legacyTokenSigner(pem), caCertPem: ca, logger: silentLogger }) as Controller;
  const ac = new AbortController();
  const running = c.run(ac.signal);
  informers.start(ac.signal);
  // Polls the API (each poll yields to the event loop; no wall-clock assertion).
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 3000; i++) {
      if (await check()) return;
      await new Promise((r) => setImmediate(r));
    }
    assert.fail(`never happened: ${what}`);
  };
  try {
    await secrets.create(tokenSecret('robot-token', { 'kubernetes.io/service-account.name': 'robot' }));
    await eventually(async () => !!(await secrets.get('robot-token', { namespace: 'default' })).data?.['token'], 'the token is filled');
    await client.resource(sasRef).delete('robot', { namespace: 'default' });
    await eventually(() => secrets.get('robot-token', { namespace: 'default' }).then(() => false, isNotFound), 'the token Secret is deleted');
  } finally {
    ac.abort();
    await running;
  }
});

test('without a service-account key the controller idles', async () => {
  const { client } = await setup();
  const r = newTokensController(new SharedInformerFactory({ client, clock: systemClock }), { client });
  const ac = new AbortController();
  const running = r.run(ac.signal);
  ac.abort();
  await running;
});
