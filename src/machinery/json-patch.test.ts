import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { StatusError } from './errors.js';
import type { JsonValue } from './deep.js';

const applies: { name: string; doc: JsonValue; patch: unknown; want: JsonValue }[] = [
  // The examples of RFC 6902 appendix A that kube-apiserver accepts.
  { name: 'add an object member', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux' }], want: { foo: 'bar', baz: 'qux' } },
  { name: 'add an array element', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'add', path: '/foo/1', value: 'qux' }], want: { foo: ['bar', 'qux', 'baz'] } },
  { name: 'remove an object member', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'remove', path: '/baz' }], want: { foo: 'bar' } },
  { name: 'remove an array element', doc: { foo: ['bar', 'qux', 'baz'] }, patch: [{ op: 'remove', path: '/foo/1' }], want: { foo: ['bar', 'baz'] } },
  { name: 'replace a value', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'replace', path: '/baz', value: 'boo' }], want: { baz: 'boo', foo: 'bar' } },
  {
    name: 'move a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'move an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'test a value and go on',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    want: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  { name: 'add a nested object', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }], want: { foo: 'bar', child: { grandchild: {} } } },
  { name: 'ignore unknown members of an operation', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], want: { foo: 'bar', baz: 'qux' } },
  { name: 'decode ~01 as ~1, not as /', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: 10 }], want: { '/': 9, '~1': 10 } },
  { name: 'add an array value', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], want: { foo: ['bar', ['abc', 'def']] } },
  { name: 'escape a slash in a label key', doc: { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } }, patch: [{ op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' }], want: { metadata: { labels: {} } } },
  { name: 'copy a subtree', doc: { a: { b: [1] } }, patch: [{ op: 'copy', from: '/a', path: '/c' }], want: { a: { b: [1] }, c: { b: [1] } } },
  { name: 'replace the whole document', doc: { a: 1 }, patch: [{ op: 'replace', path: '', value: { b: 2 } }], want: { b: 2 } },
  { name: 'a null patch changes nothing', doc: { a: 1 }, patch: null, want: { a: 1 } },
  // Leniencies of the library kube-apiserver uses.
  { name: 'negative indexes count from the end', doc: { a: [1, 2, 3] }, patch: [{ op: 'remove', path: '/a/-1' }, { op: 'replace', path: '/a/-2', value: 9 }], want: { a: [9, 2] } },
  { name: 'add at index -1 appends', doc: { a: [1, 2] }, patch: [{ op: 'add', path: '/a/-1', value: 3 }], want: { a: [1, 2, 3] } },
  { name: 'replace of a missing object key adds it', doc: { a: 1 }, patch: [{ op: 'replace', path: '/b', value: 2 }], want: { a: 1, b: 2 } },
  { name: 'copy of a missing key writes null', doc: { a: 1 }, patch: [{ op: 'copy', from: '/x', path: '/b' }], want: { a: 1, b: null } },
  { name: 'test of a missing key against null passes', doc: { a: 1 }, patch: [{ op: 'test', path: '/x', value: null }], want: { a: 1 } },
  { name: 'add without a value writes null', doc: {}, patch: [{ op: 'add', path: '/a' }], want: { a: null } },
  { name: 'the first path segment is ignored', doc: { b: 1 }, patch: [{ op: 'replace', path: 'x/b', value: 2 }], want: { b: 2 } },
  { name: 'array indexes may have a sign or leading zeros', doc: { a: [1, 2, 3] }, patch: [{ op: 'remove', path: '/a/+01' }], want: { a: [1, 3] } },
];

for (const c of applies) {
  test(`json patch: ${c.name}`, () => {
    const before = JSON.stringify(c.doc);
    assert.deepEqual(applyJsonPatch(c.doc, c.patch), c.want);
    assert.equal(JSON.stringify(c.doc), before, 'the input document is not changed');
  });
}

const failures: { name: string; doc: JsonValue; patch: unknown }[] = [
  { name: 'a failed test', doc: { baz: 'qux' }, patch: [{ op: 'test', path: '/baz', value: 'bar' }] },
  { name: 'a string does not equal a number', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: '10' }] },
  { name: 'adding under a missing parent', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }] },
  { name: 'removing a missing key', doc: { foo: 'bar' }, patch: [{ op: 'remove', path: '/baz' }] },
  { name: 'replacing past the end of an array', doc: { a: [1] }, patch: [{ op: 'replace', path: '/a/1', value: 2 }] },
  { name: 'adding past the end of an array', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/3', value: 2 }] },
  { name: 'a non-numeric array index', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/x', value: 2 }] },
  { name: 'adding at the root', doc: { a: 1 }, patch: [{ op: 'add', path: '', value: {} }] },
  { name: 'an unknown operation', doc: {}, patch: [{ op: 'merge', path: '/a' }] },
  { name: 'a missing op', doc: {}, patch: [{ path: '/a' }] },
  { name: 'a missing path', doc: {}, patch: [{ op: 'add', value: 1 }] },
  { name: 'moving a missing key', doc: {}, patch: [{ op: 'move', from: '/a', path: '/b' }] },
  { name: 'moving a value into itself', doc: { a: { b: 1 } }, patch: [{ op: 'move', from: '/a', path: '/a/c' }] },
  { name: 'a test without a value', doc: { a: 1 }, patch: [{ op: 'test', path: '/a' }] },
  { name: 'replacing the document with a scalar', doc: { a: 1 }, patch: [{ op: 'replace', path: '', value: 1 }] },
];

for (const c of failures) {
  test(`json patch: ${c.name} is 422 Invalid with Kubernetes' fixed message`, () => {
    assert.throws(
      () => applyJsonPatch(c.doc, c.patch),
      (e: unknown) =>
        e instanceof JsonPatchError &&
        e.code === 422 &&
        e.reason === 'Invalid' &&
        e.message === 'the server rejected our request due to an error in our request' &&
        JSON.stringify(e.status.details) === '{}',
    );
  });
}

test('a failed test says which path in its detail', () => {
  assert.throws(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), (e: unknown) => e instanceof JsonPatchError && e.detail === 'testing value /a failed: test failed');
});

const decodeErrors: { name: string; patch: unknown; code: number; message: string }[] = [
  { name: 'an object', patch: { op: 'add' }, code: 400, message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
  { name: 'a string', patch: 'x', code: 400, message: 'json: cannot unmarshal string into Go value of type jsonpatch.Patch' },
  { name: 'a list of numbers', patch: [1], code: 400, message: 'json: cannot unmarshal number into Go value of type jsonpatch.Operation' },
  {
    name: 'too many operations',
    patch: Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 })),
    code: 413,
    message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  },
];

for (const c of decodeErrors) {
  test(`json patch body that is ${c.name} is refused with ${c.code}`, () => {
    assert.throws(() => applyJsonPatch({}, c.patch), (e: unknown) => e instanceof StatusError && e.code === c.code && e.message === c.message);
  });
}

test('copies are limited in total size', () => {
  const doc = { a: 'x'.repeat(100) };
  const patch = [
    { op: 'copy', from: '/a', path: '/b' },
    { op: 'copy', from: '/a', path: '/c' },
  ];
  assert.doesNotThrow(() => applyJsonPatch(doc, patch, { maxCopyBytes: 204 }));
  assert.throws(() => applyJsonPatch(doc, patch, { maxCopyBytes: 203 }), JsonPatchError);
});

test('values added by one operation are not shared with the patch', () => {
  const patch = [
    { op: 'add', path: '/a', value: { x: 1 } },
    { op: 'add', path: '/a/y', value: 2 },
  ];
  assert.deepEqual(applyJsonPatch({}, patch), { a: { x: 1, y: 2 } });
  assert.deepEqual(patch[0]?.value, { x: 1 });
});
