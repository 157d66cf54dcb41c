// Hand-built messages: spot checks of field numbers, Go JSON presence rules, special types and error statuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../errors.js';
import { decodeProtobuf, isProtobuf, PROTOBUF_MAGIC } from './decode.js';
import { envelope, objectMeta, pb, varint, type PbField } from './testing-support/pb-writer.js';

const obj = (apiVersion: string, kind: string, raw: readonly PbField[]): Record<string, unknown> => decodeProtobuf(envelope(apiVersion, kind, raw)).object;
const at = (o: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], o);

/** IntOrString {1 type, 2 intVal, 3 strVal}. */
const intOrStr = (v: number | string): PbField[] => (typeof v === 'number' ? [[1, 0], [2, v], [3, '']] : [[1, 1], [2, 0], [3, v]]);

test('deployment: pointer zero kept, non-pointer zero dropped, absent pointer without omitempty is null', () => {
  const o = obj('apps/v1', 'Deployment', [
    [1, objectMeta([[11, [[1, 'app'], [2, 'web']]]], 'web')],
    [2, [[1, 0], [3, [[1, objectMeta()], [2, []]]], [4, [[1, 'RollingUpdate'], [2, [[1, intOrStr(1)], [2, intOrStr('25%')]]]]], [5, 0], [7, false]]],
    [3, []],
  ]);
  assert.deepEqual(o, {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: null,
      template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
    },
    status: {},
  });
});

test('object meta: times, owner references, managed fields and finalizers', () => {
  const o = obj('v1', 'ConfigMap', [
    [1, objectMeta([
      [5, 'uid-1'],
      [7, 3],
      [8, [[1, 1700000000], [2, 999]]],
      [9, [[1, 1700000060]]],
      [10, 30],
      [12, [[1, 'z'], [2, '1']]],
      [12, [[1, 'a'], [2, '2']]],
      [13, [[1, 'ReplicaSet'], [3, 'rs'], [4, 'u2'], [5, 'apps/v1'], [6, true]]],
      [14, 'kin.dev/x'],
      [17, [[1, 'kubectl'], [2, 'Apply'], [3, 'v1'], [4, [[1, 1700000000]]], [6, 'FieldsV1'], [7, [[1, '{"f:data":{}}']]]]],
    ], 'cm')],
  ]);
  assert.deepEqual(o['metadata'], {
    name: 'cm',
    uid: 'uid-1',
    generation: 3,
    creationTimestamp: '2023-11-14T22:13:20Z',
    deletionTimestamp: '2023-11-14T22:14:20Z',
    deletionGracePeriodSeconds: 30,
    annotations: { a: '2', z: '1' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u2', controller: true }],
    finalizers: ['kin.dev/x'],
    managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }],
  });
  // Map keys come out sorted, as Go writes them.
  assert.deepEqual(Object.keys(at(o, 'metadata', 'annotations') as object), ['a', 'z']);
});

test('secret data bytes become base64 and stringData stays text', () => {
  const o = obj('v1', 'Secret', [
    [1, objectMeta([], 's')],
    [2, [[1, 'bin'], [2, Uint8Array.of(0, 255, 16)]]],
    [2, [[1, 'empty'], [2, new Uint8Array(0)]]],
    [4, [[1, 'plain'], [2, 'text']]],
    [3, 'Opaque'],
  ]);
  assert.deepEqual(o['data'], { bin: 'AP8Q', empty: '' });
  assert.deepEqual(o['stringData'], { plain: 'text' });
  assert.equal(o['type'], 'Opaque');
});

test('pod spec: inline volume sources, probe handlers, quantities, packed and unpacked int64 lists', () => {
  const container: PbField[] = [
    [1, 'app'],
    [2, 'img'],
    [8, [[1, [[1, 'cpu'], [2, [[1, '500m']]]]], [2, [[1, 'memory'], [2, [[1, '64Mi']]]]]]],
    [10, [[1, [[2, [[1, '/healthz'], [2, intOrStr('http')], [4, 'HTTP']]]]], [2, 5], [4, 0], [7, 0]]],
    [7, [[1, 'A'], [3, [[3, [[1, [[1, 'cm']]], [2, 'k'], [3, true]]]]]]],
  ];
  const o = obj('v1', 'Pod', [
    [1, objectMeta([], 'p')],
    [2, [
      [1, [[1, 'cfg'], [2, [[19, [[1, [[1, 'cm']]], [2, [[1, 'a'], [2, 'b.txt'], [3, 0o400]]], [3, 420]]]]]]],
      [1, [[1, 'tmp'], [2, [[2, [[1, 'Memory'], [2, [[1, '1Gi']]]]]]]]],
      [2, container],
      [14, [[4, 1000], [4, 2000], [4, varint(3000)], [2, 0]]],
      [22, [[1, 'k'], [2, 'Exists'], [4, 'NoSchedule'], [5, 60]]],
    ]],
  ]);
  assert.deepEqual(at(o, 'spec', 'volumes'), [
    { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'b.txt', mode: 256 }], defaultMode: 420 } },
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
  ]);
  assert.deepEqual(at(o, 'spec', 'containers', 0), {
    name: 'app',
    image: 'img',
    env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: true } } }],
    resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, terminationGracePeriodSeconds: 0 },
  });
  assert.deepEqual(at(o, 'spec', 'securityContext'), { runAsUser: 0, supplementalGroups: [1000, 2000, 3000] });
  assert.deepEqual(at(o, 'spec', 'tolerations'), [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }]);
});

test('service: targetPort is always written, a zero IntOrString as 0', () => {
  const o = obj('v1', 'Service', [[1, objectMeta([], 'svc')], [2, [[1, [[1, ''], [2, 'TCP'], [3, 80], [4, intOrStr(0)], [5, 0]]], [4, 'ClusterIP']]], [3, [[1, []]]]]);
  assert.deepEqual(o['spec'], { ports: [{ protocol: 'TCP', port: 80, targetPort: 0 }], type: 'ClusterIP' });
  assert.deepEqual(o['status'], { loadBalancer: {} });
});

test('delete options: every field, and DeleteOptions accepted under any apiVersion', () => {
  const raw: PbField[] = [[1, 0], [2, [[1, 'u1'], [2, '42']]], [3, false], [4, 'Foreground'], [5, 'All'], [6, true]];
  for (const apiVersion of ['v1', 'meta.k8s.io/v1', 'apps/v1']) {
    assert.deepEqual(obj(apiVersion, 'DeleteOptions', raw), {
      kind: 'DeleteOptions',
      apiVersion,
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1', resourceVersion: '42' },
      orphanDependents: false,
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
      ignoreStoreReadErrorWithClusterBreakingPotential: true,
    });
  }
});

test('self subject review status: user info extra values are string lists', () => {
  const o = obj('authentication.k8s.io/v1', 'SelfSubjectReview', [[1, objectMeta()], [2, [[1, [[1, 'alice'], [3, 'devs'], [4, [[1, 'scopes'], [2, [[1, 'a'], [1, 'b']]]]]]]]]]);
  assert.deepEqual(o['status'], { userInfo: { username: 'alice', groups: ['devs'], extra: { scopes: ['a', 'b'] } } });
});

test('pod disruption budget status: a map of times and metav1 conditions', () => {
  const o = obj('policy/v1', 'PodDisruptionBudget', [
    [1, objectMeta([], 'pdb')],
    [2, [[1, intOrStr('50%')]]],
    [3, [[2, [[1, 'pod-a'], [2, [[1, 0]]]]], [3, 1], [7, [[1, 'DisruptionAllowed'], [2, 'True'], [4, [[1, 86400]]], [5, 'Sufficient'], [6, '']]]]],
  ]);
  assert.deepEqual(o['spec'], { minAvailable: '50%' });
  assert.deepEqual(o['status'], {
    disruptedPods: { 'pod-a': '1970-01-01T00:00:00Z' },
    disruptionsAllowed: 1,
    currentHealthy: 0,
    desiredHealthy: 0,
    expectedPods: 0,
    conditions: [{ type: 'DisruptionAllowed', status: 'True', lastTransitionTime: '1970-01-02T00:00:00Z', reason: 'Sufficient', message: '' }],
  });
});

test('a repeated occurrence of a message field merges into one value', () => {
  const o = obj('v1', 'Namespace', [[1, objectMeta([], 'a')], [1, [[11, [[1, 'k'], [2, 'v']]]]]]);
  assert.deepEqual(o['metadata'], { name: 'a', creationTimestamp: null, labels: { k: 'v' } });
});

test('unknown fields are skipped, of every wire type', () => {
  const o = obj('v1', 'Namespace', [[1, objectMeta([[99, 'x'], [98, 7], [97, { double: 1 }], [96, { fixed32: 1 }]], 'n')], [50, 'later field']]);
  assert.deepEqual(o['metadata'], { name: 'n', creationTimestamp: null });
});

test('the object carries kind and apiVersion from the envelope', () => {
  const d = decodeProtobuf(envelope('rbac.authorization.k8s.io/v1', 'ClusterRole', [[1, objectMeta([], 'r')]]));
  assert.equal(d.apiVersion, 'rbac.authorization.k8s.io/v1');
  assert.equal(d.kind, 'ClusterRole');
  assert.deepEqual(d.object, { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'r', creationTimestamp: null }, rules: null });
});

/** Asserts that decoding throws a StatusError with the given code and reason. */
function rejects(body: Uint8Array, code: number, reason: string): void {
  assert.throws(
    () => decodeProtobuf(body),
    (e: unknown) => e instanceof StatusError && e.code === code && e.reason === reason,
  );
}

const magic = Buffer.from(PROTOBUF_MAGIC);
const badBodies: Array<{ name: string; body: Uint8Array }> = [
  { name: 'an empty body', body: new Uint8Array(0) },
  { name: 'a wrong magic', body: Buffer.concat([Buffer.from('k9s\0'), envelope('v1', 'Namespace', []).subarray(4)]) },
  { name: 'a JSON body', body: Buffer.from('{"kind":"Namespace"}') },
  { name: 'a truncated varint in the envelope', body: Buffer.concat([magic, Uint8Array.of(0x0a, 0x80)]) },
  { name: 'a length past the end', body: Buffer.concat([magic, Uint8Array.of(0x12, 0x20, 1, 2)]) },
  { name: 'a wrong wire type in the envelope', body: Buffer.concat([magic, Uint8Array.of(0x08, 0x01)]) },
  { name: 'a wrong wire type in the object', body: envelope('v1', 'Namespace', [[1, 5]]) },
  { name: 'a wrong wire type for a string field', body: envelope('v1', 'Namespace', [[1, [[1, 7]]]]) },
  { name: 'a truncated varint in the object', body: envelope('v1', 'Namespace', Uint8Array.of(0x0a, 0x02, 0x38, 0x80)) },
  { name: 'a group wire type', body: envelope('v1', 'Namespace', Uint8Array.of(0x0b)) },
  { name: 'field number zero', body: envelope('v1', 'Namespace', Uint8Array.of(0x02, 0x00)) },
  { name: 'an impossible IntOrString type', body: envelope('policy/v1', 'PodDisruptionBudget', [[2, [[1, [[1, 7]]]]]]) },
  { name: 'an empty quantity', body: envelope('v1', 'ResourceQuota', [[2, [[1, [[1, 'cpu'], [2, [[1, '']]]]]]]]) },
  { name: 'a time past year 9999', body: envelope('v1', 'Namespace', [[1, [[8, [[1, 253402300800]]]]]]) },
  { name: 'managed fields that are not JSON', body: envelope('v1', 'Namespace', [[1, [[17, [[7, [[1, '{not json']]]]]]]]) },
  { name: 'a missing kind', body: envelope('v1', '', []) },
  { name: 'a missing apiVersion', body: envelope('', 'Namespace', []) },
];

for (const c of badBodies) {
  test(`${c.name} is rejected with 400 BadRequest`, () => rejects(c.body, 400, 'BadRequest'));
}

test('a kind without a table is rejected with 415 UnsupportedMediaType', () => {
  rejects(envelope('apps/v1', 'StatefulSet', []), 415, 'UnsupportedMediaType');
  rejects(envelope('v2', 'Namespace', []), 415, 'UnsupportedMediaType');
  rejects(envelope('example.com/v1', 'Widget', [[1, 'x']]), 415, 'UnsupportedMediaType');
});

const contentTypes: Array<[string | undefined, boolean]> = [
  ['application/vnd.kubernetes.protobuf', true],
  ['Application/VND.Kubernetes.Protobuf; charset=utf-8', true],
  [' application/vnd.kubernetes.protobuf ', true],
  ['application/json', false],
  ['application/vnd.kubernetes.protobuf+json', false],
  ['', false],
  [undefined, false],
];

for (const [ct, want] of contentTypes) {
  test(`isProtobuf(${JSON.stringify(ct)}) is ${want}`, () => assert.equal(isProtobuf(ct), want));
}
