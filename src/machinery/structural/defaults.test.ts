import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONSchemaProps } from './types.js';
import { applyDefaults } from './defaults.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        strategy: { type: 'object', default: { type: 'RollingUpdate' }, properties: { type: { type: 'string' }, maxSurge: { 'x-kubernetes-int-or-string': true, default: '25%' } } },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } },
        env: { type: 'object', additionalProperties: { type: 'object', properties: { value: { type: 'string', default: 'none' } } } },
        note: { type: 'string', nullable: true, default: 'n' },
        plain: { type: 'string' },
        maybe: { type: 'string', nullable: true },
        list: { type: 'array', items: { type: 'string', default: 'item' } },
      },
    },
  },
};

const cases: { name: string; obj: Record<string, unknown>; want: unknown }[] = [
  { name: 'an absent spec gets its default, then defaults inside it', obj: {}, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: 'n' } } },
  { name: 'present fields are kept', obj: { spec: { replicas: 3, strategy: { type: 'Recreate' } } }, want: { spec: { replicas: 3, strategy: { type: 'Recreate', maxSurge: '25%' }, note: 'n' } } },
  { name: 'list items are defaulted', obj: { spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] } }, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: 'n', ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } } },
  { name: 'additionalProperties values are defaulted', obj: { spec: { env: { A: {}, B: { value: 'b' } } } }, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: 'n', env: { A: { value: 'none' }, B: { value: 'b' } } } } },
  { name: 'null in a non-nullable field takes the default', obj: { spec: { replicas: null } }, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: 'n' } } },
  { name: 'null in a nullable field stays', obj: { spec: { note: null, maybe: null } }, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: null, maybe: null } } },
  { name: 'null in a non-nullable field without default is dropped', obj: { spec: { plain: null } }, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: 'n' } } },
  { name: 'null list items take the item default', obj: { spec: { list: ['a', null] } }, want: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', maxSurge: '25%' }, note: 'n', list: ['a', 'item'] } } },
];

for (const c of cases) {
  test(`defaults: ${c.name}`, () => {
    const obj = structuredClone(c.obj);
    applyDefaults(obj, schema);
    assert.deepEqual(obj, c.want);
  });
}

test('defaults are copies: changing a defaulted object leaves the schema alone', () => {
  const a: Record<string, unknown> = {};
  applyDefaults(a, schema);
  ((a['spec'] as Record<string, unknown>)['strategy'] as Record<string, unknown>)['type'] = 'changed';
  const b: Record<string, unknown> = {};
  applyDefaults(b, schema);
  assert.equal(((b['spec'] as Record<string, unknown>)['strategy'] as Record<string, unknown>)['type'], 'RollingUpdate');
});
