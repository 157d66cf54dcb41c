import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject, encodeObject, framedObjectJson, objectJson, objectJsonBytes, ownedBytes, transientObjectJson } from './codec.js';

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', resourceVersion: '9' }, data: { k: 'v' } };

test('stored bytes leave out resourceVersion; decoding puts the revision back', () => {
  const value = encodeObject(cm);
  assert.equal(JSON.parse(Buffer.from(value).toString()).metadata.resourceVersion, undefined);
  assert.equal(decodeObject(value, 12).metadata?.resourceVersion, '12');
  assert.equal(decodeObject(value, 12), decodeObject(value, 12), 'one decoded object per revision');
});

test('small buffers own their memory instead of a slice of a shared slab', () => {
  const b = ownedBytes('{"a":1}');
  assert.equal(b.buffer.byteLength, b.byteLength);
  const v = encodeObject(cm);
  assert.equal(v.buffer.byteLength, v.byteLength);
});

test('a watch line and the JSON bytes of its revision share one copy of the JSON', () => {
  const value = encodeObject(cm);
  const line = framedObjectJson(value, 3, '{"type":"ADDED","object":', '}\n');
  const text = Buffer.from(line).toString();
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(JSON.parse(text).object, decodeObject(value, 3));
  const bytes = objectJsonBytes(value, 3);
  assert.equal(bytes.buffer, line.buffer, 'the memoized bytes are a view into the line');
  assert.equal(objectJson(value, 3), Buffer.from(bytes).toString());
  // A second line (another event type) copies the memoized bytes.
  const modified = framedObjectJson(value, 3, '{"type":"MODIFIED","object":', '}\n');
  assert.equal(JSON.parse(Buffer.from(modified).toString()).type, 'MODIFIED');
});

test('the answer to a write memoizes nothing when no reader decoded the revision', () => {
  const value = encodeObject(cm);
  const once = transientObjectJson(value, 5);
  assert.equal(JSON.parse(Buffer.from(once).toString()).metadata.resourceVersion, '5');
  assert.notEqual(transientObjectJson(value, 5), once, 'made again: nothing was kept');
  // Once a reader has decoded it, the answer uses (and keeps) the memoized bytes.
  decodeObject(value, 5);
  assert.equal(transientObjectJson(value, 5), objectJsonBytes(value, 5));
});
