import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { StatusError } from '../../machinery/index.js';
import { attrs, MemoryLookup, runPlugin, testDeps } from '../testing-support.js';
import { resourceQuotaPlugin } from './resource-quota.js';

const rq = { group: '', resource: 'resourcequotas' };

function quota(name: string, hard: Record<string, string>, used: Record<string, string> | undefined, spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name, namespace: 'ns', uid: name }, spec: { hard, ...spec }, status: { hard, ...(used ? { used } : {}) } };
}

function pod(name: string, resources?: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name, namespace: 'ns' }, spec: { containers: [{ name: 'app', image: 'x', ...(resources ? { resources } : {}) }], ...spec } };
}

function setup(...quotas: KubeObject[]) {
  const lookup = new MemoryLookup(quotas.map((obj) => ({ ref: rq, obj })));
  return { lookup, plugin: resourceQuotaPlugin(testDeps(lookup)) };
}

const compute = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

const refusals: { name: string; quotas: KubeObject[]; resource: string; object: KubeObject; message: string }[] = [
  {
    name: 'a pod over the cpu request quota',
    quotas: [quota('compute', { 'requests.cpu': '1', pods: '10' }, { 'requests.cpu': '800m', pods: '2' })],
    resource: 'pods',
    object: pod('web', compute),
    message: 'pods "web" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=800m, limited: requests.cpu=1',
  },
  {
    name: 'a pod over the pod count',
    quotas: [quota('count', { pods: '2' }, { pods: '2' })],
    resource: 'pods',
    object: pod('web'),
    message: 'pods "web" is forbidden: exceeded quota: count, requested: pods=1, used: pods=2, limited: pods=2',
  },
  {
    name: 'a pod that states no cpu limit under a limits.cpu quota',
    quotas: [quota('compute', { 'limits.cpu': '2', 'limits.memory': '1Gi' }, { 'limits.cpu': '0', 'limits.memory': '0' })],
    resource: 'pods',
    object: pod('web', { requests: { cpu: '100m' } }),
    message: 'pods "web" is forbidden: failed quota: compute: must specify limits.cpu for: app; limits.memory for: app',
  },
  {
    name: 'a quota whose usage is not computed yet',
    quotas: [quota('fresh', { pods: '5' }, undefined)],
    resource: 'pods',
    object: pod('web'),
    message: 'pods "web" is forbidden: status unknown for quota: fresh, resources: pods',
  },
  {
    name: 'a config map over its object count',
    quotas: [quota('objects', { 'count/configmaps': '1' }, { 'count/configmaps': '1' })],
    resource: 'configmaps',
    object: { metadata: { name: 'cm', namespace: 'ns' } },
    message: 'configmaps "cm" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1',
  },
  {
    name: 'a second load balancer',
    quotas: [quota('svc', { 'services.loadbalancers': '1' }, { 'services.loadbalancers': '1' })],
    resource: 'services',
    object: { metadata: { name: 'lb', namespace: 'ns' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } },
    message: 'services "lb" is forbidden: exceeded quota: svc, requested: services.loadbalancers=1, used: services.loadbalancers=1, limited: services.loadbalancers=1',
  },
  {
    name: 'a claim over the storage quota',
    quotas: [quota('storage', { 'requests.storage': '10Gi' }, { 'requests.storage': '8Gi' })],
    resource: 'persistentvolumeclaims',
    object: { metadata: { name: 'data', namespace: 'ns' }, spec: { resources: { requests: { storage: '5Gi' } } } },
    message: 'persistentvolumeclaims "data" is forbidden: exceeded quota: storage, requested: requests.storage=5Gi, used: requests.storage=8Gi, limited: requests.storage=10Gi',
  },
];
for (const c of refusals) {
  test(`ResourceQuota: refuses ${c.name} with 403`, async () => {
    const { plugin, lookup } = setup(...c.quotas);
    await assert.rejects(runPlugin(plugin, attrs({ resource: c.resource, namespace: 'ns', object: c.object })), (e: unknown) => e instanceof StatusError && e.code === 403 && e.message === c.message);
    assert.equal(lookup.statusWrites.length, 0);
  });
}

test('ResourceQuota: an admitted pod is charged to status.used at once', async () => {
  const { plugin, lookup } = setup(quota('compute', { 'requests.cpu': '2', 'limits.memory': '2Gi', pods: '10', 'count/pods': '10' }, { 'requests.cpu': '1', 'limits.memory': '0', pods: '1', 'count/pods': '1' }));
  await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'ns', object: pod('web', compute) }));
  assert.equal(lookup.statusWrites.length, 1);
  assert.deepEqual((lookup.statusWrites[0]!['status'] as Record<string, unknown>)['used'], { 'count/pods': '2', 'limits.memory': '512Mi', pods: '2', 'requests.cpu': '1500m' });
});

test('ResourceQuota: dry runs are checked but charge nothing', async () => {
  const { plugin, lookup } = setup(quota('count', { pods: '2' }, { pods: '0' }));
  await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'ns', object: pod('web'), dryRun: true }));
  assert.equal(lookup.statusWrites.length, 0);
});

const scoped: { name: string; spec: Record<string, unknown>; p: KubeObject; charged: boolean }[] = [
  { name: 'BestEffort counts a pod with no resources', spec: { scopes: ['BestEffort'] }, p: pod('a'), charged: true },
  { name: 'BestEffort skips a pod with requests', spec: { scopes: ['BestEffort'] }, p: pod('a', compute), charged: false },
  { name: 'Terminating counts a pod with a deadline', spec: { scopes: ['Terminating'] }, p: pod('a', undefined, { activeDeadlineSeconds: 60 }), charged: true },
  { name: 'NotTerminating skips a pod with a deadline', spec: { scopes: ['NotTerminating'] }, p: pod('a', undefined, { activeDeadlineSeconds: 60 }), charged: false },
  {
    name: 'a PriorityClass selector counts a pod of that class',
    spec: { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
    p: pod('a', undefined, { priorityClassName: 'high' }),
    charged: true,
  },
  {
    name: 'a PriorityClass selector skips other pods',
    spec: { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
    p: pod('a'),
    charged: false,
  },
];
for (const c of scoped) {
  test(`ResourceQuota scopes: ${c.name}`, async () => {
    const { plugin, lookup } = setup(quota('q', { pods: '5' }, { pods: '0' }, c.spec));
    await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'ns', object: c.p }));
    assert.equal(lookup.statusWrites.length, c.charged ? 1 : 0);
  });
}

test('ResourceQuota: a service update is charged only for what it adds', async () => {
  const { plugin, lookup } = setup(quota('svc', { 'services.nodeports': '3', services: '5' }, { 'services.nodeports': '0', services: '1' }));
  const old: KubeObject = { metadata: { name: 's', namespace: 'ns', resourceVersion: '5' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }, { port: 81 }] } };
  const next: KubeObject = { metadata: { name: 's', namespace: 'ns', resourceVersion: '5' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] } };
  await runPlugin(plugin, attrs({ operation: 'UPDATE', name: 's', resource: 'services', namespace: 'ns', object: next, oldObject: old }));
  assert.deepEqual((lookup.statusWrites[0]!['status'] as Record<string, unknown>)['used'], { 'services.nodeports': '2', services: '1' });
});

test('ResourceQuota: a namespace without quotas costs one list and no write', async () => {
  const { plugin, lookup } = setup();
  await runPlugin(plugin, attrs({ resource: 'configmaps', namespace: 'ns', object: { metadata: { name: 'cm' } } }));
  assert.equal(lookup.statusWrites.length, 0);
  assert.equal(plugin.handles('CREATE', { group: '', resource: 'events', subresource: '' }), false);
});

test('ResourceQuota: a quota changed by another writer meanwhile is read again and charged once', async () => {
  const { lookup } = setup(quota('count', { pods: '5' }, { pods: '1' }));
  let raced = false;
  const racing = Object.assign(Object.create(lookup) as MemoryLookup, {
    async updateStatus(r: { group: string; resource: string }, obj: KubeObject) {
      if (!raced) {
        raced = true;
        // The controller recounts first: one pod more than the plugin read.
        const cur = (await lookup.get(r, 'ns', 'count'))!;
        lookup.put(r, { ...cur, status: { hard: { pods: '5' }, used: { pods: '2' } } });
      }
      return lookup.updateStatus(r, obj);
    },
  });
  const plugin = resourceQuotaPlugin(testDeps(racing));
  await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'ns', object: pod('web') }));
  assert.deepEqual((lookup.statusWrites.at(-1)!['status'] as Record<string, unknown>)['used'], { pods: '3' });
});
