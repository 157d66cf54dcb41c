import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConfigMapKey, isQualifiedName, isValidLabelValue, isValidPortName, validateAnnotations, validateLabels } from './validation.js';
import { fieldErrorMessage } from './field-errors.js';

const nameRegex = "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const namePart = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${nameRegex}`;

const qualifiedNameCases: { value: string; errors: string[] }[] = [
  { value: 'app', errors: [] },
  { value: 'example.com/App_1', errors: [] },
  { value: 'kubernetes.io/metadata.name', errors: [] },
  { value: '/app', errors: ['prefix part must be non-empty'] },
  { value: 'example.com/', errors: ['name part must be non-empty', namePart] },
  { value: '', errors: ['name part must be non-empty', namePart] },
  { value: '_app', errors: [namePart] },
  { value: 'a'.repeat(64), errors: ['name part must be no more than 63 characters'] },
  {
    value: 'Example.com/app',
    errors: [
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  },
  {
    value: 'a/b/c',
    errors: [
      `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${nameRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  },
];

for (const c of qualifiedNameCases) {
  test(`qualified name ${JSON.stringify(c.value)} gives ${c.errors.length} error(s)`, () => assert.deepEqual(isQualifiedName(c.value), c.errors));
}

test('label values may be empty, at most 63 characters, alphanumeric at both ends', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('v1.2_3-x'), []);
  assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
  assert.equal(isValidLabelValue('-x').length, 1);
});

test('validateLabels reports the key and the value at the labels path', () => {
  const errs = validateLabels({ 'bad key': 'ok', good: 'bad value' }, 'metadata.labels').map(fieldErrorMessage);
  assert.equal(errs.length, 2);
  assert.match(errs[0] ?? '', /^metadata\.labels: Invalid value: "bad key": name part must consist/);
  assert.match(errs[1] ?? '', /^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string/);
});

test('annotation keys are checked case-insensitively', () => {
  assert.deepEqual(validateAnnotations({ 'Example.com/Key': 'x' }, 'metadata.annotations'), []);
});

test('annotations over 256 KiB in total are too long', () => {
  const big = 'x'.repeat(256 * 1024);
  assert.deepEqual(validateAnnotations({ a: big.slice(1) }, 'metadata.annotations'), []);
  const errs = validateAnnotations({ a: big }, 'metadata.annotations').map(fieldErrorMessage);
  assert.deepEqual(errs, ['metadata.annotations: Too long: may not be more than 262144 bytes']);
});

test('config map keys and port names follow Kubernetes rules', () => {
  assert.deepEqual(isConfigMapKey('game.properties'), []);
  assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('123'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
});
