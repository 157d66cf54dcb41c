import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy, prepareCreate, testContext } from '../../testing-support/index.js';
import { persistentVolumeStrategy } from './strategy.js';

const pv = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec });
const hostPV = (extra: Record<string, unknown> = {}) => pv({ capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' }, ...extra });

describeStrategy(persistentVolumeStrategy, {
  valid: hostPV({ storageClassName: 'manual' }),
  invalid: [
    { name: 'no access modes, capacity or source', object: pv({}), fields: ['spec.accessModes', 'spec.capacity', 'spec'] },
    { name: 'ReadWriteOncePod with other modes', object: hostPV({ accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }), fields: ['spec.accessModes'] },
    { name: 'a local volume without node affinity', object: pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disk' } }), fields: ['spec.nodeAffinity'] },
    { name: 'an unknown reclaim policy', object: hostPV({ persistentVolumeReclaimPolicy: 'Keep' }), fields: ['spec.persistentVolumeReclaimPolicy'] },
  ],
  invalidUpdates: [{ name: 'changing the volume source', old: hostPV(), object: hostPV({ hostPath: { path: '/other' } }), fields: ['spec.persistentvolumesource'] }],
});

test('a new volume reads back Pending, Retain, Filesystem with its phase transition time', () => {
  const ctx = testContext();
  const got = prepareCreate(persistentVolumeStrategy, hostPV(), ctx);
  const spec = got['spec'] as Record<string, unknown>;
  assert.equal(spec['persistentVolumeReclaimPolicy'], 'Retain');
  assert.equal(spec['volumeMode'], 'Filesystem');
  assert.deepEqual(spec['hostPath'], { path: '/data', type: '' });
  assert.deepEqual(got['status'], { phase: 'Pending', lastPhaseTransitionTime: '2024-05-01T12:00:00Z' });
});

test('the PV row shows capacity, access modes, claim and class', () => {
  const got = prepareCreate(persistentVolumeStrategy, hostPV({ storageClassName: 'manual', claimRef: { namespace: 'default', name: 'data' } }));
  const row = persistentVolumeStrategy.printer?.row(got, { now: Date.parse('2024-05-01T12:01:00Z') });
  assert.deepEqual(row, ['pv1', '10Gi', 'RWO', 'Retain', 'Pending', 'default/data', 'manual', '<unset>', '', '60s', 'Filesystem']);
});

test('a status update that changes the phase records the transition time', () => {
  const old = prepareCreate(persistentVolumeStrategy, hostPV(), testContext());
  const next = { ...structuredClone(old), status: { phase: 'Available' } };
  persistentVolumeStrategy.status?.prepareForUpdate(next, old, testContext(Date.parse('2024-05-02T00:00:00Z')));
  assert.deepEqual(next['status'], { phase: 'Available', lastPhaseTransitionTime: '2024-05-02T00:00:00Z' });
});
