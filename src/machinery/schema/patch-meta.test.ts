import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinDefinitions } from '../../api/generated/index.js';
import { patchMetaFor } from './index.js';

const defs = builtinDefinitions();

test('pod containers merge by name, and their ports by containerPort', () => {
  const spec = patchMetaFor('io.k8s.api.core.v1.Pod', defs).child('spec');
  assert.deepEqual(spec?.list('containers'), { strategies: ['merge'], mergeKey: 'name', listType: 'map', mapKeys: ['name'] });
  assert.deepEqual(spec?.child('containers')?.list('ports'), {
    strategies: ['merge'],
    mergeKey: 'containerPort',
    listType: 'map',
    mapKeys: ['containerPort', 'protocol'],
  });
});

test('volumes carry both merge and retainKeys', () => {
  const spec = patchMetaFor('io.k8s.api.core.v1.PodSpec', defs);
  assert.deepEqual(spec.list('volumes')?.strategies, ['merge', 'retainKeys']);
});

test('deployment template reaches the pod spec through refs', () => {
  const tpl = patchMetaFor('io.k8s.api.apps.v1.Deployment', defs).child('spec')?.child('template');
  assert.equal(tpl?.child('spec')?.list('containers')?.mergeKey, 'name');
  assert.equal(tpl?.child('metadata')?.list('ownerReferences')?.mergeKey, 'uid');
});

test('atomic lists have a list type and no merge key', () => {
  const c = patchMetaFor('io.k8s.api.core.v1.Container', defs);
  assert.deepEqual(c.list('command'), { strategies: [], listType: 'atomic' });
});

test('non-list fields and unknown fields give no list meta', () => {
  const c = patchMetaFor('io.k8s.api.core.v1.Container', defs);
  assert.equal(c.list('image'), undefined);
  assert.equal(c.list('nope'), undefined);
  assert.equal(c.child('nope'), undefined);
  assert.equal(c.child('image'), undefined);
});

test('map values are reached through child of the map', () => {
  const props = patchMetaFor('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', defs).child('properties');
  assert.equal(props?.child('anyKey')?.list('required')?.listType, 'atomic');
});

test('patchMetaFor caches per definitions and name', () => {
  assert.equal(patchMetaFor('io.k8s.api.core.v1.Pod', defs), patchMetaFor('io.k8s.api.core.v1.Pod', defs));
});

test('strategies of a non-list field: deployment strategy retains keys', () => {
  const spec = patchMetaFor('io.k8s.api.apps.v1.DeploymentSpec', defs);
  assert.deepEqual(spec.strategies?.('strategy'), ['retainKeys']);
  assert.deepEqual(spec.strategies?.('replicas'), []);
});
