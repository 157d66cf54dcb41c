// The custom resource strategy in a generic store: reads are pruned and defaulted with the schema of the version
// an object was stored in (status defaults show although create drops status), and served in the version asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { MemoryBackend } from '../../storage/index.js';
import { systemClock } from '../../util/index.js';
import { GenericStore } from '../generic-store.js';
import { customResourceStrategy } from './custom-resource.js';
import type { Crd, CrdVersion } from './customresourcedefinition/types.js';

const lampSchema = (extra: Record<string, unknown>) => ({
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { watts: { type: 'integer', default: 40 }, ...extra } },
    status: {
      type: 'object',
      default: { phase: 'Unlit' },
      properties: { phase: { type: 'string' } },
    },
  },
});

function lampCrd(versions: CrdVersion[]): Crd {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'lamps.light.kin.dev' },
    spec: { group: 'light.kin.dev', names: { plural: 'lamps', kind: 'Lamp' }, scope: 'Namespaced', versions },
  };
}

const v1: CrdVersion = { name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: lampSchema({ color: { type: 'string', default: 'white' } }) } };

function storeFor(crd: Crd, version: CrdVersion, backend: MemoryBackend): GenericStore {
  return new GenericStore({ backend, clock: systemClock, meta: { create: () => [], update: () => [] }, strategy: customResourceStrategy(crd, version) });
}

const lamp = (apiVersion: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion, kind: 'Lamp', metadata: { name: 'desk', namespace: 'home' }, spec });

test('a created object reads back with its status default although create dropped status', async () => {
  const store = storeFor(lampCrd([v1]), v1, new MemoryBackend());
  const ref = await store.create('home', lamp('light.kin.dev/v1', { watts: 60 }));
  const got = store.object(ref);
  assert.deepEqual(got['spec'], { watts: 60, color: 'white' });
  assert.deepEqual(got['status'], { phase: 'Unlit' });
  assert.equal(got.apiVersion, 'light.kin.dev/v1');
  // The default is a read-time view: an update that changes nothing else does not write it.
  const again = await store.update('home', 'desk', (cur) => cur!);
  assert.equal(again.ref.rv, ref.rv);
});

test('a default added to the CRD later shows on reads of objects stored before it', async () => {
  const backend = new MemoryBackend();
  const before: CrdVersion = { ...v1, schema: { openAPIV3Schema: lampSchema({}) } };
  const ref = await storeFor(lampCrd([before]), before, backend).create('home', lamp('light.kin.dev/v1', {}));
  const after = storeFor(lampCrd([v1]), v1, backend);
  const got = await after.get('home', 'desk');
  assert.equal(got.rv, ref.rv);
  assert.deepEqual(after.object(got)['spec'], { watts: 40, color: 'white' });
});

test('fields a later schema no longer declares are dropped on reads', async () => {
  const backend = new MemoryBackend();
  await storeFor(lampCrd([v1]), v1, backend).create('home', lamp('light.kin.dev/v1', { color: 'red' }));
  const narrower: CrdVersion = { ...v1, schema: { openAPIV3Schema: lampSchema({}) } };
  const store = storeFor(lampCrd([narrower]), narrower, backend);
  assert.deepEqual(store.object(await store.get('home', 'desk'))['spec'], { watts: 40 });
});

test('an object is defaulted with the schema of its stored version, then served in the version asked for', async () => {
  const backend = new MemoryBackend();
  const beta: CrdVersion = { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: lampSchema({ color: { type: 'string', default: 'amber' } }) } };
  const crd = lampCrd([beta, v1]);
  await storeFor(crd, v1, backend).create('home', lamp('light.kin.dev/v1', { watts: 25 }));
  const betaStore = storeFor(crd, beta, backend);
  const got = betaStore.object(await betaStore.get('home', 'desk'));
  assert.equal(got.apiVersion, 'light.kin.dev/v1beta1');
  // The stored (v1) object was defaulted on write with v1's default; v1beta1's default does not replace it.
  assert.deepEqual(got['spec'], { watts: 25, color: 'white' });
});
