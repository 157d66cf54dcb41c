import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionChain, admissionOrder, newAdmissionChain, PluginRegistry } from './chain.js';
import type { AdmissionPlugin } from './interfaces.js';
import { attrs, MemoryLookup, testDeps } from './testing-support.js';

function recorder(name: string, log: string[], wants: (r: string) => boolean = (r) => r === 'pods'): AdmissionPlugin & { asked: number } {
  const p = {
    name,
    asked: 0,
    handles: (_op: string, r: { resource: string }) => {
      p.asked++;
      return wants(r.resource);
    },
    admit: () => void log.push(`${name}.admit`),
    validate: () => void log.push(`${name}.validate`),
  };
  return p;
}

test('plugins run in the order of the ordered list, not of registration', async () => {
  const log: string[] = [];
  const reg = new PluginRegistry().register('ResourceQuota', () => recorder('ResourceQuota', log)).register('NamespaceLifecycle', () => recorder('NamespaceLifecycle', log));
  const chain = newAdmissionChain({ registry: reg, deps: testDeps(new MemoryLookup()) });
  const a = attrs({ resource: 'pods', namespace: 'ns' });
  await chain.admit(a);
  await chain.validate(a);
  assert.deepEqual(log, ['NamespaceLifecycle.admit', 'ResourceQuota.admit', 'NamespaceLifecycle.validate', 'ResourceQuota.validate']);
  assert.ok(admissionOrder.indexOf('NamespaceLifecycle') < admissionOrder.indexOf('ResourceQuota'));
});

test('disabled plugins and names not registered are left out', () => {
  const reg = new PluginRegistry().register('LimitRanger', () => recorder('LimitRanger', [])).register('ServiceAccount', () => recorder('ServiceAccount', []));
  const chain = newAdmissionChain({ registry: reg, deps: testDeps(new MemoryLookup()), disabled: ['ServiceAccount'] });
  assert.deepEqual(chain.plugins.map((p) => p.name), ['LimitRanger']);
});

test('handles is asked once per operation and resource; a write no plugin wants has no steps', () => {
  const p = recorder('P', []);
  const chain = new AdmissionChain([p]);
  for (let i = 0; i < 5; i++) assert.equal(chain.steps('CREATE', { group: '', resource: 'configmaps', subresource: '' }), undefined);
  assert.equal(p.asked, 1);
  assert.equal(chain.steps('CREATE', { group: '', resource: 'pods', subresource: '' })?.mutating.length, 1);
  chain.steps('CREATE', { group: '', resource: 'pods', subresource: '' });
  assert.equal(p.asked, 2);
});

test('a refusal stops the chain', async () => {
  const log: string[] = [];
  const refuse: AdmissionPlugin = { name: 'No', handles: () => true, admit: () => { throw new Error('no'); } };
  const chain = new AdmissionChain([refuse, recorder('After', log, () => true)]);
  await assert.rejects(chain.admit(attrs({ resource: 'pods' })), /no/);
  assert.deepEqual(log, []);
});
