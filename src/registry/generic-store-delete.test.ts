// GenericStore.delete under concurrent writes: it reads again and retries, as kube-apiserver's storage does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.js';
import { MemoryBackend } from '../storage/index.js';
import { systemClock } from '../util/index.js';
import { GenericStore } from './generic-store.js';
import { customResourceStrategy } from './apiextensions/custom-resource.js';
import type { Crd, CrdVersion } from './apiextensions/customresourcedefinition/types.js';

const v1: CrdVersion = { name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } };
const crd: Crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'lamps.light.kin.dev' },
  spec: { group: 'light.kin.dev', names: { plural: 'lamps', kind: 'Lamp' }, scope: 'Namespaced', versions: [v1] },
};
const lamp = (finalizers?: string[]): KubeObject => ({ apiVersion: 'light.kin.dev/v1', kind: 'Lamp', metadata: { name: 'desk', namespace: 'home', ...(finalizers ? { finalizers } : {}) }, spec: { watts: 1 } });

/** A backend where one other writer changes the object right before the first delete reaches storage. */
class RacingBackend extends MemoryBackend {
  race: ((key: string) => Promise<void>) | undefined;
  override async delete(key: string, expectedRevision?: number): Promise<{ revision: number; prev: import('../storage/index.js').KeyValue }> {
    const r = this.race;
    this.race = undefined;
    if (r) await r(key);
    return super.delete(key, expectedRevision);
  }
}

const cases = [
  { name: 'a delete without preconditions retries after a concurrent status write and removes the object', finalizers: undefined, expect: 'deleted' },
  { name: 'a delete is refused with Conflict when a finalizer was added between its read and the delete', finalizers: ['example.com/hold'], expect: 'conflict' },
] as const;

for (const c of cases) {
  test(c.name, async () => {
    const backend = new RacingBackend();
    const store = new GenericStore({ backend, clock: systemClock, meta: { create: () => [], update: () => [] }, strategy: customResourceStrategy(crd, v1) });
    await store.create('home', lamp());
    backend.race = async () => {
      await store.update('home', 'desk', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, ...(c.finalizers ? { finalizers: [...c.finalizers] } : { labels: { seen: 'yes' } }) } }));
    };
    if (c.expect === 'deleted') {
      const ref = await store.delete('home', 'desk');
      assert.equal(store.object(ref).metadata?.labels?.['seen'], 'yes', 'the object deleted is the one after the concurrent write');
      await assert.rejects(store.get('home', 'desk'), (e: { reason?: string }) => e.reason === 'NotFound');
    } else {
      await assert.rejects(store.delete('home', 'desk'), (e: { reason?: string }) => e.reason === 'Conflict');
      assert.deepEqual(store.object(await store.get('home', 'desk')).metadata?.finalizers, ['example.com/hold']);
    }
  });
}
