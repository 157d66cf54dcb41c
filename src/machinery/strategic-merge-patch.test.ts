import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, StrategicMergePatchError, type FieldStrategies } from './strategic-merge-patch.js';
import type { PatchMeta } from './schema/index.js';
import type { JsonObject } from './deep.js';

// A hand-built PatchMeta: children by field, list strategies by field, strategies of map fields.
interface MetaDef {
  children?: Record<string, MetaDef>;
  lists?: Record<string, { mergeKey?: string; strategies: string[] }>;
  fields?: Record<string, string[]>;
}

function meta(def: MetaDef): PatchMeta & FieldStrategies {
  return {
    child: (f) => (def.children?.[f] ? meta(def.children[f]) : undefined),
    list: (f) => def.lists?.[f],
    fieldStrategies: (f) => def.fields?.[f] ?? [],
  };
}

const container: MetaDef = { lists: { ports: { mergeKey: 'containerPort', strategies: ['merge'] }, env: { mergeKey: 'name', strategies: ['merge'] } } };
const podSpec: MetaDef = {
  lists: {
    containers: { mergeKey: 'name', strategies: ['merge'] },
    volumes: { mergeKey: 'name', strategies: ['merge', 'retainKeys'] },
    tolerations: { strategies: [] },
  },
  children: { containers: container, volumes: {} },
};
const deploymentMeta = meta({
  lists: {},
  children: {
    metadata: { lists: { finalizers: { strategies: ['merge'] }, ownerReferences: { mergeKey: 'uid', strategies: ['merge'] } } },
    spec: {
      fields: { strategy: ['retainKeys'] },
      children: { template: { children: { spec: podSpec, metadata: {} } }, strategy: {}, selector: {} },
    },
  },
});
const pdbMeta = meta({ children: { spec: { fields: { selector: ['replace'] }, children: { selector: {} } } } });

function deployment(containers: JsonObject[], extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'patch-demo' },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers, ...extra } },
    },
  };
}

const containersOf = (o: JsonObject): unknown => ((o.spec as JsonObject).template as { spec: { containers: unknown } }).spec.containers;
const podSpecOf = (o: JsonObject): JsonObject => ((o.spec as JsonObject).template as { spec: JsonObject }).spec;

test('a container list merges by name, the patched container first (kubectl patch docs)', () => {
  const original = deployment([{ name: 'patch-demo-ctr', image: 'nginx' }]);
  const patch = { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } };
  assert.deepEqual(containersOf(applyStrategicMergePatch(original, patch, deploymentMeta)), [
    { name: 'patch-demo-ctr-2', image: 'redis' },
    { name: 'patch-demo-ctr', image: 'nginx' },
  ]);
});

test('a list without a patch strategy is replaced (tolerations in the kubectl patch docs)', () => {
  const original = deployment([{ name: 'c', image: 'nginx' }], { tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team', operator: 'Equal' }] });
  const patch = { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd', operator: 'Equal' }] } } } };
  assert.deepEqual(podSpecOf(applyStrategicMergePatch(original, patch, deploymentMeta)).tolerations, [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd', operator: 'Equal' }]);
});

test('$retainKeys clears the keys it does not list (deployment strategy in the kubectl patch docs)', () => {
  const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
  const out = applyStrategicMergePatch(deployment([]), patch, deploymentMeta);
  assert.deepEqual((out.spec as JsonObject).strategy, { type: 'Recreate' });
});

test('without $retainKeys the strategy map merges and keeps rollingUpdate', () => {
  const out = applyStrategicMergePatch(deployment([]), { spec: { strategy: { type: 'Recreate' } } }, deploymentMeta);
  assert.deepEqual((out.spec as JsonObject).strategy, { type: 'Recreate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
});

test('a merged container keeps its other fields and merges its ports by containerPort', () => {
  const original = deployment([{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }] }]);
  const patch = { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2', ports: [{ containerPort: 443, protocol: 'TCP' }] }] } } } };
  assert.deepEqual(containersOf(applyStrategicMergePatch(original, patch, deploymentMeta)), [
    { name: 'c', image: 'nginx:2', ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https', protocol: 'TCP' }] },
  ]);
});

const listCases: { name: string; containers: JsonObject[]; patch: unknown[]; want: unknown }[] = [
  {
    name: 'a $patch: delete item removes the matching container',
    containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }],
    patch: [{ name: 'a', $patch: 'delete' }],
    want: [{ name: 'b', image: 'y' }],
  },
  {
    name: 'a $patch: replace item makes the other patch items the whole list',
    containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }],
    patch: [{ name: 'c', image: 'z' }, { $patch: 'replace' }],
    want: [{ name: 'c', image: 'z' }],
  },
  {
    name: 'nulls inside a merged item delete those fields',
    containers: [{ name: 'a', image: 'x', command: ['sh'] }],
    patch: [{ name: 'a', command: null }],
    want: [{ name: 'a', image: 'x' }],
  },
];

for (const c of listCases) {
  test(c.name, () => {
    const patch = { spec: { template: { spec: { containers: c.patch } } } };
    assert.deepEqual(containersOf(applyStrategicMergePatch(deployment(c.containers), patch, deploymentMeta)), c.want);
  });
}

test('$setElementOrder orders the merged list as it says', () => {
  const original = deployment([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  const patch = {
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }], containers: [{ name: 'a', image: 'new' }] } } },
  };
  assert.deepEqual(containersOf(applyStrategicMergePatch(original, patch, deploymentMeta)), [{ name: 'c' }, { name: 'a', image: 'new' }, { name: 'b' }]);
});

test('$setElementOrder keeps server-only items at their live positions', () => {
  const original = deployment([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }] } } } };
  assert.deepEqual(containersOf(applyStrategicMergePatch(original, patch, deploymentMeta)), [{ name: 'b' }, { name: 'c' }, { name: 'a' }]);
});

test('merged primitive lists are unioned, patch items in patch order', () => {
  const original = { metadata: { finalizers: ['a', 'b'] } };
  const out = applyStrategicMergePatch(original, { metadata: { finalizers: ['c', 'a'] } }, deploymentMeta);
  assert.deepEqual((out.metadata as JsonObject).finalizers, ['c', 'a', 'b']);
});

test('$deleteFromPrimitiveList removes items from a merged primitive list', () => {
  const original = { metadata: { finalizers: ['a', 'b', 'c'] } };
  const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'], finalizers: ['d'] } };
  assert.deepEqual((applyStrategicMergePatch(original, patch, deploymentMeta).metadata as JsonObject).finalizers, ['d', 'a', 'c']);
});

test('maps merge, null deletes, and nulls inside new maps are dropped', () => {
  const original = { metadata: { name: 'x', labels: { a: '1', b: '2' } } };
  const patch = { metadata: { labels: { b: null, c: '3' }, annotations: { keep: 'y', drop: null } } };
  assert.deepEqual(applyStrategicMergePatch(original, patch, deploymentMeta), {
    metadata: { name: 'x', labels: { a: '1', c: '3' }, annotations: { keep: 'y' } },
  });
});

test('$patch: replace on a map replaces it whole', () => {
  const original = { metadata: { labels: { a: '1', b: '2' } } };
  const out = applyStrategicMergePatch(original, { metadata: { labels: { $patch: 'replace', c: '3' } } }, deploymentMeta);
  assert.deepEqual(out, { metadata: { labels: { c: '3' } } });
});

test('$patch: delete on a map empties it, and drops a map the original lacks', () => {
  const original = { metadata: { labels: { a: '1' } } };
  assert.deepEqual(applyStrategicMergePatch(original, { metadata: { labels: { $patch: 'delete' } } }, deploymentMeta), { metadata: { labels: {} } });
  assert.deepEqual(applyStrategicMergePatch(original, { metadata: { annotations: { $patch: 'delete' } } }, deploymentMeta), { metadata: { labels: { a: '1' } } });
});

test('a map field with the replace strategy is replaced (PodDisruptionBudget selector)', () => {
  const original = { spec: { selector: { matchLabels: { a: '1' } }, minAvailable: 1 } };
  const out = applyStrategicMergePatch(original, { spec: { selector: { matchExpressions: [{ key: 'b', operator: 'Exists' }] } } }, pdbMeta);
  assert.deepEqual(out, { spec: { selector: { matchExpressions: [{ key: 'b', operator: 'Exists' }] }, minAvailable: 1 } });
});

test('fields without metadata merge as maps and replace as lists', () => {
  const out = applyStrategicMergePatch({ data: { a: { x: 1 } }, items: [1, 2] }, { data: { a: { y: 2 } }, items: [3] }, deploymentMeta);
  assert.deepEqual(out, { data: { a: { x: 1, y: 2 } }, items: [3] });
});

test('the inputs are not changed and a null patch is no change', () => {
  const original = deployment([{ name: 'a' }]);
  const patch = { spec: { template: { spec: { containers: [{ name: 'b' }] } } } };
  const before = JSON.stringify([original, patch]);
  applyStrategicMergePatch(original, patch, deploymentMeta);
  assert.equal(JSON.stringify([original, patch]), before);
  assert.deepEqual(applyStrategicMergePatch(original, null, deploymentMeta), original);
});

const errors: { name: string; original: JsonObject; patch: unknown; code: number; message: string; detail?: string }[] = [
  { name: 'a patch that is a list', original: {}, patch: [1], code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
  { name: '$retainKeys that is not a list', original: { a: 1 }, patch: { $retainKeys: 'a' }, code: 400, message: 'invalid patch format of retainKeys' },
  { name: 'a patch key missing from $retainKeys', original: { a: 1 }, patch: { $retainKeys: ['a'], b: 2 }, code: 400, message: 'invalid patch format of retainKeys' },
  { name: 'a malformed $deleteFromPrimitiveList key', original: {}, patch: { '$deleteFromPrimitiveListX/a': [1] }, code: 400, message: 'invalid patch format of primitive list' },
  { name: 'a malformed $setElementOrder key', original: {}, patch: { '$setElementOrderX/a': [1] }, code: 400, message: 'invalid patch format of setElementOrder list' },
  {
    name: '$patch: merge on a map',
    original: { metadata: { labels: {} } },
    patch: { metadata: { labels: { $patch: 'merge', a: 1 } } },
    code: 500,
    message: 'unknown patch type: merge in map: map[$patch:merge a:1]',
  },
  {
    name: '$patch: merge on a list item',
    original: deployment([{ name: 'a' }]),
    patch: { spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'a' }] } } } },
    code: 500,
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: 'a list item without its merge key',
    original: deployment([{ name: 'a' }]),
    patch: { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
    code: 500,
    message: 'map: map[image:x] does not contain declared merge key: name',
  },
  {
    name: 'a merged list of lists',
    original: { metadata: { finalizers: [['a']] } },
    patch: { metadata: { finalizers: [['b']] } },
    code: 422,
    message: 'the server rejected our request due to an error in our request',
    detail: 'lists of lists are not supported',
  },
  {
    name: 'mixed item types in a merged list',
    original: { metadata: { finalizers: ['a'] } },
    patch: { metadata: { finalizers: [1] } },
    code: 500,
    message: 'list element types are not identical: [[a] [1]]',
  },
  {
    name: 'a patch list out of the $setElementOrder order',
    original: deployment([{ name: 'a' }, { name: 'b' }]),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } } } },
    code: 500,
    message: "The order in patch list:\n[map[name:b] map[name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n",
  },
];

for (const c of errors) {
  test(`strategic merge patch with ${c.name} fails with ${c.code}`, () => {
    assert.throws(
      () => applyStrategicMergePatch(c.original, c.patch, deploymentMeta),
      (e: unknown) => {
        const err = e as StrategicMergePatchError;
        assert.equal(err.code, c.code);
        assert.equal(err.message, c.message);
        if (c.detail) assert.equal(err.detail, c.detail);
        return true;
      },
    );
  });
}

test('errors from merging are StrategicMergePatchErrors with no reason for 500s', () => {
  try {
    applyStrategicMergePatch(deployment([{ name: 'a' }]), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deploymentMeta);
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof StrategicMergePatchError);
    assert.equal(e.reason, undefined);
  }
});
