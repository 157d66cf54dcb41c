import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../field-errors.js';
import type { JSONSchemaProps } from './types.js';
import { checkStructural } from './structural.js';

const P = 'spec.validation.openAPIV3Schema';
const check = (s: JSONSchemaProps, opts = {}): string[] => checkStructural(s, P, opts).map(fieldErrorMessage);
const root = (properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'object', properties, ...extra });

const cases: { name: string; schema: JSONSchemaProps; want: string[]; opts?: object }[] = [
  { name: 'a minimal structural schema passes', schema: root({ spec: { type: 'object', properties: { replicas: { type: 'integer' } } } }), want: [] },
  { name: 'a field without type', schema: root({ spec: { properties: { a: { type: 'string' } } } }), want: [`${P}.properties[spec].type: Required value: must not be empty for specified object fields`] },
  { name: 'array items without type', schema: root({ list: { type: 'array', items: {} } }), want: [`${P}.properties[list].items.type: Required value: must not be empty for specified array items`] },
  { name: 'an array needs items', schema: root({ list: { type: 'array' } }), want: [`${P}.properties[list].items: Required value: must be specified`] },
  { name: 'the root needs a type', schema: { properties: { spec: { type: 'object' } } }, want: [`${P}.type: Required value: must not be empty at the root`] },
  { name: 'the root must be an object', schema: { type: 'string' }, want: [`${P}.type: Invalid value: "string": must be object at the root`] },
  { name: 'preserve-unknown-fields allows a missing type', schema: root({ spec: { 'x-kubernetes-preserve-unknown-fields': true } }), want: [] },
  { name: 'int-or-string allows a missing type and its anyOf', schema: root({ port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } }), want: [] },
  {
    name: 'types inside anyOf are not structural',
    schema: root({ v: { type: 'string', anyOf: [{ type: 'string' }, { type: 'integer' }] } }),
    want: [`${P}.properties[v].anyOf[0].type: Forbidden: must be empty to be structural`, `${P}.properties[v].anyOf[1].type: Forbidden: must be empty to be structural`],
  },
  {
    name: 'properties in allOf must also be specified outside',
    schema: root({ spec: { type: 'object' } }, { allOf: [{ properties: { spec: { properties: { a: { minLength: 1 } } } } }] }),
    want: [`${P}.properties[spec].properties[a]: Required value: because it is defined in ${P}.allOf[0].properties[spec].properties[a]`],
  },
  {
    name: 'nested keywords that are not value validations',
    schema: root({ a: { type: 'object', properties: { b: { type: 'string' } }, oneOf: [{ description: 'x', nullable: true, default: 'y', 'x-kubernetes-preserve-unknown-fields': true, properties: { b: { title: 't' } } }] } }),
    want: [
      `${P}.properties[a].oneOf[0].default: Forbidden: must be undefined to be structural`,
      `${P}.properties[a].oneOf[0].description: Forbidden: must be empty to be structural`,
      `${P}.properties[a].oneOf[0].nullable: Forbidden: must be false to be structural`,
      `${P}.properties[a].oneOf[0].properties[b].title: Forbidden: must be empty to be structural`,
      `${P}.properties[a].oneOf[0].x-kubernetes-preserve-unknown-fields: Forbidden: must be false to be structural`,
    ],
  },
  { name: 'additionalProperties at the root', schema: { type: 'object', additionalProperties: { type: 'string' } }, want: [`${P}.additionalProperties: Forbidden: must not be used at the root`] },
  { name: 'metadata may restrict name', schema: root({ metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } }), want: [] },
  { name: 'metadata may not restrict labels', schema: root({ metadata: { type: 'object', properties: { labels: { type: 'object' } } } }), want: [`${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`] },
  { name: 'metadata must be an object', schema: root({ metadata: { type: 'string' } }), want: [`${P}.properties[metadata].type: Invalid value: "string": must be object`] },
  { name: 'kind must be a string at the root', schema: root({ kind: { type: 'integer' } }), want: [`${P}.properties[kind].type: Invalid value: "integer": must be string`] },
  { name: 'metadata in a nested context', schema: root({ a: { type: 'object', properties: { metadata: { type: 'object' } }, anyOf: [{ properties: { metadata: {} } }] } }), want: [`${P}.properties[a].anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`] },
  { name: 'an embedded resource must be an object', schema: root({ e: { type: 'string', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } }), want: [`${P}.properties[e].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true`] },
  { name: 'an embedded resource needs properties or preserve-unknown-fields', schema: root({ e: { type: 'object', 'x-kubernetes-embedded-resource': true } }), want: [`${P}.properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`] },
  { name: 'int-or-string with preserve-unknown-fields', schema: root({ p: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true } }), want: [`${P}.properties[p].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`] },
  { name: 'an invalid pattern', schema: root({ s: { type: 'string', pattern: '(a' } }), want: [`${P}.properties[s].pattern: Invalid value: "(a": must be a valid regular expression, but isn't: error parsing regexp: missing closing ): \`(a\``] },
  { name: '$ref is not supported', schema: root({ s: { type: 'string', $ref: '#/definitions/x' } }), want: [`${P}.properties[s].$ref: Forbidden: $ref is not supported`] },
  { name: 'patternProperties, dependencies and additionalItems', schema: root({ o: { type: 'object', patternProperties: { a: { type: 'string' } }, dependencies: { a: ['b'] }, additionalItems: false } }), want: [`${P}.properties[o].additionalItems: Forbidden: additionalItems is not supported`, `${P}.properties[o].patternProperties: Forbidden: patternProperties is not supported`, `${P}.properties[o].dependencies: Forbidden: dependencies is not supported`] },
  { name: 'uniqueItems true', schema: root({ l: { type: 'array', uniqueItems: true, items: { type: 'string' } } }), want: [`${P}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`] },
  { name: 'type null', schema: root({ n: { type: 'null' } }), want: [`${P}.properties[n].type: Unsupported value: "null": supported values: "array", "boolean", "integer", "number", "object", "string"`, `${P}.properties[n].type: Forbidden: type cannot be set to null, use nullable as an alternative`] },
  { name: 'properties with additionalProperties', schema: root({ o: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } }), want: [`${P}.properties[o].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`] },
  { name: 'a default in top-level metadata', schema: root({ metadata: { type: 'object', default: {} } }), want: [`${P}.properties[metadata].default: Forbidden: must not be set in top-level metadata`] },
  { name: 'a nullable root', schema: { type: 'object', nullable: true }, want: [`${P}.nullable: Forbidden: nullable cannot be true at the root`] },
  { name: 'list type on a non-array', schema: root({ s: { type: 'string', 'x-kubernetes-list-type': 'set' } }), want: [`${P}.properties[s].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified`] },
  { name: 'an unknown list type', schema: root({ l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' } }), want: [`${P}.properties[l].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`] },
  { name: 'an unknown map type', schema: root({ m: { type: 'object', 'x-kubernetes-map-type': 'x' } }), want: [`${P}.properties[m].x-kubernetes-map-type: Unsupported value: "x": supported values: "atomic", "granular"`] },
  { name: 'map keys without map list type', schema: root({ l: { type: 'array', items: { type: 'object', required: ['k'], properties: { k: { type: 'string' } } }, 'x-kubernetes-list-map-keys': ['k'] } }), want: [`${P}.properties[l].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty`] },
  {
    name: 'a map list with a missing key property',
    schema: root({ l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { k: { type: 'string' } } } } }),
    want: [`${P}.properties[l].x-kubernetes-list-map-keys: Invalid value: []string{"name"}: entries must all be names of item properties`],
  },
  { name: 'a map list without keys', schema: root({ l: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object' } } }), want: [`${P}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`] },
  { name: 'a map list of strings', schema: root({ l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'string' } } }), want: [`${P}.properties[l].items.type: Invalid value: "string": must be object if parent array's x-kubernetes-list-type is map`] },
  {
    name: 'map keys must be required or defaulted and not nullable',
    schema: root({ l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string', nullable: true } } } } }),
    want: [
      `${P}.properties[l].items.properties[k].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${P}.properties[l].items.properties[k].nullable: Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot be nullable`,
    ],
  },
  { name: 'set items must be atomic', schema: root({ l: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'object', properties: { a: { type: 'string' } } } } }), want: [`${P}.properties[l].items.x-kubernetes-map-type: Invalid value: "null": must be atomic as item of a list with x-kubernetes-list-type=set`] },
  { name: 'a rule without text', schema: root({ s: { type: 'string', 'x-kubernetes-validations': [{ rule: ' ' }] } }), want: [`${P}.properties[s].x-kubernetes-validations[0].rule: Required value: rule is not specified`] },
  { name: 'a rule with a bad reason', schema: root({ s: { type: 'string', 'x-kubernetes-validations': [{ rule: 'true', reason: 'Nope' }] } }), want: [`${P}.properties[s].x-kubernetes-validations[0].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`] },
  { name: 'a rule fieldPath that names no field', schema: root({ o: { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'true', fieldPath: '.b' }] } }), want: [`${P}.properties[o].x-kubernetes-validations[0].fieldPath: Invalid value: ".b": fieldPath must be a valid path`] },
  { name: 'rules inside anyOf', schema: root({ s: { type: 'string', anyOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] } }), want: [`${P}.properties[s].anyOf[0].x-kubernetes-validations: Forbidden: must be empty to be structural`] },
  // Kubernetes never runs CEL rules of nested value validations: a CRD schema with them is not structural.
  { name: 'rules inside allOf', schema: root({ s: { type: 'string', allOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] } }), want: [`${P}.properties[s].allOf[0].x-kubernetes-validations: Forbidden: must be empty to be structural`] },
  { name: 'rules inside oneOf', schema: root({ s: { type: 'string', oneOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] } }), want: [`${P}.properties[s].oneOf[0].x-kubernetes-validations: Forbidden: must be empty to be structural`] },
  { name: 'rules inside not', schema: root({ s: { type: 'string', not: { 'x-kubernetes-validations': [{ rule: 'true' }] } } }), want: [`${P}.properties[s].not.x-kubernetes-validations: Forbidden: must be empty to be structural`] },
  {
    name: 'rules deep inside a nested validation',
    schema: root({ o: { type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: { a: { allOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] } } }] } }),
    want: [`${P}.properties[o].anyOf[0].properties[a].allOf[0].x-kubernetes-validations: Forbidden: must be empty to be structural`],
  },
  { name: 'a default of the wrong type', schema: root({ r: { type: 'integer', default: 'x' } }), want: [`${P}.properties[r].default: Invalid value: "string":  in body must be of type integer: "string"`] },
  { name: 'a default below the minimum', schema: root({ r: { type: 'integer', minimum: 1, default: 0 } }), want: [`${P}.properties[r].default: Invalid value: 0:  in body should be greater than or equal to 1`] },
  { name: 'a default with unknown fields', schema: root({ o: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } } }), want: [`${P}.properties[o].default: Invalid value: map[string]interface {}{"a":"x", "b":"y"}: must not have unknown fields`] },
  { name: 'a default deep inside is checked against its own schema', schema: root({ o: { type: 'object', properties: { a: { type: 'object', required: ['x'], properties: { x: { type: 'string' } }, default: {} } } } }), want: [`${P}.properties[o].properties[a].default.x: Required value`] },
  { name: 'an object default with a wrong field type', schema: root({ o: { type: 'object', properties: { n: { type: 'integer' } }, default: { n: 'x' } } }), want: [`${P}.properties[o].default.n: Invalid value: "string": n in body must be of type integer: "string"`] },
  { name: '$schema cannot even be read', schema: root({ s: { type: 'string', $schema: 'http://json-schema.org' } }), want: [`${P}: Invalid value: "": OpenAPIV3Schema 'schema' is not supported`] },
  { name: 'the status subresource allows only some root keywords', schema: root({ spec: { type: 'object' } }, { required: ['spec'], description: 'x' }), opts: { statusEnabled: true }, want: [] },
  { name: 'the status subresource refuses minProperties at the root', schema: root({}, { minProperties: 1 }), opts: { statusEnabled: true }, want: [`${P}: Invalid value: {"type":"object","properties":{},"minProperties":1}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`] },
  { name: 'the status subresource takes preserve-unknown-fields at the root', schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} }, opts: { statusEnabled: true }, want: [] },
];

for (const c of cases) {
  test(`schema check: ${c.name}`, () => {
    assert.deepEqual(check(c.schema, c.opts), c.want);
  });
}

test('the status subresource refuses anyOf at the root', () => {
  const errs = check(root({ spec: { type: 'object' } }, { anyOf: [{ required: ['spec'] }] }), { statusEnabled: true });
  assert.equal(errs.length, 1);
  assert.match(errs[0] ?? '', /^spec\.validation\.openAPIV3Schema: Invalid value: .*: only \[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations\] fields are allowed at the root of the schema if the status subresource is enabled$/);
});

test('structural errors are sorted by message', () => {
  const errs = check(root({ z: {}, a: {} }));
  assert.deepEqual(errs, [`${P}.properties[a].type: Required value: must not be empty for specified object fields`, `${P}.properties[z].type: Required value: must not be empty for specified object fields`]);
});

test('a CRD update keeps accepting what the old schema already had', () => {
  const bad = root({ l: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'object', properties: { a: { type: 'string' } } } } });
  assert.equal(check(bad).length, 1);
  assert.deepEqual(check(bad, { oldSchemas: [bad] }), []);
  const nonStructural = root({ s: {} });
  assert.deepEqual(check(nonStructural, { oldSchemas: [nonStructural] }), []);
});
