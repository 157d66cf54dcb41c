import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ServiceAccountTokenIssuer, TokenRejected, verifyServiceAccountToken, keyId, type TokenSubject } from './service-account-token.js';

const ecPem = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const rsaPem = String(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const subject: TokenSubject = {
  namespace: 'team',
  serviceAccount: { name: 'robot', uid: 'sa-uid' },
  audiences: ['https://kubernetes.default.svc.cluster.local'],
  expirationSeconds: 3600,
};
const part = (t: string, i: number) => JSON.parse(Buffer.from(t.split('.')[i]!, 'base64url').toString()) as Record<string, unknown>;

for (const [name, pem, alg] of [['EC P-256', ecPem, 'ES256'], ['RSA', rsaPem, 'RS256']] as const) {
  test(`a ${name} key signs ${alg} tokens that verify`, () => {
    const iss = new ServiceAccountTokenIssuer(pem);
    const { token } = iss.issue(subject, now);
    assert.deepEqual(part(token, 0), { alg, kid: iss.keyId });
    const v = verifyServiceAccountToken(token, { issuer: iss, nowMs: now + 1000 });
    assert.equal(v.user.username, 'system:serviceaccount:team:robot');
    assert.equal(v.user.uid, 'sa-uid');
    assert.deepEqual(v.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated']);
  });
}

test('claims are those Kubernetes sets: iss, aud, sub, iat = nbf, exp after the lifetime, jti, kubernetes.io', () => {
  const iss = new ServiceAccountTokenIssuer(ecPem);
  const { token } = iss.issue({ ...subject, pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n', uid: 'node-uid' } }, now);
  const c = part(token, 1);
  assert.deepEqual(Object.keys(c), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
  assert.equal(c['iss'], 'https://kubernetes.default.svc.cluster.local');
  assert.deepEqual(c['aud'], ['https://kubernetes.default.svc.cluster.local']);
  assert.equal(c['sub'], 'system:serviceaccount:team:robot');
  assert.equal(c['iat'], now / 1000);
  assert.equal(c['nbf'], now / 1000);
  assert.equal(c['exp'], now / 1000 + 3600);
  assert.match(String(c['jti']), /^[0-9a-f-]{36}$/);
  assert.deepEqual(c['kubernetes.io'], { namespace: 'team', node: { name: 'n', uid: 'node-uid' }, pod: { name: 'p', uid: 'pod-uid' }, serviceaccount: { name: 'robot', uid: 'sa-uid' } });
  assert.deepEqual(Object.keys(c['kubernetes.io'] as object), ['namespace', 'node', 'pod', 'serviceaccount']);
});

test('a verified pod-bound token carries the pod and node in the user extras', () => {
  const iss = new ServiceAccountTokenIssuer(ecPem);
  const { token, claims } = iss.issue({ ...subject, pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n', uid: 'node-uid' } }, now);
  const v = verifyServiceAccountToken(token, { issuer: iss, nowMs: now });
  assert.deepEqual(v.user.extra, {
    'authentication.kubernetes.io/pod-name': ['p'],
    'authentication.kubernetes.io/pod-uid': ['pod-uid'],
    'authentication.kubernetes.io/node-name': ['n'],
    'authentication.kubernetes.io/node-uid': ['node-uid'],
    'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
  });
});

const rejections: { name: string; mutate: (t: string, iss: ServiceAccountTokenIssuer) => string; nowMs?: number; audiences?: string[]; message: RegExp }[] = [
  { name: 'an expired token', mutate: (t) => t, nowMs: now + 3600_000 + 61_000, message: /expired/ },
  { name: 'a token not valid yet', mutate: (t) => t, nowMs: now - 61_000, message: /not valid yet/ },
  { name: 'a token for another audience', mutate: (t) => t, audiences: ['vault'], message: /audiences/ },
  { name: 'a tampered payload', mutate: (t) => { const p = t.split('.'); p[1] = Buffer.from(JSON.stringify({ ...part(t, 1), sub: 'x' })).toString('base64url'); return p.join('.'); }, message: /signature/ },
  { name: 'a token signed by another key', mutate: (_t, iss) => new ServiceAccountTokenIssuer(String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }))).issue(subject, now).token.replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'ES256', kid: iss.keyId })).toString('base64url')), message: /signature/ },
  { name: 'something that is not a JWS', mutate: () => 'abc.def', message: /compact JWS/ },
];
for (const c of rejections) {
  test(`verification rejects ${c.name}`, () => {
    const iss = new ServiceAccountTokenIssuer(ecPem);
    const t = c.mutate(iss.issue(subject, now).token, iss);
    assert.throws(() => verifyServiceAccountToken(t, { issuer: iss, nowMs: c.nowMs ?? now, ...(c.audiences ? { audiences: c.audiences } : {}) }), (e: unknown) => e instanceof TokenRejected && c.message.test(e.message));
  });
}

test('the JWKS names the key by its id and the OpenID configuration points at it', () => {
  const iss = new ServiceAccountTokenIssuer(ecPem);
  const jwks = JSON.parse(iss.jwks()) as { keys: Record<string, string>[] };
  assert.equal(jwks.keys.length, 1);
  assert.deepEqual(Object.keys(jwks.keys[0]!), ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
  assert.equal(jwks.keys[0]!['kid'], keyId(iss.publicKey));
  assert.deepEqual(JSON.parse(iss.openIdConfiguration('https://127.0.0.1:6443/openid/v1/jwks')), {
    issuer: 'https://kubernetes.default.svc.cluster.local',
    jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks',
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  });
});
