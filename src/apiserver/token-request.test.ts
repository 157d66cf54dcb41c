import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPublicKey, verify } from 'node:crypto';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
const ns = '/api/v1/namespaces/default';
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
  for (const [plural, obj] of [
    ['serviceaccounts', { metadata: { name: 'robot' } }],
    ['secrets', { metadata: { name: 'sec' } }],
    ['pods', { metadata: { name: 'runner' }, spec: { serviceAccountName: 'robot', nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } }],
    ['pods', { metadata: { name: 'other' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }],
  ] as const) {
    const r = await call(s.handler, 'POST', `${ns}/${plural}`, { body: obj });
    assert.equal(r.status, 201, r.text);
  }
  const n = await call(s.handler, 'POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' } } });
  assert.equal(n.status, 201, n.text);
});
after(() => s.close());

const uidOf = async (path: string): Promise<string> => (await call(s.handler, 'GET', path)).json().metadata.uid;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, any>;
const tokenRequest = (spec: Record<string, unknown>) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

test('a TokenRequest without a lifetime gets an hour and the API server audience', async () => {
  const r = await call(s.handler, 'POST', `${ns}/serviceaccounts/robot/token`, { body: tokenRequest({}) });
  assert.equal(r.status, 201, r.text);
  const tr = r.json();
  assert.equal(tr.kind, 'TokenRequest');
  assert.equal(tr.apiVersion, 'authentication.k8s.io/v1');
  assert.equal(tr.metadata.namespace, 'default');
  assert.deepEqual(tr.spec, { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null });
  const c = claimsOf(tr.status.token);
  assert.equal(c.exp - c.iat, 3600);
  assert.equal(tr.status.expirationTimestamp, new Date(c.exp * 1000).toISOString().replace('.000Z', 'Z'));
  assert.equal(c.sub, 'system:serviceaccount:default:robot');
  assert.deepEqual(c['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid: await uidOf(`${ns}/serviceaccounts/robot`) } });
});

test('the token verifies with the key served at /openid/v1/jwks, named by the OpenID configuration', async () => {
  const conf = await call(s.handler, 'GET', '/.well-known/openid-configuration');
  assert.equal(conf.status, 200, conf.text);
  assert.equal(conf.json().jwks_uri, 'https://127.0.0.1:6443/openid/v1/jwks');
  const jwks = await call(s.handler, 'GET', '/openid/v1/jwks');
  assert.equal(jwks.headers['content-type'], 'application/jwk-set+json');
  const [key] = jwks.json().keys;
  const r = await call(s.handler, 'POST', `${ns}/serviceaccounts/robot/token`, { body: tokenRequest({ audiences: ['vault'], expirationSeconds: 600 }) });
  const token: string = r.json().status.token;
  const [h, p, sig] = token.split('.') as [string, string, string];
  assert.equal(JSON.parse(Buffer.from(h, 'base64url').toString()).kid, key.kid);
  const pub = createPublicKey({ key, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')));
  assert.deepEqual(claimsOf(token).aud, ['vault']);
});

test('the discovery endpoints need an authenticated user', async () => {
  const r = await call(s.handler, 'GET', '/openid/v1/jwks', { user: null });
  assert.equal(r.status, 401);
});

test('a token bound to a pod names the pod and its node; bound to a secret, the secret', async () => {
  const pod = await call(s.handler, 'POST', `${ns}/serviceaccounts/robot/token`, { body: tokenRequest({ expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' } }) });
  assert.equal(pod.status, 201, pod.text);
  const k = claimsOf(pod.json().status.token)['kubernetes.io'];
  assert.deepEqual(k.pod, { name: 'runner', uid: await uidOf(`${ns}/pods/runner`) });
  assert.deepEqual(k.node, { name: 'n1', uid: await uidOf('/api/v1/nodes/n1') });
  const sec = await call(s.handler, 'POST', `${ns}/serviceaccounts/robot/token`, { body: tokenRequest({ expirationSeconds: 600, boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'sec' } }) });
  assert.deepEqual(claimsOf(sec.json().status.token)['kubernetes.io'].secret, { name: 'sec', uid: await uidOf(`${ns}/secrets/sec`) });
});

test("the kubelet's 3607 s pod token lives a year and carries warnafter", async () => {
  const r = await call(s.handler, 'POST', `${ns}/serviceaccounts/robot/token`, { body: tokenRequest({ expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' } }) });
  const c = claimsOf(r.json().status.token);
  assert.equal(c.exp - c.iat, 365 * 24 * 3600);
  assert.equal(c['kubernetes.io'].warnafter - c.iat, 3607);
  assert.equal(r.json().spec.expirationSeconds, 3607);
});

const failures: { name: string; path?: string; spec: Record<string, unknown>; status: number; message: string }[] = [
  { name: 'a lifetime under ten minutes', spec: { expirationSeconds: 300 }, status: 422, message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes' },
  { name: 'a lifetime over 2^32 seconds', spec: { expirationSeconds: 2 ** 32 + 1 }, status: 422, message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds' },
  { name: 'a service account that does not exist', path: `${ns}/serviceaccounts/ghost/token`, spec: {}, status: 404, message: 'serviceaccounts "ghost" not found' },
  { name: 'a pod that does not exist', spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'ghost' } }, status: 404, message: 'pods "ghost" not found' },
  { name: 'a pod running as another service account', spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }, status: 400, message: 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.' },
  { name: 'a kind tokens cannot be bound to', spec: { boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'x' } }, status: 400, message: 'cannot bind token to object of type apps/v1, Kind=Deployment' },
  { name: 'a bound object whose uid changed', spec: { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'sec', uid: 'old' } }, status: 409, message: 'Operation cannot be fulfilled on Secret "sec": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated' },
];
for (const f of failures) {
  test(`a TokenRequest is refused for ${f.name}`, async () => {
    const r = await call(s.handler, 'POST', f.path ?? `${ns}/serviceaccounts/robot/token`, { body: tokenRequest(f.spec) });
    assert.equal(r.status, f.status, r.text);
    assert.equal(r.json().message, f.message);
  });
}

test('only POST is served on serviceaccounts/token, and discovery lists it', async () => {
  assert.equal((await call(s.handler, 'GET', `${ns}/serviceaccounts/robot/token`)).status, 405);
  const list = (await call(s.handler, 'GET', '/api/v1')).json();
  const sub = list.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
  assert.deepEqual(sub, { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  const nsVerbs = list.resources.find((r: { name: string }) => r.name === 'namespaces').verbs;
  assert.deepEqual(nsVerbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
});
