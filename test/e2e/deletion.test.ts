// Deletion end to end with kubectl 1.32: finalizers, cascades (background, foreground, orphan), graceful pod deletion
// and a foreground cascade that resumes after kin restarts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

describe('deletion with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { minor: 32 });
  const exists = async (kind: string, name: string) => (await k(['get', kind, name, '-o', 'name'])).code === 0;
  const field = (kind: string, name: string, path: string) => ok(['get', kind, name, '-o', `jsonpath={${path}}`]);
  /** Polls until `cond` holds (the controllers work in the background). */
  const until = async (cond: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: still not true`);
  };

  before(async () => {
    kin = await startKin({ storage: 'sqlite' });
  });
  after(async () => {
    await cleanup(kin);
  });

  const ownerRef = (kind: string, name: string, uid: string) => ({ apiVersion: 'v1', kind, name, uid, blockOwnerDeletion: true });
  /** owner ConfigMap ← child Secret ← grandchild ConfigMap, made with kubectl. */
  async function tree(prefix: string, grandchildFinalizer?: string) {
    await ok(['create', 'configmap', `${prefix}-owner`]);
    const ownerUid = await field('configmap', `${prefix}-owner`, '.metadata.uid');
    const child = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${prefix}-child`, ownerReferences: [ownerRef('ConfigMap', `${prefix}-owner`, ownerUid)] } };
    await ok(['create', '-f', '-'], JSON.stringify(child));
    const childUid = await field('secret', `${prefix}-child`, '.metadata.uid');
    const grandchild = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${prefix}-grandchild`, ownerReferences: [ownerRef('Secret', `${prefix}-child`, childUid)], ...(grandchildFinalizer ? { finalizers: [grandchildFinalizer] } : {}) },
    };
    await ok(['create', '-f', '-'], JSON.stringify(grandchild));
  }
  const removeFinalizers = (kind: string, name: string) => ok(['patch', kind, name, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);

  test('a finalizer holds a ConfigMap until it is removed; kubectl wait --for=delete returns then', async () => {
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } }));
    await ok(['delete', 'configmap', 'held', '--wait=false']);
    assert.notEqual(await field('configmap', 'held', '.metadata.deletionTimestamp'), '');
    const waiting = k(['wait', '--for=delete', 'configmap/held', '--timeout=60s']);
    await removeFinalizers('configmap', 'held');
    const r = await waiting;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await exists('configmap', 'held'), false);
  });

  test('--cascade=background deletes the owner and the collector removes the tree', async () => {
    await tree('bg');
    await ok(['delete', 'configmap', 'bg-owner', '--cascade=background']);
    await until(async () => !(await exists('secret', 'bg-child')) && !(await exists('configmap', 'bg-grandchild')), 'the dependents are collected');
  });

  test('--cascade=foreground removes the dependents before the owner', async () => {
    await tree('fg');
    await ok(['delete', 'configmap', 'fg-owner', '--cascade=foreground']);
    assert.equal(await exists('secret', 'fg-child'), false);
    assert.equal(await exists('configmap', 'fg-grandchild'), false);
  });

  test('--cascade=orphan leaves the dependents without their owner reference', async () => {
    await tree('or');
    await ok(['delete', 'configmap', 'or-owner', '--cascade=orphan']);
    assert.equal(await field('secret', 'or-child', '.metadata.ownerReferences'), '');
    assert.equal(await exists('configmap', 'or-grandchild'), true);
  });

  test('pods: unbound ones go at once, bound ones keep their grace period until --now shortens it or --force removes them', async () => {
    // 'unbound' asks for a node label no node has, so the scheduler leaves it unbound; 'bound' names a node that no
    // kubelet runs, so nothing finishes its graceful deletion but the grace period options themselves.
    const pod = (name: string, nodeName?: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : { nodeSelector: { disktype: 'none-such' } }), containers: [{ name: 'c', image: 'busybox' }] } });
    await ok(['create', '-f', '-'], pod('unbound'));
    await ok(['wait', '--for=condition=PodScheduled=false', 'pod/unbound', '--timeout=60s']);
    await ok(['delete', 'pod', 'unbound', '--wait=false']);
    assert.equal(await exists('pod', 'unbound'), false);
    await ok(['create', '-f', '-'], pod('bound', 'node-1'));
    await ok(['delete', 'pod', 'bound', '--wait=false']);
    assert.equal(await field('pod', 'bound', '.metadata.deletionGracePeriodSeconds'), '30');
    await ok(['delete', 'pod', 'bound', '--grace-period=10', '--wait=false']);
    assert.equal(await field('pod', 'bound', '.metadata.deletionGracePeriodSeconds'), '10');
    await ok(['delete', 'pod', 'bound', '--now', '--wait=false']);
    assert.equal(await field('pod', 'bound', '.metadata.deletionGracePeriodSeconds'), '1');
    await ok(['delete', 'pod', 'bound', '--grace-period=0', '--force']);
    assert.equal(await exists('pod', 'bound'), false);
  });

  test('a foreground cascade interrupted by a restart of kin resumes', async () => {
    await tree('rs', 'example.com/hold');
    await ok(['delete', 'configmap', 'rs-owner', '--cascade=foreground', '--wait=false']);
    await until(async () => (await field('configmap', 'rs-grandchild', '.metadata.deletionTimestamp')) !== '', 'the cascade reaches the grandchild');
    assert.equal(await field('configmap', 'rs-owner', '.metadata.finalizers[0]'), 'foregroundDeletion');
    await kin.stop('SIGTERM');
    kin = await startKin({ storage: 'sqlite', dataDir: kin.dataDir });
    await removeFinalizers('configmap', 'rs-grandchild');
    const r = await k(['wait', '--for=delete', 'configmap/rs-owner', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await exists('secret', 'rs-child'), false);
  });
});
