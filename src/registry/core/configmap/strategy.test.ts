import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { createErrors, describeStrategy } from '../../testing-support/index.js';
import { configMapStrategy } from './strategy.js';

const cm = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, ...extra });

describeStrategy(configMapStrategy, {
  valid: cm({ data: { 'app.properties': 'a=b', KEY_NAME: 'x' }, binaryData: { 'logo.png': 'iVBORw0KGgo=' } }),
  invalid: [
    { name: 'a key with a slash', object: cm({ data: { 'a/b': 'x' } }), fields: ['data[a/b]'] },
    { name: 'a key in both data and binaryData', object: cm({ data: { k: 'x' }, binaryData: { k: 'eA==' } }), fields: ['data[k]'] },
    { name: 'more than 1 MiB', object: cm({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }), fields: [''] },
  ],
  invalidUpdates: [
    { name: 'changing an immutable ConfigMap', old: cm({ data: { k: 'a' }, immutable: true }), object: cm({ data: { k: 'b' }, immutable: true }), fields: ['data'] },
    { name: 'making an immutable ConfigMap mutable', old: cm({ immutable: true }), object: cm({ immutable: false }), fields: ['immutable'] },
  ],
});

test('the config-key message is Kubernetes wording', () => {
  assert.deepEqual(createErrors(configMapStrategy, cm({ data: { 'a b': 'x' } })).map(fieldErrorMessage), [
    "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
});

test('the Data column counts data and binaryData keys', () => {
  const row = configMapStrategy.printer?.row(cm({ data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } }), { now: 0 });
  assert.deepEqual(row?.slice(0, 2), ['cfg', 3]);
});
