import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import type { JSONSchemaProps } from './types.js';
import { compileSchema, validateValue } from './validate.js';

const msgs = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

// A resource whose spec has one field with the given schema.
function spec(field: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'object', properties: { spec: { type: 'object', properties: { f: field }, ...extra } } };
}

const keywordCases: { name: string; schema: JSONSchemaProps; value: unknown; want: string[] }[] = [
  { name: 'integer refuses a string', schema: { type: 'integer' }, value: 'string', want: ['spec.f: Invalid value: "string": spec.f in body must be of type integer: "string"'] },
  { name: 'integer refuses a fraction', schema: { type: 'integer' }, value: 1.5, want: ['spec.f: Invalid value: "number": spec.f in body must be of type integer: "number"'] },
  { name: 'integer takes an integral number', schema: { type: 'integer' }, value: 3, want: [] },
  { name: 'number takes an integer', schema: { type: 'number' }, value: 3, want: [] },
  { name: 'string refuses an integer', schema: { type: 'string' }, value: 5, want: ['spec.f: Invalid value: "integer": spec.f in body must be of type string: "integer"'] },
  { name: 'boolean refuses a string', schema: { type: 'boolean' }, value: 'true', want: ['spec.f: Invalid value: "string": spec.f in body must be of type boolean: "string"'] },
  { name: 'object refuses a list', schema: { type: 'object' }, value: [], want: ['spec.f: Invalid value: "array": spec.f in body must be of type object: "array"'] },
  { name: 'array refuses an object', schema: { type: 'array', items: { type: 'string' } }, value: {}, want: ['spec.f: Invalid value: "object": spec.f in body must be of type array: "object"'] },
  { name: 'null is refused unless nullable', schema: { type: 'string' }, value: null, want: ['spec.f: Invalid value: "null": spec.f in body must be of type string: "null"'] },
  { name: 'nullable takes null', schema: { type: 'string', nullable: true }, value: null, want: [] },
  { name: 'enum lists the supported values', schema: { type: 'string', enum: ['a', 'b'] }, value: 'x', want: ['spec.f: Unsupported value: "x": supported values: "a", "b"'] },
  { name: 'enum of numbers quotes them', schema: { type: 'integer', enum: [1, 2] }, value: 3, want: ['spec.f: Unsupported value: 3: supported values: "1", "2"'] },
  { name: 'enum refuses null even when nullable', schema: { type: 'string', nullable: true, enum: ['a'] }, value: null, want: ['spec.f: Unsupported value: "null": supported values: "a"'] },
  { name: 'minimum', schema: { type: 'integer', minimum: 1 }, value: 0, want: ['spec.f: Invalid value: 0: spec.f in body should be greater than or equal to 1'] },
  { name: 'exclusive minimum', schema: { type: 'integer', minimum: 1, exclusiveMinimum: true }, value: 1, want: ['spec.f: Invalid value: 1: spec.f in body should be greater than 1'] },
  { name: 'maximum', schema: { type: 'integer', maximum: 10 }, value: 11, want: ['spec.f: Invalid value: 11: spec.f in body should be less than or equal to 10'] },
  { name: 'exclusive maximum', schema: { type: 'number', maximum: 10, exclusiveMaximum: true }, value: 10, want: ['spec.f: Invalid value: 10: spec.f in body should be less than 10'] },
  { name: 'float bounds print as floats', schema: { type: 'number', maximum: 2000000 }, value: 2000000.5, want: ['spec.f: Invalid value: 2.0000005e+06: spec.f in body should be less than or equal to 2e+06'] },
  { name: 'integer bounds truncate', schema: { type: 'integer', minimum: 0.5 }, value: 0, want: [] },
  { name: 'multipleOf', schema: { type: 'integer', multipleOf: 5 }, value: 7, want: ['spec.f: Invalid value: 7: spec.f in body should be a multiple of 5'] },
  { name: 'multipleOf with a fraction', schema: { type: 'number', multipleOf: 0.5 }, value: 0.7, want: ['spec.f: Invalid value: 0.7: spec.f in body should be a multiple of 0.5'] },
  { name: 'multipleOf tolerates float error', schema: { type: 'number', multipleOf: 0.1 }, value: 0.3, want: [] },
  { name: 'maxLength counts characters', schema: { type: 'string', maxLength: 3 }, value: 'abcd', want: ['spec.f: Too long: may not be more than 3 bytes'] },
  { name: 'maxLength takes multi-byte characters', schema: { type: 'string', maxLength: 3 }, value: 'äöü', want: [] },
  { name: 'minLength', schema: { type: 'string', minLength: 3 }, value: 'ab', want: ['spec.f: Invalid value: "ab": spec.f in body should be at least 3 chars long'] },
  { name: 'pattern is unanchored RE2', schema: { type: 'string', pattern: '[0-9]' }, value: 'a1b', want: [] },
  { name: 'pattern', schema: { type: 'string', pattern: '^[a-z]+$' }, value: 'A', want: ["spec.f: Invalid value: \"A\": spec.f in body should match '^[a-z]+$'"] },
  { name: 'maxLength stops before pattern', schema: { type: 'string', maxLength: 1, pattern: '^[a-z]+$' }, value: 'AB', want: ['spec.f: Too long: may not be more than 1 bytes'] },
  { name: 'minItems', schema: { type: 'array', minItems: 1, items: { type: 'string' } }, value: [], want: ['spec.f: Invalid value: 0: spec.f in body should have at least 1 items'] },
  { name: 'maxItems', schema: { type: 'array', maxItems: 1, items: { type: 'string' } }, value: ['a', 'b'], want: ['spec.f: Too many: 2: must have at most 1 items'] },
  { name: 'uniqueItems', schema: { type: 'array', uniqueItems: true, items: { type: 'string' } }, value: ['a', 'a'], want: ['spec.f: Invalid value: "": spec.f in body shouldn\'t contain duplicates'] },
  { name: 'minProperties', schema: { type: 'object', minProperties: 1 }, value: {}, want: ['spec.f: Invalid value: 0: spec.f in body should have at least 1 properties'] },
  { name: 'maxProperties', schema: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } }, value: { a: 'x', b: 'y' }, want: ['spec.f: Too many: 2: must have at most 1 items'] },
  { name: 'required', schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, value: {}, want: ['spec.f.name: Required value'] },
  { name: 'additionalProperties schema', schema: { type: 'object', additionalProperties: { type: 'integer' } }, value: { a: 'x' }, want: ['spec.f.a: Invalid value: "string": spec.f.a in body must be of type integer: "string"'] },
  { name: 'additionalProperties false', schema: { type: 'object', additionalProperties: false }, value: { a: 1 }, want: ['spec.f: Invalid value: "a": spec.f.a in body is a forbidden property'] },
  { name: 'items', schema: { type: 'array', items: { type: 'integer' } }, value: [1, 'x'], want: ['spec.f[1]: Invalid value: "string": spec.f[1] in body must be of type integer: "string"'] },
  { name: 'format date-time', schema: { type: 'string', format: 'date-time' }, value: 'yesterday', want: ['spec.f: Invalid value: "yesterday": spec.f in body must be of type date-time: "yesterday"'] },
  { name: 'format int32 does not check the range', schema: { type: 'integer', format: 'int32' }, value: 5000000000, want: [] },
  { name: 'unsupported formats are ignored', schema: { type: 'string', format: 'k8s-short-name' }, value: 'NOT OK', want: [] },
  { name: 'format on a non-string type is dropped', schema: { type: 'boolean', format: 'date' }, value: true, want: [] },
  { name: 'string format with a number value', schema: { type: 'string', format: 'date' }, value: 5, want: ['spec.f: Invalid value: "int64": spec.f in body must be of type date: "int64"'] },
  {
    name: 'int-or-string refuses a boolean three ways',
    schema: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    value: true,
    want: [
      'spec.f: Invalid value: "boolean": spec.f in body must be of type integer,string: "boolean"',
      '<nil>: Invalid value: "": "spec.f" must validate at least one schema (anyOf)',
      'spec.f: Invalid value: "boolean": spec.f in body must be of type integer: "boolean"',
    ],
  },
  { name: 'int-or-string takes a string', schema: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, value: '50%', want: [] },
  { name: 'int-or-string pattern in allOf', schema: { 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^[0-9]+%$' }] }, value: 'x', want: ["spec.f: Invalid value: \"x\": spec.f in body should match '^[0-9]+%$'", '<nil>: Invalid value: "": "spec.f" must validate all the schemas (allOf)'] },
  { name: 'oneOf with none valid', schema: { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] }, value: {}, want: ['<nil>: Invalid value: "": "spec.f" must validate one and only one schema (oneOf). Found none valid', 'spec.f.a: Required value'] },
  { name: 'oneOf with two valid', schema: { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] }, value: { a: 1, b: 2 }, want: ['<nil>: Invalid value: "": "spec.f" must validate one and only one schema (oneOf). Found 2 valid alternatives'] },
  { name: 'not', schema: { type: 'object', not: { required: ['a'] } }, value: { a: 1 }, want: ['<nil>: Invalid value: "": "spec.f" must not validate the schema (not)'] },
  { name: 'allOf none validated', schema: { type: 'string', allOf: [{ minLength: 5 }] }, value: 'ab', want: ['spec.f: Invalid value: "ab": spec.f in body should be at least 5 chars long', '<nil>: Invalid value: "": "spec.f" must validate all the schemas (allOf). None validated'] },
  { name: 'preserve-unknown-fields without type takes anything', schema: { 'x-kubernetes-preserve-unknown-fields': true }, value: [1, { a: 2 }], want: [] },
];

for (const c of keywordCases) {
  test(`keyword: ${c.name}`, () => {
    assert.deepEqual(msgs(validateValue({ spec: { f: c.value } }, spec(c.schema))), c.want);
  });
}

test('errors in a status update are named from status with messages relative to it', () => {
  const status: JSONSchemaProps = { type: 'object', properties: { replicas: { type: 'integer' } } };
  assert.deepEqual(msgs(validateValue({ replicas: 'x' }, status, { path: 'status', kind: 'value' })), [
    'status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"',
  ]);
});

test('identical messages from several branches are reported once', () => {
  const s = spec({ type: 'string', allOf: [{ maxLength: 1 }, { maxLength: 1 }] });
  assert.deepEqual(msgs(validateValue({ spec: { f: 'abc' } }, s)), ['spec.f: Too long: may not be more than 1 bytes', '<nil>: Invalid value: "": "spec.f" must validate all the schemas (allOf). None validated']);
});

const listSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', required: ['port'], properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
        },
        rules: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
        byName: { type: 'object', additionalProperties: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'integer' } } },
      },
    },
  },
};

const listCases: { name: string; spec: unknown; want: string[] }[] = [
  { name: 'a set refuses a repeated item on its second occurrence', spec: { tags: ['a', 'b', 'a', 'a'] }, want: ['spec.tags[2]: Duplicate value: "a"'] },
  { name: 'a single-key map list refuses a repeated key', spec: { rules: [{ name: 'x' }, { name: 'x', value: 'v' }] }, want: ['spec.rules[1]: Duplicate value: map[string]interface {}{"name":"x"}'] },
  { name: 'items without the key count as one key', spec: { rules: [{ value: 'a' }, { value: 'b' }] }, want: ['spec.rules[1]: Duplicate value: map[string]interface {}{}'] },
  { name: 'a multi-key map list compares all keys', spec: { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 80, protocol: 'TCP' }] }, want: ['spec.ports[2]: Duplicate value: map[string]interface {}{"port":80, "protocol":"TCP"}'] },
  { name: 'a map list item must be an object', spec: { rules: ['x'] }, want: ['spec.rules[0]: Invalid value: "x": must be an object for an array of list-type map', 'spec.rules[0]: Invalid value: "string": spec.rules[0] in body must be of type object: "string"'].reverse() },
  { name: 'sets under additionalProperties use key paths', spec: { byName: { k: [1, 1] } }, want: ['spec.byName[k][1]: Duplicate value: 1'] },
];

for (const c of listCases) {
  test(`list type: ${c.name}`, () => {
    assert.deepEqual(msgs(validateValue({ spec: c.spec }, listSchema)), c.want);
  });
}

test('list-type violations already in the old object are tolerated on update', () => {
  const old = { spec: { tags: ['a', 'a'] } };
  assert.deepEqual(validateValue({ spec: { tags: ['a', 'a', 'b'] } }, listSchema, { oldValue: old }), []);
  assert.deepEqual(msgs(validateValue({ spec: { tags: ['a', 'a'] } }, listSchema, { oldValue: { spec: { tags: [] } } })), ['spec.tags[1]: Duplicate value: "a"']);
});

const embeddedSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

const embeddedCases: { name: string; template: unknown; want: string[] }[] = [
  { name: 'apiVersion and kind are required', template: {}, want: ['spec.template.apiVersion: Required value: must not be empty', 'spec.template.kind: Required value: must not be empty'] },
  { name: 'a complete embedded object passes', template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { a: 'b' } } }, want: [] },
  { name: 'kind must be a DNS-1035 label in any case', template: { apiVersion: 'v1', kind: 'Pod_X' }, want: ["spec.template.kind: Invalid value: \"Pod_X\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"] },
  { name: 'apiVersion may have one slash', template: { apiVersion: 'a/b/c', kind: 'X' }, want: ['spec.template.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c'] },
  { name: 'apiVersion must be a string', template: { apiVersion: 1, kind: 'X' }, want: ['spec.template.apiVersion: Invalid value: 1: must be a string'] },
  { name: 'metadata must decode as ObjectMeta', template: { apiVersion: 'v1', kind: 'X', metadata: { name: 5 } }, want: ['spec.template.metadata: Invalid value: map[string]interface {}{"name":5}: json: cannot unmarshal number into Go struct field ObjectMeta.name of type string'] },
  { name: 'metadata labels are validated', template: { apiVersion: 'v1', kind: 'X', metadata: { labels: { 'a b': 'c' } } }, want: [] },
];

for (const c of embeddedCases) {
  test(`embedded resource: ${c.name}`, () => {
    const got = msgs(validateValue({ spec: { template: c.template } }, embeddedSchema));
    if (c.name === 'metadata labels are validated') assert.match(got[0] ?? '', /^spec\.template\.metadata\.labels: Invalid value: "a b": name part must consist of/);
    else assert.deepEqual(got, c.want);
  });
}

test('ratcheting drops errors of values unchanged since the old object', () => {
  const s = spec({ type: 'string', maxLength: 3 }, { properties: { f: { type: 'string', maxLength: 3 }, g: { type: 'integer', minimum: 1 } } });
  const old = { spec: { f: 'toolong', g: 1 } };
  assert.deepEqual(validateValue({ spec: { f: 'toolong', g: 2 } }, s, { oldValue: old }), []);
  assert.deepEqual(msgs(validateValue({ spec: { f: 'toolong!', g: 2 } }, s, { oldValue: old })), ['spec.f: Too long: may not be more than 3 bytes']);
  assert.deepEqual(msgs(validateValue({ spec: { f: 'toolong', g: 0 } }, s, { oldValue: old })), ['spec.g: Invalid value: 0: spec.g in body should be greater than or equal to 1']);
});

test('ratcheting correlates list-map items by key, not by position', () => {
  const s: JSONSchemaProps = {
    type: 'object',
    properties: {
      items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'string', maxLength: 1 } } } },
      atomic: { type: 'array', items: { type: 'string', maxLength: 1 } },
    },
  };
  const old = { items: [{ name: 'a', v: 'xx' }], atomic: ['yy'] };
  assert.deepEqual(validateValue({ items: [{ name: 'b', v: 'z' }, { name: 'a', v: 'xx' }], atomic: ['yy'] }, s, { oldValue: old }), []);
  assert.deepEqual(msgs(validateValue({ items: [], atomic: ['yy', 'z'] }, s, { oldValue: old })), ['atomic[0]: Too long: may not be more than 1 bytes']);
});

test('the CEL hook sees rule nodes with paths and correlated old values', () => {
  const rule = [{ rule: 'self.x' }];
  const s: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': rule,
        properties: {
          list: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', 'x-kubernetes-validations': rule, properties: { k: { type: 'string' } } } },
          set: { type: 'array', items: { type: 'object', 'x-kubernetes-validations': rule, properties: { k: { type: 'string' } } } },
          labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': rule } },
        },
      },
    },
  };
  const seen: string[] = [];
  const obj = { spec: { list: [{ k: 'b' }, { k: 'a' }], set: [{ k: 'a' }], labels: { x: 'y' } } };
  const old = { spec: { list: [{ k: 'a' }], set: [{ k: 'a' }], labels: { x: 'z' } } };
  validateValue(obj, s, {
    oldValue: old,
    onNode: (value, schema, path, oldValue, ctx) => {
      assert.equal(schema['x-kubernetes-validations'], rule);
      seen.push(`${path} old=${JSON.stringify(oldValue)} ratchet=${ctx.shouldRatchet()}`);
      return path === 'spec.labels[x]' ? [{ type: 'FieldValueInvalid', field: path, value, detail: 'rule failed' }] : [];
    },
  });
  assert.deepEqual(seen, [
    'spec old={"list":[{"k":"a"}],"set":[{"k":"a"}],"labels":{"x":"z"}} ratchet=false',
    'spec.list[0] old=undefined ratchet=false',
    'spec.list[1] old={"k":"a"} ratchet=true',
    'spec.set[0] old=undefined ratchet=true',
    'spec.labels[x] old="z" ratchet=false',
  ]);
});

test('CEL rules are skipped with one error when the object has blocking errors', () => {
  const s: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', required: ['a'], 'x-kubernetes-validations': [{ rule: 'true' }] } } };
  let called = false;
  const errs = validateValue({ spec: {} }, s, {
    onNode: () => {
      called = true;
    },
  });
  assert.equal(called, false);
  assert.deepEqual(msgs(errs), [
    'spec.a: Required value',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});

test('a compiled schema validates a 50-field object without recompiling', () => {
  const properties: Record<string, JSONSchemaProps> = {};
  const value: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    properties[`f${i}`] = i % 2 ? { type: 'integer', minimum: 0 } : { type: 'string', maxLength: 20, pattern: '^[a-z0-9]+$' };
    value[`f${i}`] = i % 2 ? i : `v${i}`;
  }
  const compiled = compileSchema({ type: 'object', properties: { spec: { type: 'object', properties } } });
  for (let i = 0; i < 100; i++) assert.deepEqual(compiled.validate({ spec: value }), []);
});
