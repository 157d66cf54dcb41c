import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalJsonPath, findJsonPathResults, jsonPathText, printerColumnCell } from './jsonpath.js';
import { humanDuration } from '../util/index.js';

const obj = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', creationTimestamp: '2024-01-01T00:00:00Z', annotations: { 'example.com/owner': 'me' } },
  spec: { replicas: 3, ratio: 0.5, paused: false, tags: ['a', 'b', 'c'], selector: { app: 'x' } },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' },
      { type: 'Progressing', status: 'False', observedGeneration: 2 },
    ],
    ready: null,
  },
};

const cases: { expr: string; want: unknown[] }[] = [
  { expr: '.spec.replicas', want: [3] },
  { expr: '{.spec.replicas}', want: [3] },
  { expr: '.status.conditions[?(@.type=="Ready")].status', want: ['True'] },
  { expr: ".status.conditions[?(@.type=='Progressing')].status", want: ['False'] },
  { expr: '.status.conditions[?(@.type!="Ready")].type', want: ['Progressing'] },
  { expr: '.status.conditions[?(@.observedGeneration>1)].type', want: ['Progressing'] },
  { expr: '.status.conditions[?(@.observedGeneration)].type', want: ['Progressing'] },
  { expr: '.spec.tags[0]', want: ['a'] },
  { expr: '.spec.tags[-1]', want: ['c'] },
  { expr: '.spec.tags[*]', want: ['a', 'b', 'c'] },
  { expr: '.spec.tags[0:2]', want: ['a', 'b'] },
  { expr: '.spec.tags[0,2]', want: ['a', 'c'] },
  { expr: ".metadata.annotations['example\\.com/owner']", want: ['me'] },
  { expr: ".metadata.annotations['example.com/owner']", want: [] },
  { expr: '.metadata.annotations.example\\.com/owner', want: ['me'] },
  { expr: '.spec.missing', want: [] },
  { expr: '.status.conditions[*].type', want: ['Ready', 'Progressing'] },
  { expr: '..status', want: [obj.status, 'True', 'False'] },
  { expr: '.spec.selector.*', want: ['x'] },
  { expr: '$.kind', want: ['Widget'] },
];

for (const c of cases) {
  test(`JSONPath ${c.expr}`, () => {
    assert.deepEqual(evalJsonPath(obj, c.expr), c.want);
  });
}

test('JSONPath errors read as client-go\'s', () => {
  assert.throws(() => evalJsonPath(obj, '.spec.tags[5]'), /array index out of bounds: index 5, length 3/);
  assert.throws(() => evalJsonPath(obj, '.spec.replicas[0]'), /is not array or slice/);
  assert.throws(() => evalJsonPath(obj, '.spec[?(@.a==1'), /unterminated filter/);
  assert.throws(() => findJsonPathResults(obj, '.spec.nope', { allowMissingKeys: false }), /nope is not found/);
  assert.throws(() => evalJsonPath(obj, '.status.conditions[?(@.type==1)].status'), /incompatible types for comparison/);
});

test('a template with text and several actions gives one result list per part', () => {
  assert.deepEqual(findJsonPathResults(obj, 'name={.metadata.name} replicas={.spec.replicas}'), [['name='], ['w'], [' replicas='], [3]]);
});

test('values print as kubectl prints them', () => {
  assert.equal(jsonPathText({ b: 1, a: '<x>' }), '{"a":"\\u003cx\\u003e","b":1}');
  assert.equal(jsonPathText(['a', 1]), '["a",1]');
  assert.equal(jsonPathText(1.5), '1.5');
  assert.equal(jsonPathText(1e6 + 0.5), '1.0000005e+06');
  assert.equal(jsonPathText(null), '<no value>');
});

const now = Date.parse('2024-01-03T01:02:03Z');
const columns: { type: string; jsonPath: string; want: unknown }[] = [
  { type: 'integer', jsonPath: '.spec.replicas', want: 3 },
  { type: 'integer', jsonPath: '.spec.ratio', want: 0 },
  { type: 'number', jsonPath: '.spec.ratio', want: 0.5 },
  { type: 'boolean', jsonPath: '.spec.paused', want: false },
  { type: 'boolean', jsonPath: '.spec.replicas', want: null },
  { type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', want: 'True' },
  { type: 'string', jsonPath: '.spec.selector', want: '{"app":"x"}' },
  { type: 'string', jsonPath: '.spec.replicas', want: '3' },
  { type: 'string', jsonPath: '.spec.tags[*]', want: 'a' },
  { type: 'string', jsonPath: '.spec.missing', want: null },
  { type: 'string', jsonPath: '.spec.tags[9]', want: null },
  { type: 'date', jsonPath: '.metadata.creationTimestamp', want: '2d1h' },
  { type: 'date', jsonPath: '.spec.tags[0]', want: '<invalid>' },
  { type: 'integer', jsonPath: '.status.ready', want: null },
];

for (const c of columns) {
  test(`printer column ${c.type} ${c.jsonPath} shows ${JSON.stringify(c.want)}`, () => {
    assert.deepEqual(printerColumnCell(obj, c, now), c.want);
  });
}

const durations: [number, string][] = [
  [-5000, '<invalid>'],
  [-500, '0s'],
  [5000, '5s'],
  [119_000, '119s'],
  [200_000, '3m20s'],
  [600_000, '10m'],
  [3 * 3600_000 + 60_000, '3h1m'],
  [20 * 3600_000, '20h'],
  [50 * 3600_000, '2d2h'],
  [30 * 86400_000, '30d'],
  [3 * 365 * 86400_000 + 86400_000 * 12, '3y12d'],
  [10 * 365 * 86400_000, '10y'],
];

for (const [ms, want] of durations) {
  test(`age of ${ms} ms reads ${want}`, () => {
    assert.equal(humanDuration(ms), want);
  });
}
