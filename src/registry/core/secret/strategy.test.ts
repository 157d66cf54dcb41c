import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate } from '../../testing-support/index.js';
import { secretStrategy } from './strategy.js';

const secret = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describeStrategy(secretStrategy, {
  valid: secret({ data: { password: b64('hunter2') } }),
  invalid: [
    { name: 'a bad key', object: secret({ data: { 'bad key': b64('x') } }), fields: ['data[bad key]'] },
    { name: 'a TLS secret without key', object: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), fields: ['data[tls.key]'] },
    { name: 'a docker config that is not JSON', object: secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } }), fields: ['data[.dockerconfigjson]'] },
    { name: 'a token secret without service account', object: secret({ type: 'kubernetes.io/service-account-token' }), fields: ['metadata.annotations[kubernetes.io/service-account.name]'] },
    { name: 'more than 1 MiB', object: secret({ data: { big: b64('x'.repeat(1024 * 1024 + 1)) } }), fields: ['data'] },
  ],
  invalidUpdates: [
    { name: 'changing the type', old: secret({}), object: secret({ type: 'kubernetes.io/basic-auth', data: { username: b64('u') } }), fields: ['type'] },
    { name: 'changing immutable data', old: secret({ immutable: true, data: { a: b64('1') } }), object: secret({ immutable: true, data: { a: b64('2') } }), fields: ['data'] },
  ],
});

test('stringData is merged into data as base64 and removed; the type defaults to Opaque', () => {
  const got = prepareCreate(secretStrategy, secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new' } }));
  assert.deepEqual(got['data'], { a: b64('new'), b: b64('keep') });
  assert.equal(got['stringData'], undefined);
  assert.equal(got['type'], 'Opaque');
});

test('secrets print type and key count and select on type', () => {
  const got = prepareCreate(secretStrategy, secret({ data: { a: b64('1'), b: b64('2') } }));
  assert.deepEqual(secretStrategy.printer?.row(got, { now: Date.parse('2024-05-01T12:00:00Z') }), ['s', 'Opaque', 2, '0s']);
  assert.deepEqual(secretStrategy.selectableFields?.(got), { type: 'Opaque' });
});
