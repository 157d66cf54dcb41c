import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate } from '../testing-support/index.js';
import { storageClassStrategy } from './index.js';

const sc = (extra: Record<string, unknown>) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, ...extra });
describeStrategy(storageClassStrategy, {
  valid: sc({ provisioner: 'kin.dev/hostpath' }),
  invalid: [
    { name: 'missing provisioner', object: sc({}), fields: ['provisioner'] },
    { name: 'bad provisioner', object: sc({ provisioner: 'a/b/c' }), fields: ['provisioner'] },
    { name: 'unknown reclaimPolicy', object: sc({ provisioner: 'p', reclaimPolicy: 'Recycle' }), fields: ['reclaimPolicy'] },
    { name: 'unknown binding mode', object: sc({ provisioner: 'p', volumeBindingMode: 'Later' }), fields: ['volumeBindingMode'] },
  ],
  invalidUpdates: [
    { name: 'provisioner change', old: sc({ provisioner: 'a' }), object: sc({ provisioner: 'b' }), fields: ['provisioner'] },
    { name: 'parameters change', old: sc({ provisioner: 'a', parameters: { x: '1' } }), object: sc({ provisioner: 'a', parameters: { x: '2' } }), fields: ['parameters'] },
  ],
});

test('defaults Delete and Immediate; the default class is marked in the Name column', () => {
  const obj = prepareCreate(storageClassStrategy, sc({ provisioner: 'p', metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }));
  assert.equal(obj.reclaimPolicy, 'Delete');
  assert.equal(obj.volumeBindingMode, 'Immediate');
  assert.deepEqual(storageClassStrategy.printer!.row(obj as never, { now: Date.parse(obj.metadata!.creationTimestamp!) }).slice(0, 5), ['standard (default)', 'p', 'Delete', 'Immediate', false]);
});
