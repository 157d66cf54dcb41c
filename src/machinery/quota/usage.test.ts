import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { formatResourceList, printList } from './resource-list.js';
import { countedResourceOf, evaluatorFor, objectCountName, podResources } from './usage.js';

const now = Date.UTC(2026, 0, 1);
const c = (name: string, requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name, image: 'x', resources: { requests }, ...extra });

const podCases: { name: string; spec: Record<string, unknown>; want: Record<string, string> }[] = [
  { name: 'containers are summed', spec: { containers: [c('a', { cpu: '100m' }), c('b', { cpu: '250m' })] }, want: { cpu: '350m' } },
  { name: 'an init container larger than the sum wins', spec: { containers: [c('a', { cpu: '100m' })], initContainers: [c('i', { cpu: '1' })] }, want: { cpu: '1' } },
  {
    name: 'a sidecar adds to the containers and to later init containers',
    spec: { containers: [c('a', { cpu: '100m' })], initContainers: [c('s', { cpu: '200m' }, { restartPolicy: 'Always' }), c('i', { cpu: '250m' })] },
    want: { cpu: '450m' },
  },
  { name: 'overhead is added', spec: { containers: [c('a', { memory: '64Mi' })], overhead: { memory: '16Mi' } }, want: { memory: '80Mi' } },
];
for (const t of podCases) {
  test(`pod requests: ${t.name}`, () => {
    assert.deepEqual(formatResourceList(podResources({ spec: t.spec }, 'requests')), t.want);
  });
}

const usageCases: { name: string; group?: string; resource: string; obj: KubeObject; want: string }[] = [
  { name: 'a running pod', resource: 'pods', obj: { spec: { containers: [c('a', { cpu: '100m', memory: '1Gi' })] } }, want: 'count/pods=1,cpu=100m,memory=1Gi,pods=1,requests.cpu=100m,requests.memory=1Gi' },
  { name: 'a finished pod counts only as an object', resource: 'pods', obj: { spec: { containers: [c('a', { cpu: '1' })] }, status: { phase: 'Failed' } }, want: 'count/pods=1' },
  {
    name: 'a pod past its deletion grace period',
    resource: 'pods',
    obj: { metadata: { deletionTimestamp: '2025-12-31T23:00:00Z', deletionGracePeriodSeconds: 30 }, spec: { containers: [c('a', { cpu: '1' })] } },
    want: 'count/pods=1',
  },
  { name: 'a NodePort service counts its ports', resource: 'services', obj: { spec: { type: 'NodePort', ports: [{ port: 1 }, { port: 2 }] } }, want: 'count/services=1,services=1,services.loadbalancers=0,services.nodeports=2' },
  {
    name: 'a load balancer without node ports counts only ports that name one',
    resource: 'services',
    obj: { spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 1, nodePort: 30001 }, { port: 2 }] } },
    want: 'count/services=1,services=1,services.loadbalancers=1,services.nodeports=1',
  },
  {
    name: 'a claim charges its class',
    resource: 'persistentvolumeclaims',
    obj: { spec: { storageClassName: 'gold', resources: { requests: { storage: '5Gi' } } } },
    want: 'count/persistentvolumeclaims=1,gold.storageclass.storage.k8s.io/persistentvolumeclaims=1,gold.storageclass.storage.k8s.io/requests.storage=5Gi,persistentvolumeclaims=1,requests.storage=5Gi',
  },
  { name: 'a config map counts under both names', resource: 'configmaps', obj: {}, want: 'configmaps=1,count/configmaps=1' },
  { name: 'a deployment counts as count/deployments.apps', group: 'apps', resource: 'deployments', obj: {}, want: 'count/deployments.apps=1' },
];
for (const t of usageCases) {
  test(`usage: ${t.name}`, () => {
    assert.equal(printList(evaluatorFor(t.group ?? '', t.resource).usage(t.obj, now)), t.want);
  });
}

test('quota names map back to the resource they count', () => {
  assert.equal(objectCountName('apps', 'deployments'), 'count/deployments.apps');
  assert.deepEqual(countedResourceOf('count/deployments.apps'), { group: 'apps', resource: 'deployments' });
  assert.deepEqual(countedResourceOf('count/configmaps'), { group: '', resource: 'configmaps' });
  assert.deepEqual(countedResourceOf('limits.memory'), { group: '', resource: 'pods' });
  assert.deepEqual(countedResourceOf('requests.storage'), { group: '', resource: 'persistentvolumeclaims' });
  assert.deepEqual(countedResourceOf('services.nodeports'), { group: '', resource: 'services' });
  assert.deepEqual(countedResourceOf('secrets'), { group: '', resource: 'secrets' });
});
