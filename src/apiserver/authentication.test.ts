import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { ServiceAccountTokenIssuer, signLegacyToken, legacyTokenLastUsedLabel } from '../auth/index.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { FakeClock, silentLogger } from '../util/index.js';
import { assembleApiServer } from './assemble.js';
import { apiAuthenticator, authenticatorChain, bearerTokenAuthenticator, certificateAuthenticator, unauthorizedResponse, type Authenticator } from './authentication.js';
import type { UserInfo } from './http.js';
import { call, testUser } from './testing-support/index.js';

const pem = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const cert = { subject: { CN: 'alice', O: 'devs' } } as unknown as PeerCertificate;
const alice: UserInfo = { username: 'alice', groups: ['devs', 'system:authenticated'] };

test('a refused request gets the Status kube-apiserver sends, field for field', () => {
  const r = unauthorizedResponse();
  assert.equal(r.status, 401);
  assert.equal(r.body, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
});

test('a request with no user gets the same 401 from the core', async () => {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: new FakeClock(), logger: silentLogger, serverAddress: '127.0.0.1:6443' });
  const r = await call(api.handler, 'GET', '/api/v1/namespaces', { user: null });
  assert.equal(r.status, 401);
  assert.equal(r.text, unauthorizedResponse().body);
});

test('the chain: a certificate wins over a token, a refused token with no certificate is invalid, nothing is no one', async () => {
  const refuse = bearerTokenAuthenticator(async () => {
    throw new Error('no');
  });
  const chain = authenticatorChain(certificateAuthenticator(), refuse);
  assert.deepEqual(chain({}, cert), alice, 'a certificate alone is answered synchronously');
  assert.deepEqual(await chain({ authorization: 'Bearer x' }, cert), alice);
  assert.equal(await chain({ authorization: 'Bearer x' }, undefined), 'invalid');
  assert.equal(await chain({ authorization: 'Basic x' }, undefined), undefined);
  assert.equal(await chain({}, undefined), undefined);
});

test('an accepted bearer token gives its user (uid and extras kept) and the Authorization header is dropped', async () => {
  const accept: Authenticator = bearerTokenAuthenticator(async (t) => ({ username: `u-${t}`, uid: 'id', groups: ['g'], extra: { k: ['v'] } }));
  const headers: Record<string, string | undefined> = { authorization: 'Bearer tok' };
  assert.deepEqual(await authenticatorChain(certificateAuthenticator(), accept)(headers, undefined), { username: 'u-tok', uid: 'id', groups: ['g'], extra: { k: ['v'] } });
  assert.equal(headers['authorization'], undefined);
});

async function server() {
  const clock = new FakeClock(Date.UTC(2026, 10, 25, 12));
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock, logger: silentLogger, serverAddress: '127.0.0.1:6443', serviceAccountKeyPem: pem });
  await api.bootstrap();
  await call(api.handler, 'POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } } });
  const auth = apiAuthenticator({ registry: api.registry, issuer: () => new ServiceAccountTokenIssuer(pem), clock, logger: silentLogger });
  return { api, auth, clock };
}

test('a TokenRequest token authenticates against the server objects until its ServiceAccount is deleted', async () => {
  const { api, auth } = await server();
  const tr = await call(api.handler, 'POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
  const token = tr.json()['status']['token'] as string;
  const user = await auth({ authorization: `Bearer ${token}` }, undefined);
  assert.ok(user && user !== 'invalid');
  assert.equal(user.username, 'system:serviceaccount:default:robot');
  assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
  // whoami, as kube answers it: username, uid, groups, extra.
  const review = await call(api.handler, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { user, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  const info = review.json()['status']['userInfo'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(info), ['username', 'uid', 'groups', 'extra']);
  assert.match((info['extra'] as Record<string, string[]>)['authentication.kubernetes.io/credential-id']![0]!, /^JTI=/);
  await call(api.handler, 'DELETE', '/api/v1/namespaces/default/serviceaccounts/robot');
  assert.equal(await auth({ authorization: `Bearer ${token}` }, undefined), 'invalid');
});

test('a legacy token authenticates while its Secret holds it, and the Secret gets the last-used label', async () => {
  const { api, auth } = await server();
  const sa = (await call(api.handler, 'GET', '/api/v1/namespaces/default/serviceaccounts/robot')).json();
  const token = signLegacyToken(new ServiceAccountTokenIssuer(pem), { namespace: 'default', serviceAccountName: 'robot', serviceAccountUid: sa['metadata']['uid'], secretName: 'robot-token' });
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'robot-token', annotations: { 'kubernetes.io/service-account.name': 'robot' } }, type: 'kubernetes.io/service-account-token', data: { token: Buffer.from(token).toString('base64') } };
  assert.equal((await call(api.handler, 'POST', '/api/v1/namespaces/default/secrets', { body: secret })).status, 201);
  const user = await auth({ authorization: `Bearer ${token}` }, undefined);
  assert.ok(user && user !== 'invalid');
  assert.equal(user.uid, sa['metadata']['uid']);
  let labels: Record<string, string> = {};
  for (let i = 0; i < 50 && !labels[legacyTokenLastUsedLabel]; i++) {
    await new Promise((r) => setImmediate(r));
    labels = (await call(api.handler, 'GET', '/api/v1/namespaces/default/secrets/robot-token')).json()['metadata']['labels'] ?? {};
  }
  assert.equal(labels[legacyTokenLastUsedLabel], '2026-11-25');
  await call(api.handler, 'DELETE', '/api/v1/namespaces/default/secrets/robot-token');
  assert.equal(await auth({ authorization: `Bearer ${token}` }, undefined), 'invalid');
});

test('whoami of a certificate user shows no uid and no extra', async () => {
  const { api } = await server();
  const review = await call(api.handler, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { user: testUser, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.deepEqual(review.json()['status']['userInfo'], { username: testUser.username, groups: testUser.groups });
});
