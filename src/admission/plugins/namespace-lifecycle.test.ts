import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/index.js';
import { attrs, MemoryLookup, runPlugin, testDeps } from '../testing-support.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';

const ns = { group: '', resource: 'namespaces' };
const lookup = new MemoryLookup([
  { ref: ns, obj: { metadata: { name: 'live' }, status: { phase: 'Active' } } },
  { ref: ns, obj: { metadata: { name: 'dying', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } } },
]);
const plugin = namespaceLifecycle(testDeps(lookup));

const cases: { name: string; a: Parameters<typeof attrs>[0]; code?: number; message?: string }[] = [
  { name: 'a create in an active namespace passes', a: { resource: 'configmaps', namespace: 'live', object: { metadata: { name: 'c' } } } },
  { name: 'a create in a missing namespace is 404 for the namespace', a: { resource: 'configmaps', namespace: 'nope', object: { metadata: { name: 'c' } } }, code: 404, message: 'namespaces "nope" not found' },
  {
    name: 'a create in a terminating namespace is 403 about the object',
    a: { resource: 'deployments', group: 'apps', namespace: 'dying', object: { metadata: { name: 'web' } } },
    code: 403,
    message: 'deployments.apps "web" is forbidden: unable to create new content in namespace dying because it is being terminated',
  },
  { name: 'an update in a terminating namespace passes', a: { operation: 'UPDATE', resource: 'configmaps', namespace: 'dying', name: 'c', object: { metadata: { name: 'c' } } } },
  { name: 'an update in a missing namespace is 404 for the namespace', a: { operation: 'UPDATE', resource: 'configmaps', namespace: 'gone', name: 'c', object: { metadata: { name: 'c' } } }, code: 404, message: 'namespaces "gone" not found' },
  { name: 'deleting content of a missing namespace is not checked', a: { operation: 'DELETE', resource: 'configmaps', namespace: 'gone', name: 'c' } },
  { name: 'cluster-scoped creates are not checked', a: { resource: 'nodes', object: { metadata: { name: 'n' } } } },
  { name: 'deleting kube-system is forbidden', a: { operation: 'DELETE', resource: 'namespaces', name: 'kube-system' }, code: 403, message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted' },
  { name: 'deleting another namespace passes', a: { operation: 'DELETE', resource: 'namespaces', name: 'live' } },
];

for (const c of cases) {
  test(`NamespaceLifecycle: ${c.name}`, async () => {
    const a = attrs(c.a);
    if (!plugin.handles(a.operation, { group: a.resource.group, resource: a.resource.resource, subresource: '' })) {
      assert.equal(c.code, undefined);
      return;
    }
    const p = runPlugin(plugin, a);
    if (c.code === undefined) return void (await p);
    await assert.rejects(p, (e: unknown) => e instanceof StatusError && e.code === c.code && e.message === c.message);
  });
}

test('NamespaceLifecycle: the terminating refusal carries the NamespaceTerminating cause', async () => {
  const err = await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'dying', object: { metadata: { generateName: 'web-' } } })).catch((e: StatusError) => e);
  assert.ok(err instanceof StatusError);
  assert.equal(err.status.details?.name, 'web-');
  assert.deepEqual(err.status.details?.causes, [{ reason: 'NamespaceTerminating', message: 'namespace dying is being terminated', field: 'metadata.namespace' }]);
});
