import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinDefinitions, type Definitions } from '../../api/generated/index.js';
import { checkObject, strictDecodingMessage, unknownFieldWarnings } from './index.js';

const defs = builtinDefinitions();
const pod = 'io.k8s.api.core.v1.Pod';
const svc = 'io.k8s.api.core.v1.Service';
const deploy = 'io.k8s.api.apps.v1.Deployment';
const regexp = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

interface Case {
  name: string;
  schema?: string;
  obj: unknown;
  unknown?: string[];
  error?: string;
}

const cases: Case[] = [
  { name: 'a valid pod passes', obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', labels: { x: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  { name: 'unknown field in spec', obj: { spec: { bogusField: 1 } }, unknown: ['spec.bogusField'] },
  { name: 'unknown field inside a list item', obj: { spec: { containers: [{ name: 'a' }, { name: 'b', foo: 1 }] } }, unknown: ['spec.containers[1].foo'] },
  { name: 'unknown fields in metadata and at the top, in document order', obj: { metadata: { foo: 1 }, extra: true }, unknown: ['metadata.foo', 'extra'] },
  {
    name: 'unknown field inside a map of structs keeps the key in the path',
    schema: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
    obj: { properties: { size: { type: 'integer', foo: 1 } } },
    unknown: ['properties.size.foo'],
  },
  { name: 'field names are case-sensitive', obj: { Spec: {} }, unknown: ['Spec'] },
  { name: 'unknown field with a null value is still unknown', obj: { spec: { nope: null } }, unknown: ['spec.nope'] },
  {
    name: 'string where a list is expected',
    obj: { spec: { containers: 'x' } },
    error: 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container',
  },
  {
    name: 'string where an int32 is expected',
    schema: deploy,
    obj: { spec: { replicas: '3' } },
    error: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  {
    name: 'fraction where an integer is expected',
    obj: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80.5 }] }] } },
    error: 'json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
  },
  {
    name: 'int32 overflow',
    schema: deploy,
    obj: { spec: { replicas: 3000000000 } },
    error: 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  { name: 'int64 accepts large integers', obj: { spec: { activeDeadlineSeconds: 3000000000 } } },
  {
    name: 'number where a string is expected',
    obj: { spec: { nodeName: 5 } },
    error: 'json: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string',
  },
  {
    name: 'string where a bool is expected',
    obj: { spec: { hostNetwork: 'true' } },
    error: 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool',
  },
  {
    name: 'array where a struct is expected',
    obj: { spec: [] },
    error: 'json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec',
  },
  {
    name: 'map value of the wrong type names the map type, not the key',
    obj: { metadata: { labels: { a: 1 } } },
    error: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  },
  {
    name: 'named string types use their Go name',
    schema: svc,
    obj: { spec: { ports: [{ port: 80, protocol: 6 }] } },
    error: 'json: cannot unmarshal number into Go struct field ServicePort.spec.ports.protocol of type v1.Protocol',
  },
  {
    name: 'uid is a types.UID',
    obj: { metadata: { uid: 7 } },
    error: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.uid of type types.UID',
  },
  { name: 'the first type error wins', obj: { spec: { nodeName: 1, hostNetwork: 'x' } }, error: 'json: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string' },
  { name: 'nulls are accepted anywhere', obj: { metadata: { labels: null, name: null }, spec: { containers: null, nodeName: null } } },
  { name: 'int-or-string accepts a number', schema: svc, obj: { spec: { ports: [{ port: 80, targetPort: 8080 }] } } },
  { name: 'int-or-string accepts a string', schema: svc, obj: { spec: { ports: [{ port: 80, targetPort: 'http' }] } } },
  {
    name: 'int-or-string refuses a bool as an int32',
    schema: svc,
    obj: { spec: { ports: [{ port: 80, targetPort: true }] } },
    error: 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
  },
  {
    name: 'int-or-string refuses a fraction',
    schema: svc,
    obj: { spec: { ports: [{ port: 80, targetPort: 1.5 }] } },
    error: 'json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32',
  },
  { name: 'quantities accept strings and numbers', obj: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '500m', memory: 1073741824 }, requests: { cpu: 0.5 } } }] } } },
  {
    name: 'a malformed quantity fails with the quantity pattern',
    obj: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 'lots' } } }] } },
    error: `quantities must match the regular expression ${regexp}`,
  },
  {
    name: 'an unknown quantity suffix',
    obj: { spec: { containers: [{ name: 'a', resources: { limits: { memory: '1Ki2' } } }] } },
    error: "unable to parse quantity's suffix",
  },
  {
    name: 'a bool quantity',
    obj: { spec: { overhead: { cpu: true } } },
    error: `quantities must match the regular expression ${regexp}`,
  },
  { name: 'timestamps in RFC 3339 are accepted', obj: { metadata: { creationTimestamp: '2024-05-01T10:00:00Z' } } },
  {
    name: 'a bad timestamp gives Go time parse error',
    obj: { metadata: { creationTimestamp: '2024-13-01T10:00:00Z' } },
    error: 'parsing time "2024-13-01T10:00:00Z": month out of range',
  },
  {
    name: 'a numeric timestamp is decoded as a string first',
    obj: { metadata: { creationTimestamp: 5 } },
    error: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
  },
  { name: 'secret data must be base64', schema: 'io.k8s.api.core.v1.Secret', obj: { data: { a: 'abc!' } }, error: 'illegal base64 data at input byte 3' },
  { name: 'secret data in base64 passes', schema: 'io.k8s.api.core.v1.Secret', obj: { data: { a: 'aGVsbG8=' } } },
  {
    name: 'raw extensions take anything',
    schema: 'io.k8s.api.apps.v1.ControllerRevision',
    obj: { revision: 1, data: { anything: { goes: [1, 'x'] } } },
  },
  {
    name: 'managedFields fieldsV1 takes anything',
    obj: { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:x': {} } } }] } },
  },
  {
    name: 'CRD schemas: JSON values take anything',
    schema: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
    obj: { type: 'object', default: { a: [1] }, enum: ['a', 1], items: { type: 'string' }, additionalProperties: false },
  },
  {
    name: 'unknown fields are reported even when there is a type error',
    obj: { spec: { foo: 1, nodeName: 1 } },
    unknown: ['spec.foo'],
    error: 'json: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string',
  },
];

for (const c of cases) {
  test(`checkObject: ${c.name}`, () => {
    const r = checkObject(c.obj, c.schema ?? pod, defs);
    assert.deepEqual(r.unknownFields, c.unknown ?? []);
    assert.equal(r.typeError, c.error);
  });
}

test('decode errors are wrapped the way Kubernetes answers them', () => {
  const r = checkObject({ spec: { containers: 'x' } }, pod, defs);
  assert.equal(
    r.decodeError,
    'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container',
  );
  const d = checkObject({ spec: { replicas: 'x' } }, deploy, defs, { gvk: { kind: 'Deployment', version: 'v1' } });
  assert.match(d.decodeError ?? '', /^Deployment in version "v1" cannot be handled as a Deployment: /);
});

test('strict decoding errors list every unknown field, comma-separated', () => {
  const r = checkObject({ spec: { bogusField: 1, containers: [{ name: 'a', foo: 1 }] } }, pod, defs);
  assert.equal(r.strictError, 'strict decoding error: unknown field "spec.bogusField", unknown field "spec.containers[0].foo"');
  assert.equal(strictDecodingMessage(['a']), 'strict decoding error: unknown field "a"');
  assert.deepEqual(unknownFieldWarnings(['x.y', 'z']), ['unknown field "x.y"', 'unknown field "z"']);
  assert.equal(checkObject({ spec: {} }, pod, defs).strictError, undefined);
});

test('preserve-unknown-fields schemas keep unknown fields and still check known ones', () => {
  const custom: Definitions = {
    'com.example.v1.Widget': {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { size: { type: 'integer', format: 'int64' } },
        },
        status: { type: 'object', properties: { ready: { type: 'boolean' } } },
      },
    },
  };
  const ok = checkObject({ spec: { size: 3, anything: { x: 1 } } }, 'com.example.v1.Widget', custom);
  assert.deepEqual(ok.unknownFields, []);
  assert.equal(ok.typeError, undefined);
  const bad = checkObject({ spec: { size: 'big' }, status: { other: 1 } }, 'com.example.v1.Widget', custom);
  assert.deepEqual(bad.unknownFields, ['status.other']);
  assert.equal(bad.typeError, 'json: cannot unmarshal string into Go struct field .spec.size of type int64');
});

test('at most 100 unknown fields are reported', () => {
  const spec: Record<string, number> = {};
  for (let i = 0; i < 150; i++) spec['f' + i] = i;
  assert.equal(checkObject({ spec }, pod, defs).unknownFields.length, 100);
});
