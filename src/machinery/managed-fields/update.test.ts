import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import { FieldSet } from './field-set.js';
import { builtinType, builtinTypeFor, customResourceType } from './ssa-type.js';
import { updateManagedFields, type UpdateOptions } from './update.js';

const deploymentType = builtinType('io.k8s.api.apps.v1.Deployment');
const t0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const t1 = t0 + 60_000;
const clone = <T>(v: T): T => structuredClone(v);

/** What `kubectl create deployment nginx --image=nginx` stores once the server has defaulted it. */
const created: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        securityContext: {},
        schedulerName: 'default-scheduler',
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: {},
};

/** The managedFields a real cluster shows for that Deployment. */
const kubectlCreateEntry: ManagedFieldsEntry = {
  manager: 'kubectl-create',
  operation: 'Update',
  apiVersion: 'apps/v1',
  time: '2024-05-01T10:00:00Z',
  fieldsType: 'FieldsV1',
  fieldsV1: {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:progressDeadlineSeconds': {},
      'f:replicas': {},
      'f:revisionHistoryLimit': {},
      'f:selector': {},
      'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
      'f:template': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              '.': {},
              'f:image': {},
              'f:imagePullPolicy': {},
              'f:name': {},
              'f:resources': {},
              'f:terminationMessagePath': {},
              'f:terminationMessagePolicy': {},
            },
          },
          'f:dnsPolicy': {},
          'f:restartPolicy': {},
          'f:schedulerName': {},
          'f:securityContext': {},
          'f:terminationGracePeriodSeconds': {},
        },
      },
    },
  },
};

const opts = (manager: string, time: number, extra: Partial<UpdateOptions> = {}): UpdateOptions => ({
  manager,
  apiVersion: 'apps/v1',
  time,
  type: deploymentType,
  resetFields: FieldSet.of(['f:status']),
  ...extra,
});

/** The object as stored after a write: managedFields set, uid assigned. */
function stored(obj: KubeObject, managedFields: ManagedFieldsEntry[] | undefined): KubeObject {
  const out = clone(obj);
  out.metadata = { ...out.metadata, uid: 'u-1' };
  if (managedFields) out.metadata.managedFields = managedFields;
  return out;
}

test('the first write gives its manager every field it set, as a real cluster shows for kubectl create deployment', () => {
  const got = updateManagedFields(undefined, clone(created), opts('kubectl-create', t0));
  assert.deepEqual(got, [kubectlCreateEntry]);
  // Key order matters for what kubectl prints with --show-managed-fields -o json.
  assert.equal(JSON.stringify(got), JSON.stringify([kubectlCreateEntry]));
});

test('a created object missing Go zero-value fields still shows them for new list items (resources: {})', () => {
  const obj = clone(created);
  delete (obj.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]?.resources;
  const got = updateManagedFields(undefined, obj, opts('kubectl-create', t0));
  assert.deepEqual(got, [kubectlCreateEntry]);
});

test('an update by another manager moves only the fields it changed', () => {
  const live = stored(created, updateManagedFields(undefined, clone(created), opts('kubectl-create', t0)));
  const next = clone(live);
  (next.spec as Record<string, unknown>).replicas = 3;
  (next.metadata as { labels: Record<string, string> }).labels.tier = 'web';
  const got = updateManagedFields(live, next, opts('kubectl-edit', t1));
  assert.equal(got?.length, 2);
  const [create, edit] = got as [ManagedFieldsEntry, ManagedFieldsEntry];
  assert.equal(create.manager, 'kubectl-create');
  assert.equal(create.time, '2024-05-01T10:00:00Z', 'losing fields does not touch the time');
  assert.equal((create.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']?.['f:replicas'], undefined);
  assert.deepEqual((create.fieldsV1 as Record<string, unknown>)['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  assert.deepEqual(edit, {
    manager: 'kubectl-edit',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2024-05-01T10:01:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } }, 'f:spec': { 'f:replicas': {} } },
  });
});

test('a write that changes nothing leaves managedFields as they were', () => {
  const mf = updateManagedFields(undefined, clone(created), opts('kubectl-create', t0));
  const live = stored(created, mf);
  assert.deepEqual(updateManagedFields(live, clone(live), opts('kubectl-replace', t1)), mf);
});

test('removing a field drops it from every manager; a manager left with nothing disappears', () => {
  const live = stored(created, updateManagedFields(undefined, clone(created), opts('kubectl-create', t0)));
  const labelled = clone(live);
  (labelled.metadata as { labels: Record<string, string> }).labels.tier = 'web';
  const live2 = stored(labelled, updateManagedFields(live, labelled, opts('kubectl-label', t1)));
  const unlabelled = clone(live2);
  delete (unlabelled.metadata as { labels: Record<string, string> }).labels.tier;
  const got = updateManagedFields(live2, unlabelled, opts('kubectl-label', t1 + 1000));
  assert.deepEqual(
    got?.map((e) => e.manager),
    ['kubectl-create'],
  );
});

test('status writes are recorded with subresource: status and ignore managedFields sent in the body', () => {
  const live = stored(created, updateManagedFields(undefined, clone(created), opts('kubectl-create', t0)));
  const next = clone(live);
  next.status = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] };
  // The condition's times are Go structs: present (null) in every decoded condition, so owned once it is added.
  next.metadata = { ...next.metadata, managedFields: [{ manager: 'forged', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {} }] };
  const got = updateManagedFields(live, next, opts('kube-controller-manager', t1, { subresource: 'status', resetFields: FieldSet.of(['f:spec'], ['f:metadata']) }));
  assert.deepEqual(
    got?.map((e) => [e.manager, e.subresource]),
    [
      ['kubectl-create', undefined],
      ['kube-controller-manager', 'status'],
    ],
  );
  assert.deepEqual(got?.[1], {
    manager: 'kube-controller-manager',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2024-05-01T10:01:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:status': {
        'f:conditions': {
          '.': {},
          'k:{"type":"Available"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {}, 'f:status': {}, 'f:type': {} },
        },
        'f:observedGeneration': {},
        'f:replicas': {},
        'f:updatedReplicas': {},
      },
    },
    subresource: 'status',
  });
});

test('status changes sent to the main resource are not recorded (reset fields)', () => {
  const live = stored(created, updateManagedFields(undefined, clone(created), opts('kubectl-create', t0)));
  const next = clone(live);
  next.status = { replicas: 5 };
  assert.deepEqual(updateManagedFields(live, next, opts('someone', t1)), live.metadata?.managedFields);
});

const requestRules: { name: string; sent: unknown; want: (live: ManagedFieldsEntry[]) => ManagedFieldsEntry[] | undefined }[] = [
  { name: 'a request without managedFields keeps the live ones', sent: undefined, want: (live) => live },
  { name: '[{}] clears them, and the object is no longer tracked', sent: [{}], want: () => undefined },
  { name: '[] clears them too', sent: [], want: () => undefined },
  {
    name: 'a usable list replaces the live one',
    sent: [{ manager: 'mine', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:paused': {} } } }],
    want: () => [{ manager: 'mine', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:paused': {} } } }],
  },
  {
    name: 'an unusable list (bad operation) is ignored in favour of the live one',
    sent: [{ manager: 'x', operation: 'Patch', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' }],
    want: (live) => live,
  },
];
for (const c of requestRules) {
  test(`managedFields in a request: ${c.name}`, () => {
    const liveFields = updateManagedFields(undefined, clone(created), opts('kubectl-create', t0)) as ManagedFieldsEntry[];
    const live = stored(created, liveFields);
    const next = clone(live);
    if (c.sent === undefined) delete next.metadata?.managedFields;
    else (next.metadata as Record<string, unknown>).managedFields = c.sent;
    assert.deepEqual(updateManagedFields(live, next, opts('kubectl-replace', t1)), c.want(liveFields));
  });
}

test('an object whose managedFields were cleared stays untracked by later updates', () => {
  const live = stored(created, undefined);
  const next = clone(live);
  (next.spec as Record<string, unknown>).replicas = 2;
  assert.equal(updateManagedFields(live, next, opts('kubectl-scale', t1)), undefined);
});

test('more than ten update managers fold the oldest into ancient-changes', () => {
  let live = stored(created, updateManagedFields(undefined, clone(created), opts('kubectl-create', t0)));
  for (let i = 0; i < 11; i++) {
    const next = clone(live);
    (next.metadata as { labels: Record<string, string> }).labels[`l${i}`] = 'x';
    live = stored(next, updateManagedFields(live, next, opts(`writer-${i}`, t1 + i * 1000)));
  }
  const managers = live.metadata?.managedFields?.map((e) => e.manager) ?? [];
  assert.equal(managers.length, 10);
  assert.ok(managers.includes('ancient-changes'));
  assert.ok(!managers.includes('kubectl-create') && !managers.includes('writer-0') && !managers.includes('writer-1'));
  const ancient = live.metadata?.managedFields?.find((e) => e.manager === 'ancient-changes');
  assert.deepEqual((ancient?.fieldsV1 as { 'f:metadata': { 'f:labels': Record<string, unknown> } })['f:metadata']['f:labels']['f:l1'], {});
});

test('custom resources have no Go zero values: new objects are members with "."', () => {
  const type = customResourceType({
    type: 'object',
    properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
  });
  const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 2, extra: { a: { b: 1 } } } };
  const got = updateManagedFields(undefined, obj, { manager: 'kubectl-create', apiVersion: 'example.com/v1', time: t0, type });
  assert.deepEqual(got?.[0]?.fieldsV1, {
    'f:spec': { '.': {}, 'f:extra': { '.': {}, 'f:a': { '.': {}, 'f:b': {} } }, 'f:size': {} },
  });
});

test('fields recorded inside a value that is now atomic become ownership of the whole value', () => {
  const live = stored(created, [
    {
      manager: 'old-client',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2020-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:selector': { 'f:matchLabels': { '.': {}, 'f:app': {} } } } },
    },
  ]);
  const next = clone(live);
  (next.spec as Record<string, unknown>).paused = true;
  const got = updateManagedFields(live, next, opts('kubectl-patch', t1));
  assert.deepEqual(got?.find((e) => e.manager === 'old-client')?.fieldsV1, { 'f:spec': { 'f:selector': {} } });
});

test('built-in types are found by group, version and kind', () => {
  assert.equal(builtinTypeFor({ group: 'apps', version: 'v1', kind: 'Deployment' }), deploymentType);
  assert.equal(builtinTypeFor({ group: '', version: 'v1', kind: 'NoSuchKind' }), undefined);
});

const realCreates: { name: string; component: string; apiVersion: string; obj: KubeObject; want: Record<string, unknown> }[] = [
  {
    name: 'kubectl create configmap --from-file',
    component: 'io.k8s.api.core.v1.ConfigMap',
    apiVersion: 'v1',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'redis-conf', namespace: 'default' }, data: { 'redis.conf': 'bind 0.0.0.0\n' } },
    want: { 'f:data': { '.': {}, 'f:redis.conf': {} } },
  },
  {
    name: 'kubectl create secret generic',
    component: 'io.k8s.api.core.v1.Secret',
    apiVersion: 'v1',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'basic-auth', namespace: 'default' }, data: { auth: 'Z2RoYQ==' }, type: 'Opaque' },
    want: { 'f:data': { '.': {}, 'f:auth': {} }, 'f:type': {} },
  },
  {
    name: 'kubectl create -f of a CertificateSigningRequest (a struct spec has no ".")',
    component: 'io.k8s.api.certificates.v1.CertificateSigningRequest',
    apiVersion: 'certificates.k8s.io/v1',
    obj: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'agent-smith' },
      spec: { groups: ['system:authenticated'], request: 'LS0t', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
      status: {},
    },
    want: { 'f:spec': { 'f:groups': {}, 'f:request': {}, 'f:signerName': {}, 'f:usages': {} } },
  },
];
for (const c of realCreates) {
  test(`created objects show what a real cluster shows: ${c.name}`, () => {
    const got = updateManagedFields(undefined, c.obj, { manager: 'kubectl-create', apiVersion: c.apiVersion, time: t0, type: builtinType(c.component) });
    assert.deepEqual(got?.[0]?.fieldsV1, c.want);
  });
}
