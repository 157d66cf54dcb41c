import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { readKubeconfigYaml, writeKubeconfigYaml } from './kubeconfig-yaml.js';

const docs: { name: string; doc: Record<string, unknown> }[] = [
  {
    name: 'a kubeconfig as kin writes it',
    doc: {
      apiVersion: 'v1',
      clusters: [{ name: 'kin', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'LS0tLS1CRUdJTg==' } }],
      contexts: [{ name: 'kin', context: { cluster: 'kin', user: 'kin-admin', namespace: 'web' } }],
      'current-context': 'kin',
      kind: 'Config',
      preferences: {},
      users: [{ name: 'kin-admin', user: { 'client-certificate-data': 'QUJD', 'client-key-data': 'REVG' } }],
    },
  },
  {
    name: 'strings that plain YAML would read as something else',
    doc: { a: 'true', b: 'no', c: '123', d: '', e: 'two words', f: 'x: y', g: '#hash', h: '- dash', i: 'null', j: 'a\nb', k: '"q"', l: 'ünïcode', m: '~' },
  },
  {
    name: 'numbers, booleans, null, nested lists and maps',
    doc: { n: 42, f: 1.5, neg: -3, t: true, z: null, list: ['a', 1, {}, [], { k: 'v', inner: [{ x: 'y' }] }], m: { deep: { deeper: 'x' } }, e: [] },
  },
  { name: 'keys that need quoting', doc: { 'a b': 1, 'x:y': 2, '': 3, 'on': 'off' } },
  { name: 'an empty document', doc: {} },
];

for (const c of docs) {
  test(`${c.name}: written text reads back the same, with this reader and with the yaml package`, () => {
    const text = writeKubeconfigYaml(c.doc);
    assert.ok(text !== undefined);
    assert.deepEqual(parse(text), c.doc);
    assert.deepEqual(readKubeconfigYaml(text), c.doc);
  });
}

test('what the yaml package writes for a kubeconfig is read the same way', () => {
  const doc = docs[0]!.doc;
  assert.deepEqual(readKubeconfigYaml(stringify(doc, { lineWidth: 0 })), doc);
});

const outside = [
  { name: 'a comment', text: '# mine\napiVersion: v1\n' },
  { name: 'a trailing comment', text: 'apiVersion: v1 # mine\n' },
  { name: 'a flow mapping', text: 'preferences: {colors: true}\n' },
  { name: 'an anchor', text: 'a: &x b\nc: *x\n' },
  { name: 'a multi-line plain scalar', text: 'a: one\n  two\n' },
  { name: 'a block scalar', text: 'a: |\n  text\n' },
  { name: 'a single-quoted string', text: "a: 'b'\n" },
  { name: 'a key with nothing below it', text: 'a:\n' },
  { name: 'a duplicate key', text: 'a: 1\na: 2\n' },
  { name: 'a document marker', text: '---\na: 1\n' },
  { name: 'a tab', text: 'a:\t1\n' },
  { name: 'YAML 1.1 booleans written plain', text: 'a: yes\n' },
  { name: 'a hexadecimal number', text: 'a: 0x1F\n' },
  { name: 'a blank line', text: 'a: 1\n\nb: 2\n' },
  { name: 'a sequence in a sequence', text: 'a:\n- - x\n' },
  { name: 'text that is not YAML at all', text: 'clusters: [\n' },
];
for (const c of outside) {
  test(`a file with ${c.name} is left to the full YAML parser`, () => {
    assert.equal(readKubeconfigYaml(c.text), undefined);
  });
}

test('an empty file is null, as YAML reads it', () => {
  assert.equal(readKubeconfigYaml(''), null);
  assert.equal(readKubeconfigYaml('\n'), null);
});

test('a top-level sequence is read as one', () => {
  assert.deepEqual(readKubeconfigYaml('- a\n- b\n'), ['a', 'b']);
});

test('values outside the dialect are not written', () => {
  assert.equal(writeKubeconfigYaml({ a: [[1]] }), undefined);
  assert.equal(writeKubeconfigYaml({ a: Infinity }), undefined);
});
