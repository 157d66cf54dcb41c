import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONSchemaProps } from './types.js';
import { prune } from './prune.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        nested: { type: 'object', additionalProperties: { type: 'object', properties: { x: { type: 'integer' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { k: { type: 'string' } } } } },
        anything: { type: 'object', additionalProperties: true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
        raw: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

const cases: { name: string; obj: Record<string, unknown>; want: unknown; unknown: string[] }[] = [
  { name: 'known fields stay', obj: { spec: { name: 'x' }, status: { phase: 'Ready' } }, want: { spec: { name: 'x' }, status: { phase: 'Ready' } }, unknown: [] },
  { name: 'unknown fields go, with their paths', obj: { spec: { name: 'x', foo: 1, list: [{ a: 'b', c: 'd' }] }, extra: true }, want: { spec: { name: 'x', list: [{ a: 'b' }] } }, unknown: ['extra', 'spec.foo', 'spec.list[0].c'] },
  { name: 'apiVersion, kind and metadata stay at the root', obj: { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', foo: 'b' } }, want: { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', foo: 'b' } }, unknown: [] },
  { name: 'additionalProperties keeps any key', obj: { spec: { labels: { a: 'b', c: 'd' }, nested: { k: { x: 1, y: 2 } } } }, want: { spec: { labels: { a: 'b', c: 'd' }, nested: { k: { x: 1 } } } }, unknown: ['spec.nested.k.y'] },
  { name: 'preserve-unknown-fields keeps unknown fields but prunes specified ones', obj: { spec: { free: { any: { deep: 1 }, typed: { k: 'v', drop: 1 } } } }, want: { spec: { free: { any: { deep: 1 }, typed: { k: 'v' } } } }, unknown: ['spec.free.typed.drop'] },
  { name: 'additionalProperties true without a schema empties nested objects', obj: { spec: { anything: { a: 1, b: { c: 2 } } } }, want: { spec: { anything: { a: 1, b: {} } } }, unknown: ['spec.anything.b.c'] },
  {
    name: 'embedded resources keep apiVersion, kind and metadata, cleaned as ObjectMeta',
    obj: { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', bogus: 1, labels: {} }, spec: { image: 'i', x: 1 }, status: {} } } },
    want: { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'i' } } } },
    unknown: ['spec.template.metadata.bogus', 'spec.template.spec.x', 'spec.template.status'],
  },
  { name: 'an embedded resource that preserves unknown fields keeps everything', obj: { spec: { raw: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } } } }, want: { spec: { raw: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } } } }, unknown: [] },
];

for (const c of cases) {
  test(`prune: ${c.name}`, () => {
    const obj = structuredClone(c.obj);
    assert.deepEqual(prune(obj, schema), c.unknown);
    assert.deepEqual(obj, c.want);
  });
}

test('prune of a value that is not a resource root drops metadata too, without reporting it', () => {
  const obj = { metadata: { a: 1 }, kind: 'x' };
  assert.deepEqual(prune(obj, { type: 'object', properties: {} }, { isResourceRoot: false }), []);
  assert.deepEqual(obj, {});
});

test('a root that preserves unknown fields prunes only under specified fields', () => {
  const obj = { spec: { a: 1, b: 2 }, other: { x: 1 } };
  const unknown = prune(obj, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { spec: { type: 'object', properties: { a: { type: 'integer' } } } } });
  assert.deepEqual(unknown, ['spec.b']);
  assert.deepEqual(obj, { spec: { a: 1 }, other: { x: 1 } });
});
