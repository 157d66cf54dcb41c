import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { attrs, MemoryLookup, runPlugin, testDeps } from '../testing-support.js';
import { defaultTolerationSecondsPlugin } from './default-toleration-seconds.js';
import { defaultStorageClassPlugin } from './default-storage-class.js';

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

const tolerationCases: { name: string; given: Record<string, unknown>[]; want: Record<string, unknown>[] }[] = [
  { name: 'a pod with none gets both for 300 s', given: [], want: [notReady, unreachable] },
  { name: 'an existing not-ready toleration is kept', given: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }], want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, unreachable] },
  { name: 'a toleration of every taint adds nothing', given: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
  { name: 'a NoSchedule toleration does not count', given: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable] },
];
for (const c of tolerationCases) {
  test(`DefaultTolerationSeconds: ${c.name}`, async () => {
    const p: KubeObject = { metadata: { name: 'p' }, spec: { containers: [], tolerations: c.given } };
    await runPlugin(defaultTolerationSecondsPlugin(), attrs({ resource: 'pods', namespace: 'ns', object: p }));
    assert.deepEqual((p['spec'] as Record<string, unknown>)['tolerations'], c.want);
  });
}

const sc = { group: 'storage.k8s.io', resource: 'storageclasses' };
const classes = new MemoryLookup(
  [
    { metadata: { name: 'old-default', creationTimestamp: '2026-01-01T00:00:00Z', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } },
    { metadata: { name: 'new-default', creationTimestamp: '2026-02-01T00:00:00Z', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } },
    { metadata: { name: 'fast', creationTimestamp: '2026-03-01T00:00:00Z' } },
  ].map((obj) => ({ ref: sc, obj })),
);

const claimCases: { name: string; spec: Record<string, unknown>; annotations?: Record<string, string>; want: string | undefined }[] = [
  { name: 'a claim with no class gets the newest default', spec: {}, want: 'new-default' },
  { name: 'a named class is kept', spec: { storageClassName: 'fast' }, want: 'fast' },
  { name: 'an empty class means no class and is kept', spec: { storageClassName: '' }, want: '' },
  { name: 'the beta annotation counts as a choice', spec: {}, annotations: { 'volume.beta.kubernetes.io/storage-class': 'fast' }, want: undefined },
];
for (const c of claimCases) {
  test(`DefaultStorageClass: ${c.name}`, async () => {
    const pvc: KubeObject = { metadata: { name: 'c', ...(c.annotations ? { annotations: c.annotations } : {}) }, spec: { ...c.spec } };
    await runPlugin(defaultStorageClassPlugin(testDeps(classes)), attrs({ resource: 'persistentvolumeclaims', namespace: 'ns', object: pvc }));
    assert.equal((pvc['spec'] as Record<string, unknown>)['storageClassName'], c.want);
  });
}
