// Namespaces end to end with kubectl 1.32: default ServiceAccount and kube-root-ca.crt in each new namespace, the
// namespaces that cannot be deleted, a terminating namespace refusing new content and held by a finalizer inside,
// and PVC protection.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

describe('namespaces with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { minor: 32 });
  const until = async (cond: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: still not true`);
  };
  const exists = async (args: string[]) => (await k(['get', ...args, '-o', 'name'])).code === 0;

  before(async () => {
    kin = await startKin({ storage: 'sqlite' });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a new namespace gets the default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
    await ok(['create', 'namespace', 'fresh']);
    await until(() => exists(['serviceaccount', 'default', '-n', 'fresh']), 'default ServiceAccount');
    await until(() => exists(['configmap', 'kube-root-ca.crt', '-n', 'fresh']), 'kube-root-ca.crt');
    const ca = await ok(['get', 'configmap', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.data.ca\\.crt}']);
    assert.match(ca, /-----BEGIN CERTIFICATE-----/);
  });

  test('default, kube-system and kube-public cannot be deleted', async () => {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const r = await k(['delete', 'namespace', name]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`namespaces "${name}" is forbidden: this namespace may not be deleted`));
    }
  });

  test('a namespace held by a finalizer inside stays Terminating, refuses new content, and goes once the finalizer is removed', async () => {
    await ok(['create', 'namespace', 'held']);
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', namespace: 'held', finalizers: ['example.com/x'] } }));
    await ok(['create', 'configmap', 'plain', '-n', 'held']);
    await ok(['delete', 'namespace', 'held', '--wait=false']);
    await until(async () => !(await exists(['configmap', 'plain', '-n', 'held'])), 'plain content deleted');
    assert.equal(await ok(['get', 'namespace', 'held', '-o', 'jsonpath={.status.phase}']), 'Terminating');
    const refused = await k(['create', 'configmap', 'late', '-n', 'held']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /forbidden: unable to create new content in namespace held because it is being terminated/);
    await ok(['patch', 'configmap', 'keep', '-n', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);
    await until(async () => !(await exists(['namespace', 'held'])), 'namespace gone');
  });

  test('a PVC used by a pod stays Terminating until the pod is deleted', async () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] } };
    await ok(['create', '-f', '-'], JSON.stringify(pvc));
    await ok(['create', '-f', '-'], JSON.stringify(pod));
    await until(async () => (await ok(['get', 'pvc', 'data', '-o', 'jsonpath={.metadata.finalizers}'])).includes('kubernetes.io/pvc-protection'), 'pvc-protection finalizer');
    await ok(['delete', 'pvc', 'data', '--wait=false']);
    assert.notEqual(await ok(['get', 'pvc', 'data', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '');
    await ok(['delete', 'pod', 'user', '--grace-period=0', '--force']);
    await until(async () => !(await exists(['pvc', 'data'])), 'pvc gone');
  });
});
