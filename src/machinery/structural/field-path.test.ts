import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileNode } from './compile.js';
import { ruleFieldPath } from './field-path.js';

const node = compileNode({
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { 'a.b': { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
  },
});

const cases: [string, { path: string } | { error: string }][] = [
  ['.spec', { path: 'spec' }],
  [".spec['a.b']", { path: 'spec.a.b' }],
  ['.spec.labels.app', { path: 'spec.labels[app]' }],
  [".spec.labels['app.kubernetes.io/name']", { path: 'spec.labels[app.kubernetes.io/name]' }],
  ['.spec.nope', { error: 'does not refer to a valid field' }],
  ['spec', { error: 'expected [ or . but got: spec' }],
  ['.spec[a]', { error: 'expected single quoted string but got a' }],
  ['.spec.', { error: 'unexpected end of JSON path' }],
  [".spec['x\\q']", { error: 'invalid string literal: invalid escape char \\q' }],
];

for (const [fieldPath, want] of cases) {
  test(`rule fieldPath ${fieldPath} gives ${JSON.stringify(want)}`, () => {
    assert.deepEqual(ruleFieldPath(fieldPath, node), want);
  });
}
