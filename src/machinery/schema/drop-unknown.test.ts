import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinDefinitions } from '../../api/generated/index.js';
import { dropUnknown } from './index.js';

const defs = builtinDefinitions();
const pod = 'io.k8s.api.core.v1.Pod';

const cases: { name: string; schema?: string; obj: unknown; want: unknown }[] = [
  {
    name: 'removes unknown fields at every depth',
    obj: { bogus: 1, metadata: { name: 'a', foo: 2 }, spec: { bar: 3, containers: [{ name: 'c', baz: 4 }] } },
    want: { metadata: { name: 'a' }, spec: { containers: [{ name: 'c' }] } },
  },
  { name: 'drops null struct fields', obj: { spec: { nodeName: null, containers: [{ name: 'c', image: null }] } }, want: { spec: { containers: [{ name: 'c' }] } } },
  { name: 'a null map value becomes the zero value', obj: { metadata: { labels: { a: null, b: 'x' } } }, want: { metadata: { labels: { a: '', b: 'x' } } } },
  {
    name: 'raw extensions are kept whole',
    schema: 'io.k8s.api.apps.v1.ControllerRevision',
    obj: { revision: 2, data: { whatever: { x: null } } },
    want: { revision: 2, data: { whatever: { x: null } } },
  },
  {
    name: 'quantities and int-or-strings are left as they are',
    schema: 'io.k8s.api.core.v1.Service',
    obj: { spec: { ports: [{ port: 80, targetPort: 'http' }] } },
    want: { spec: { ports: [{ port: 80, targetPort: 'http' }] } },
  },
];

for (const c of cases) {
  test(`dropUnknown ${c.name}`, () => {
    const input = structuredClone(c.obj);
    assert.deepEqual(dropUnknown(input, c.schema ?? pod, defs), c.want);
    assert.deepEqual(input, c.obj, 'input unchanged');
  });
}

test('dropUnknown returns the same object when nothing is unknown', () => {
  const obj = { metadata: { name: 'a' }, spec: { containers: [{ name: 'c' }] } };
  assert.equal(dropUnknown(obj, pod, defs), obj);
});

test('dropUnknown shares the parts it does not change', () => {
  const obj = { metadata: { name: 'a', x: 1 }, spec: { containers: [{ name: 'c' }] } };
  const out = dropUnknown(obj, pod, defs);
  assert.equal(out.spec, obj.spec);
  assert.notEqual(out.metadata, obj.metadata);
});
