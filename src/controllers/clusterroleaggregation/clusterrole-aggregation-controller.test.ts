import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { SharedInformerFactory } from '../runtime/index.js';
import { aggregatedRules, aggregationFieldManager, newClusterRoleAggregationController, type ClusterRole } from './index.js';

const role = (name: string, labels: Record<string, string>, rules: Record<string, unknown>[]): ClusterRole => ({ metadata: { name, labels }, rules });
const get = (res: string) => ({ apiGroups: [''], resources: [res], verbs: ['get'] });

const cases: { name: string; role: ClusterRole; others: ClusterRole[]; want: Record<string, unknown>[] }[] = [
  {
    name: 'the rules of matching roles, in name order',
    role: { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }] } },
    others: [role('b', { a: 'true' }, [get('pods')]), role('a', { a: 'true' }, [get('secrets')]), role('c', {}, [get('nodes')])],
    want: [get('secrets'), get('pods')],
  },
  {
    name: 'each rule once, across selectors',
    role: { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }, { matchExpressions: [{ key: 'b', operator: 'Exists' }] }] } },
    others: [role('x', { a: 'true' }, [get('pods'), get('pods')]), role('y', { b: '' }, [get('pods'), get('services')])],
    want: [get('pods'), get('services')],
  },
  {
    name: 'never its own rules, and nothing for an invalid selector',
    role: { metadata: { name: 'agg', labels: { a: 'true' } }, rules: [get('old')], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }, { matchExpressions: [{ key: 'b', operator: 'Bogus' }] }] } },
    others: [role('x', { b: '1' }, [get('pods')])],
    want: [],
  },
];
for (const c of cases) {
  test(`an aggregated ClusterRole gets ${c.name}`, () => {
    assert.deepEqual(aggregatedRules(c.role, [c.role, ...c.others]), c.want);
  });
}

test('the controller keeps admin, edit and view aggregated as roles come, change and go', async () => {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const roles = client.resource<ClusterRole>({ group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false });
  const factory = new SharedInformerFactory({ client, clock: systemClock, logger: silentLogger });
  const controller = newClusterRoleAggregationController(factory, { client });
  const ac = new AbortController();
  factory.start(ac.signal);
  await factory.waitForCacheSync(ac.signal);
  const run = controller.run(ac.signal);
  try {
    const hasRule = async (name: string, resource: string) => ((await roles.get(name)).rules ?? []).some((r) => (r['resources'] as string[] | undefined)?.includes(resource));
    let view = false;
    // Poll through the API: each check is a few event-loop turns.
    for (let i = 0; i < 200 && !(view = await hasRule('view', 'pods/log')); i++) await new Promise((r) => setImmediate(r));
    assert.ok(view, 'view has the rules of system:aggregate-to-view');
    assert.ok(await hasRule('edit', 'pods/exec'), 'edit has its own and view’s rules');
    assert.ok(await hasRule('admin', 'rolebindings') && (await hasRule('admin', 'pods/log')), 'admin has everything below it');
    const viewObj = await roles.get('view');
    assert.ok(viewObj.metadata?.managedFields?.some((m) => m.manager === aggregationFieldManager && m.operation === 'Apply'), 'written by server-side apply');

    await roles.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }] });
    let added = false;
    for (let i = 0; i < 200 && !(added = (await hasRule('view', 'widgets')) && (await hasRule('admin', 'widgets'))); i++) await new Promise((r) => setImmediate(r));
    assert.ok(added, 'a new labelled role reaches view, edit and admin');

    await roles.delete('widgets-view');
    let gone = false;
    for (let i = 0; i < 200 && !(gone = !(await hasRule('view', 'widgets')) && !(await hasRule('admin', 'widgets'))); i++) await new Promise((r) => setImmediate(r));
    assert.ok(gone, 'its rules leave when it is deleted');
  } finally {
    ac.abort();
    await run;
  }
});
