import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  comparePathElements,
  fieldElement,
  goJson,
  indexElement,
  keyElement,
  parsePathElement,
  pathString,
  valueElement,
} from './path-element.js';

const spelling = [
  { name: 'a field is f: and its raw name', pe: fieldElement('app.kubernetes.io/name'), want: 'f:app.kubernetes.io/name' },
  { name: 'key fields are sorted by name', pe: keyElement([['protocol', 'TCP'], ['containerPort', 80]]), want: 'k:{"containerPort":80,"protocol":"TCP"}' },
  { name: 'key values use Go escaping of HTML characters', pe: keyElement([['name', 'a<b&c>']]), want: 'k:{"name":"a\\u003cb\\u0026c\\u003e"}' },
  { name: 'a set item is v: and its JSON', pe: valueElement('example.com/finalizer'), want: 'v:"example.com/finalizer"' },
  { name: 'numbers keep their integer spelling', pe: valueElement(8080), want: 'v:8080' },
  { name: 'an index is i: and the position', pe: indexElement(3), want: 'i:3' },
];
for (const c of spelling) test(`path element spelling: ${c.name}`, () => assert.equal(c.pe, c.want));

test('reading a key element sorts its fields into the canonical spelling', () => {
  assert.equal(parsePathElement('k:{"protocol":"TCP","containerPort":80}'), 'k:{"containerPort":80,"protocol":"TCP"}');
  assert.equal(parsePathElement('v:"a\\u003cb"'), 'v:"a\\u003cb"');
  assert.equal(parsePathElement('x:whatever'), undefined);
  assert.throws(() => parsePathElement('f'));
  assert.throws(() => parsePathElement('k:{"a":1} trailing'));
});

const order: { name: string; a: string; b: string; want: number }[] = [
  { name: 'fields before keys', a: 'f:z', b: 'k:{"a":1}', want: -1 },
  { name: 'keys before values', a: 'k:{"a":1}', b: 'v:1', want: -1 },
  { name: 'values before indexes', a: 'v:"x"', b: 'i:0', want: -1 },
  { name: 'fields by name', a: 'f:image', b: 'f:imagePullPolicy', want: -1 },
  { name: 'numbers before strings', a: 'v:10', b: 'v:"1"', want: -1 },
  { name: 'numbers by value, not spelling', a: 'v:9', b: 'v:10', want: -1 },
  { name: 'strings before booleans', a: 'v:"z"', b: 'v:false', want: -1 },
  { name: 'keys field by field', a: 'k:{"containerPort":80,"protocol":"UDP"}', b: 'k:{"containerPort":443,"protocol":"TCP"}', want: -1 },
  { name: 'indexes by number', a: 'i:2', b: 'i:10', want: -1 },
];
for (const c of order) {
  test(`path element order: ${c.name}`, () => {
    assert.equal(comparePathElements(c.a, c.b), c.want);
    assert.equal(comparePathElements(c.b, c.a), -c.want);
  });
}

test('paths print as Kubernetes prints them in conflicts', () => {
  assert.equal(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image']), '.spec.template.spec.containers[name="app"].image');
  assert.equal(pathString(['f:metadata', 'f:finalizers', 'v:"x"']), '.metadata.finalizers[="x"]');
  assert.equal(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']), '.spec.ports[port=80,protocol="TCP"]');
  assert.equal(pathString(['f:args', 'i:0']), '.args[0]');
});

test('JSON values are written as Go writes them: sorted keys, escaped HTML, line separators', () => {
  assert.equal(goJson({ b: 1, a: [true, null, 'x\u2028'] }), '{"a":[true,null,"x\\u2028"],"b":1}');
  assert.equal(goJson('tab\there'), '"tab\\there"');
});
