import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '../api/index.js';
import { FakeClock } from '../util/index.js';
import { legacyTokenInvalidSinceLabel, legacyTokenLastUsedLabel, signLegacyToken, type LegacyTokenSubject } from './legacy-token.js';
import { ServiceAccountTokenIssuer, TokenRejected, type TokenSubject } from './service-account-token.js';
import { newServiceAccountTokenAuthenticator, type ServiceAccountTokenGetter } from './token-authenticator.js';

const pem = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const issuer = new ServiceAccountTokenIssuer(pem);
const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const audience = 'https://kubernetes.default.svc.cluster.local';

function obj(name: string, uid: string, extra: Partial<KubeObject> = {}, deletionTimestamp?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'X', ...extra, metadata: { name, namespace: 'team', uid, ...(deletionTimestamp ? { deletionTimestamp } : {}), ...extra.metadata } };
}

/** A world of objects the getter reads; each test changes it as it needs. */
function world() {
  const objects = new Map<string, KubeObject>([
    ['sa/robot', obj('robot', 'sa-uid')],
    ['pod/p', obj('p', 'pod-uid')],
    ['secret/s', obj('s', 'secret-uid')],
    ['node/n', obj('n', 'node-uid')],
  ]);
  const getter: ServiceAccountTokenGetter = {
    serviceAccount: async (_ns, name) => objects.get(`sa/${name}`),
    secret: async (_ns, name) => objects.get(`secret/${name}`),
    pod: async (_ns, name) => objects.get(`pod/${name}`),
    node: async (name) => objects.get(`node/${name}`),
  };
  const clock = new FakeClock(t0);
  const used: string[] = [];
  const authenticate = newServiceAccountTokenAuthenticator({ issuer, getter, clock, legacyTokenUsed: (s, day) => used.push(`${s.metadata?.name ?? ''}@${day}`) });
  return { objects, clock, authenticate, used };
}

const base: TokenSubject = { namespace: 'team', serviceAccount: { name: 'robot', uid: 'sa-uid' }, audiences: [audience], expirationSeconds: 3600 };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

test('a bound token authenticates as its service account, with the credential id', async () => {
  const w = world();
  const { token, claims } = issuer.issue(base, t0);
  assert.deepEqual(await w.authenticate(token), {
    username: 'system:serviceaccount:team:robot',
    uid: 'sa-uid',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
  });
});

test('a pod-bound token names its pod and node in the extras, keys in sorted order', async () => {
  const w = world();
  const { token, claims } = issuer.issue({ ...base, pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n', uid: 'node-uid' } }, t0);
  const u = await w.authenticate(token);
  assert.deepEqual(Object.entries(u.extra), [
    ['authentication.kubernetes.io/credential-id', [`JTI=${claims.jti}`]],
    ['authentication.kubernetes.io/node-name', ['n']],
    ['authentication.kubernetes.io/node-uid', ['node-uid']],
    ['authentication.kubernetes.io/pod-name', ['p']],
    ['authentication.kubernetes.io/pod-uid', ['pod-uid']],
  ]);
  // The node of a pod-bound token is information only: it need not exist.
  w.objects.delete('node/n');
  assert.equal((await w.authenticate(token)).username, 'system:serviceaccount:team:robot');
});

const refusals: { name: string; subject?: Partial<TokenSubject>; change?: (w: ReturnType<typeof world>) => void; message: RegExp }[] = [
  { name: 'its service account is gone', change: (w) => w.objects.delete('sa/robot'), message: /not found/ },
  { name: 'its service account was recreated (another uid)', change: (w) => w.objects.set('sa/robot', obj('robot', 'other')), message: /UID \(other\) does not match claim \(sa-uid\)/ },
  { name: 'its service account was marked deleted over a minute ago', change: (w) => w.objects.set('sa/robot', obj('robot', 'sa-uid', {}, iso(t0 - 61_000))), message: /has been deleted/ },
  { name: 'its pod is gone', subject: { pod: { name: 'p', uid: 'pod-uid' } }, change: (w) => w.objects.delete('pod/p'), message: /invalidated/ },
  { name: 'its pod was recreated', subject: { pod: { name: 'p', uid: 'pod-uid' } }, change: (w) => w.objects.set('pod/p', obj('p', 'new')), message: /pod UID \(new\)/ },
  { name: 'its pod has been terminating for over a minute', subject: { pod: { name: 'p', uid: 'pod-uid' } }, change: (w) => w.objects.set('pod/p', obj('p', 'pod-uid', {}, iso(t0 - 120_000))), message: /invalidated/ },
  { name: 'its secret is gone', subject: { secret: { name: 's', uid: 'secret-uid' } }, change: (w) => w.objects.delete('secret/s'), message: /invalidated/ },
  { name: 'its secret was recreated', subject: { secret: { name: 's', uid: 'secret-uid' } }, change: (w) => w.objects.set('secret/s', obj('s', 'new')), message: /secret UID \(new\)/ },
  { name: 'the node it is bound to is gone', subject: { node: { name: 'n', uid: 'node-uid' } }, change: (w) => w.objects.delete('node/n'), message: /invalidated/ },
  { name: 'the node it is bound to was recreated', subject: { node: { name: 'n', uid: 'node-uid' } }, change: (w) => w.objects.set('node/n', obj('n', 'new')), message: /node UID \(new\)/ },
  { name: 'it is for another audience', subject: { audiences: ['vault'] }, message: /audiences/ },
  { name: 'it expired more than a minute ago', change: (w) => w.clock.advance(3600_000 + 61_000), message: /expired/ },
];
for (const c of refusals) {
  test(`a bound token is refused when ${c.name}`, async () => {
    const w = world();
    const { token } = issuer.issue({ ...base, ...c.subject }, t0);
    c.change?.(w);
    await assert.rejects(w.authenticate(token), (e: unknown) => e instanceof TokenRejected && c.message.test(e.message));
  });
}

test('a minute of leeway: a token just expired, or whose pod was deleted seconds ago, still works', async () => {
  const w = world();
  const { token } = issuer.issue({ ...base, pod: { name: 'p', uid: 'pod-uid' } }, t0);
  w.clock.advance(3600_000 + 59_000);
  w.objects.set('pod/p', obj('p', 'pod-uid', {}, iso(t0 + 3600_000 + 30_000)));
  assert.equal((await w.authenticate(token)).uid, 'sa-uid');
});

test('tokens of other issuers, other keys and non-JWTs are refused', async () => {
  const w = world();
  const other = new ServiceAccountTokenIssuer(String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' })));
  const foreign = new ServiceAccountTokenIssuer(pem, { issuer: 'https://elsewhere' });
  for (const [token, message] of [
    [other.issue(base, t0).token, /signature|key id/],
    [foreign.issue(base, t0).token, /not trusted/],
    ['abc', /not a service-account token/],
    ['a.b.c', /not a service-account token/],
  ] as const) {
    await assert.rejects(w.authenticate(token), (e: unknown) => e instanceof TokenRejected && message.test(e.message));
  }
});

const legacySubject: LegacyTokenSubject = { namespace: 'team', serviceAccountName: 'robot', serviceAccountUid: 'sa-uid', secretName: 'robot-token' };
function withLegacySecret(w: ReturnType<typeof world>, token: string, labels: Record<string, string> = {}): void {
  w.objects.set('secret/robot-token', obj('robot-token', 'st-uid', { metadata: { name: 'robot-token', labels }, data: { token: Buffer.from(token).toString('base64') } }));
}

test('a legacy token authenticates while its Secret holds it, and reports a use on a new day', async () => {
  const w = world();
  const token = signLegacyToken(issuer, legacySubject);
  withLegacySecret(w, token);
  assert.deepEqual(await w.authenticate(token), {
    username: 'system:serviceaccount:team:robot',
    uid: 'sa-uid',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    extra: {},
  });
  assert.deepEqual(w.used, ['robot-token@2026-11-25']);
  withLegacySecret(w, token, { [legacyTokenLastUsedLabel]: '2026-11-25' });
  await w.authenticate(token);
  assert.equal(w.used.length, 1);
});

const legacyRefusals: { name: string; change: (w: ReturnType<typeof world>, token: string) => void; message: RegExp }[] = [
  { name: 'its Secret is gone', change: () => {}, message: /invalidated/ },
  { name: 'its Secret holds another token', change: (w) => withLegacySecret(w, 'other'), message: /does not match server's copy/ },
  { name: 'its service account is gone', change: (w, t) => (withLegacySecret(w, t), w.objects.delete('sa/robot')), message: /not found/ },
  { name: 'its service account was recreated', change: (w, t) => (withLegacySecret(w, t), w.objects.set('sa/robot', obj('robot', 'other'))), message: /does not match claim/ },
  { name: 'its Secret is marked invalid', change: (w, t) => withLegacySecret(w, t, { [legacyTokenInvalidSinceLabel]: '2026-01-01' }), message: /has been marked invalid/ },
];
for (const c of legacyRefusals) {
  test(`a legacy token is refused when ${c.name}`, async () => {
    const w = world();
    const token = signLegacyToken(issuer, legacySubject);
    c.change(w, token);
    await assert.rejects(w.authenticate(token), (e: unknown) => e instanceof TokenRejected && c.message.test(e.message));
  });
}
