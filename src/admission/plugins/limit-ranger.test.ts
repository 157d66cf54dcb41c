import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { StatusError } from '../../machinery/index.js';
import { attrs, MemoryLookup, runPlugin, testDeps } from '../testing-support.js';
import { limitRangerPlugin } from './limit-ranger.js';

const lr = { group: '', resource: 'limitranges' };

function pluginWith(limits: Record<string, unknown>[]) {
  return limitRangerPlugin(testDeps(new MemoryLookup([{ ref: lr, obj: { metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } } }])));
}

function pod(containers: Record<string, unknown>[], init: Record<string, unknown>[] = []): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns' }, spec: { containers, ...(init.length ? { initContainers: init } : {}) } };
}

test('LimitRanger: containers get default requests and limits, and the annotation says which', async () => {
  const plugin = pluginWith([{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }]);
  const p = pod([{ name: 'app', image: 'x' }, { name: 'side', image: 'x', resources: { requests: { cpu: '200m' } } }], [{ name: 'init', image: 'x' }]);
  await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'ns', object: p }));
  const spec = p['spec'] as Record<string, any>;
  assert.deepEqual(spec['containers'][0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  assert.deepEqual(spec['containers'][1].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '200m', memory: '128Mi' } });
  assert.equal(
    p.metadata?.annotations?.['kubernetes.io/limit-ranger'],
    'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; memory request for container side; cpu, memory limit for container side; cpu, memory request for init container init; cpu, memory limit for init container init',
  );
});

const refusals: { name: string; limits: Record<string, unknown>[]; containers: Record<string, unknown>[]; message: string }[] = [
  {
    name: 'a container over the max limit',
    limits: [{ type: 'Container', max: { cpu: '800m' } }],
    containers: [{ name: 'a', resources: { limits: { cpu: '1500m' }, requests: { cpu: '500m' } } }],
    message: 'maximum cpu usage per Container is 800m, but limit is 1500m',
  },
  { name: 'a container with no limit under a max', limits: [{ type: 'Container', max: { memory: '1Gi' } }], containers: [{ name: 'a' }], message: 'maximum memory usage per Container is 1Gi.  No limit is specified' },
  {
    name: 'a container under the min request',
    limits: [{ type: 'Container', min: { cpu: '200m' } }],
    containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }],
    message: 'minimum cpu usage per Container is 200m, but request is 100m',
  },
  {
    name: 'a limit/request ratio above the max',
    limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }],
    containers: [{ name: 'a', resources: { requests: { cpu: '100m' }, limits: { cpu: '500m' } } }],
    message: 'cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000',
  },
  {
    name: 'a pod whose containers together exceed the pod max',
    limits: [{ type: 'Pod', max: { memory: '1Gi' } }],
    containers: [
      { name: 'a', resources: { limits: { memory: '768Mi' } } },
      { name: 'b', resources: { limits: { memory: '768Mi' } } },
    ],
    message: 'maximum memory usage per Pod is 1Gi, but limit is 1536Mi',
  },
  {
    name: 'two breaches at once, in brackets',
    limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '500m' } }],
    containers: [{ name: 'a', resources: { requests: { cpu: '100m' }, limits: { cpu: '2' } } }],
    message: '[minimum cpu usage per Container is 500m, but request is 100m, maximum cpu usage per Container is 1, but limit is 2]',
  },
];
for (const c of refusals) {
  test(`LimitRanger: refuses ${c.name} with 403`, async () => {
    const p = pod(c.containers.map((x) => ({ image: 'x', ...x })));
    await assert.rejects(runPlugin(pluginWith(c.limits), attrs({ resource: 'pods', namespace: 'ns', object: p })), (e: unknown) => e instanceof StatusError && e.code === 403 && e.message === `pods "p" is forbidden: ${c.message}`);
  });
}

test('LimitRanger: claims are bounded by PersistentVolumeClaim items', async () => {
  const plugin = pluginWith([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]);
  const claim = (size: string): KubeObject => ({ metadata: { name: 'c', namespace: 'ns' }, spec: { resources: { requests: { storage: size } } } });
  await runPlugin(plugin, attrs({ resource: 'persistentvolumeclaims', namespace: 'ns', object: claim('5Gi') }));
  await assert.rejects(runPlugin(plugin, attrs({ resource: 'persistentvolumeclaims', namespace: 'ns', object: claim('20Gi') })), /persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi/);
});

test('LimitRanger: pod updates and subresources are not its business', () => {
  const plugin = pluginWith([]);
  assert.equal(plugin.handles('UPDATE', { group: '', resource: 'pods', subresource: '' }), false);
  assert.equal(plugin.handles('CREATE', { group: '', resource: 'pods', subresource: 'binding' }), false);
  assert.equal(plugin.handles('UPDATE', { group: '', resource: 'persistentvolumeclaims', subresource: '' }), true);
});
