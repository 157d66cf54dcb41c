import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldSet } from './field-set.js';

const s = (...paths: string[][]): FieldSet => FieldSet.of(...paths);

test('FieldsV1 lists a member that also has children with "." first, keys in Kubernetes order', () => {
  const set = s(
    ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"b"}'],
    ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"b"}', 'f:name'],
    ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"a"}', 'f:image'],
    ['f:metadata', 'f:labels'],
    ['f:metadata', 'f:labels', 'f:app'],
    ['f:metadata', 'f:finalizers', 'v:"x"'],
  );
  const want =
    '{"f:metadata":{"f:finalizers":{"v:\\"x\\"":{}},"f:labels":{".":{},"f:app":{}}},' +
    '"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"a\\"}":{"f:image":{}},"k:{\\"name\\":\\"b\\"}":{".":{},"f:name":{}}}}}}}';
  assert.equal(JSON.stringify(set.toFieldsV1()), want);
});

test('FieldsV1 reads back into the same set, and unknown element kinds are dropped', () => {
  const json = { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:replicas': {}, 'z:future': {} } };
  const set = FieldSet.fromFieldsV1(json);
  assert.ok(set.has(['f:metadata', 'f:labels']));
  assert.ok(set.has(['f:metadata', 'f:labels', 'f:a']));
  assert.ok(!set.has(['f:metadata']));
  assert.deepEqual(set.toFieldsV1(), { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:replicas': {} } });
  assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': [] }));
  assert.throws(() => FieldSet.fromFieldsV1({ 'k:notjson': {} }));
});

const a = s(['f:a'], ['f:b', 'f:c'], ['f:b', 'f:d'], ['f:e']);
const b = s(['f:b', 'f:c'], ['f:e'], ['f:f']);
const ops = [
  { name: 'union has members of either', got: a.union(b), want: [['f:a'], ['f:e'], ['f:f'], ['f:b', 'f:c'], ['f:b', 'f:d']] },
  { name: 'intersection has members of both', got: a.intersection(b), want: [['f:e'], ['f:b', 'f:c']] },
  { name: 'difference removes members of the other', got: a.difference(b), want: [['f:a'], ['f:b', 'f:d']] },
  { name: 'difference by a parent member keeps its children', got: a.difference(s(['f:b'])), want: [['f:a'], ['f:e'], ['f:b', 'f:c'], ['f:b', 'f:d']] },
  { name: 'recursive difference by a parent member removes its children', got: a.recursiveDifference(s(['f:b'])), want: [['f:a'], ['f:e']] },
];
for (const c of ops) test(`field set ${c.name}`, () => assert.deepEqual(c.got.paths(), c.want));

test('an empty set encodes as {} and equality ignores empty branches', () => {
  assert.deepEqual(new FieldSet().toFieldsV1(), {});
  assert.ok(a.difference(a).isEmpty());
  assert.ok(a.union(b).equals(b.union(a)));
  assert.equal(a.size(), 4);
});

test('FieldsV1 read in another order or spelling is written back in the canonical one', () => {
  const messy = { 'f:spec': { 'f:b': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:x': {}, '.': {} } }, 'k:{"b":1,"a":2}': {} };
  const set = FieldSet.fromFieldsV1(messy);
  assert.equal(
    JSON.stringify(set.toFieldsV1()),
    '{"f:metadata":{"f:labels":{".":{},"f:x":{}}},"f:spec":{"f:a":{},"f:b":{}},"k:{\\"a\\":2,\\"b\\":1}":{}}',
  );
  const canonical = set.toFieldsV1();
  assert.equal(FieldSet.fromFieldsV1(canonical).toFieldsV1(), canonical, 'canonical input is reused as is');
});
