import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy, prepareCreate, testContext } from '../../testing-support/index.js';
import { persistentVolumeClaimStrategy } from './strategy.js';

const pvc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec, ...(status ? { status } : {}) });
const claim = (extra: Record<string, unknown> = {}) => pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra });

describeStrategy(persistentVolumeClaimStrategy, {
  valid: claim({ storageClassName: 'standard' }),
  invalid: [
    { name: 'no access modes and no storage request', object: pvc({}), fields: ['spec.accessModes', 'spec.resources[storage]'] },
    { name: 'a zero storage request', object: claim({ resources: { requests: { storage: '0' } } }), fields: ['spec.resources[storage]'] },
    { name: 'an unknown volume mode', object: claim({ volumeMode: 'Raw' }), fields: ['spec.volumeMode'] },
  ],
  invalidUpdates: [{ name: 'changing the access modes', old: claim(), object: claim({ accessModes: ['ReadWriteMany'] }), fields: ['spec'] }],
});

test('a new claim reads back Pending with volumeMode Filesystem', () => {
  const got = prepareCreate(persistentVolumeClaimStrategy, claim());
  assert.equal((got['spec'] as Record<string, unknown>)['volumeMode'], 'Filesystem');
  assert.deepEqual(got['status'], { phase: 'Pending' });
});

test('binding a volume once is a valid update', () => {
  const ctx = testContext();
  const old = prepareCreate(persistentVolumeClaimStrategy, claim(), ctx);
  const next = structuredClone(old);
  (next['spec'] as Record<string, unknown>)['volumeName'] = 'pv1';
  persistentVolumeClaimStrategy.prepareForUpdate?.(next, old, ctx);
  assert.deepEqual(persistentVolumeClaimStrategy.validateUpdate?.(next, old, ctx), []);
});

test('the PVC row shows volume, capacity and modes only once bound', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const pending = prepareCreate(persistentVolumeClaimStrategy, claim({ storageClassName: 'standard' }));
  assert.deepEqual(persistentVolumeClaimStrategy.printer?.row(pending, { now }), ['data', 'Pending', '', '', '', 'standard', '<unset>', '0s', 'Filesystem']);
  const bound = { ...pending, spec: { ...(pending['spec'] as object), volumeName: 'pv1' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
  assert.deepEqual(persistentVolumeClaimStrategy.printer?.row(bound, { now }), ['data', 'Bound', 'pv1', '1Gi', 'RWO', 'standard', '<unset>', '0s', 'Filesystem']);
});
