// The CRD manager on a memory backend: a stored CRD gets served, NamesAccepted and Established, and a CRD in a
// protected group reports KubernetesAPIApprovalPolicyConformant from its approval annotation.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { KubeObject } from '../api/index.js';
import { crdStrategy, type Crd } from '../registry/apiextensions/index.js';
import { Registry } from '../registry/registry.js';
import { MemoryBackend } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';
import { CrdManager } from './crd-manager.js';

const registry = new Registry({ backend: new MemoryBackend(), clock: systemClock, meta: { create: () => [], update: () => [] } });
const crds = registry.add(crdStrategy);
const manager = new CrdManager({ registry, crds, clock: systemClock, logger: silentLogger });
after(() => manager.stop());

function kettleCrd(group: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `kettles.${group}`, ...(annotations ? { annotations } : {}) },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'kettles', kind: 'Kettle' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
    },
  };
}

// Waits (a bounded number of turns) until the CRD's status has the condition types wanted.
async function conditionsOf(name: string, want: number): Promise<NonNullable<NonNullable<Crd['status']>['conditions']>> {
  for (let i = 0; i < 200; i++) {
    const c = crds.object(await crds.get(undefined, name)) as unknown as Crd;
    const conds = c.status?.conditions ?? [];
    if (conds.length >= want) return conds;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no conditions on ${name}`);
}

test('a stored CRD is served and becomes Established with the names accepted', async () => {
  await manager.start();
  await crds.create(undefined, kettleCrd('brew.kin.dev'));
  const conds = await conditionsOf('kettles.brew.kin.dev', 2);
  assert.deepEqual(
    conds.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
      ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
    ],
  );
  assert.ok(registry.find('brew.kin.dev', 'v1', 'kettles'));
});

test('a CRD in a protected group reports its API approval', async () => {
  await crds.create(undefined, kettleCrd('brew.k8s.io', { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' }));
  const conds = await conditionsOf('kettles.brew.k8s.io', 3);
  assert.deepEqual(conds[0] && [conds[0].type, conds[0].status, conds[0].reason, conds[0].message], [
    'KubernetesAPIApprovalPolicyConformant',
    'True',
    'ApprovedAnnotation',
    'approved in https://github.com/kubernetes/enhancements/pull/1111',
  ]);
  await crds.create(undefined, kettleCrd('tea.k8s.io', { 'api-approved.kubernetes.io': 'unapproved, trying things' }));
  const bypassed = await conditionsOf('kettles.tea.k8s.io', 3);
  assert.deepEqual(bypassed[0] && [bypassed[0].status, bypassed[0].reason, bypassed[0].message], ['False', 'UnapprovedAnnotation', 'not approved: "unapproved, trying things"']);
});

test('a live CRD carries no cleanup finalizer, however many reconciles see it', async () => {
  for (let i = 0; i < 3; i++) {
    await crds.update(undefined, 'kettles.brew.kin.dev', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, labels: { round: String(i) } } }));
  }
  await conditionsOf('kettles.brew.kin.dev', 2);
  const after = crds.object(await crds.get(undefined, 'kettles.brew.kin.dev'));
  assert.equal(after.metadata?.finalizers, undefined);
});
