import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from '../api/index.js';
import { fieldErrorMessage } from './field-errors.js';
import { nameIsDNSSubdomain } from './names.js';
import { finalizerWarnings, validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaOptions } from './object-meta-validation.js';

const namespaced: ObjectMetaOptions = { namespaced: true, nameValidator: nameIsDNSSubdomain };
const clusterScoped: ObjectMetaOptions = { namespaced: false, nameValidator: nameIsDNSSubdomain };
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const createCases: { name: string; meta: ObjectMeta | undefined; opts: ObjectMetaOptions; errors: string[] }[] = [
  { name: 'a valid namespaced object has no errors', meta: { name: 'web', namespace: 'default' }, opts: namespaced, errors: [] },
  { name: 'missing metadata needs a name and a namespace', meta: undefined, opts: namespaced, errors: ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value'] },
  { name: 'a bad name is reported with the rule', meta: { name: 'Web', namespace: 'default' }, opts: namespaced, errors: [`metadata.name: Invalid value: "Web": ${subdomainMsg}`] },
  { name: 'a generateName ending in a dash is fine', meta: { generateName: 'web-', name: 'web-x7k2p', namespace: 'default' }, opts: namespaced, errors: [] },
  { name: 'a bad generateName is reported', meta: { generateName: 'Web-', name: 'web-1', namespace: 'default' }, opts: namespaced, errors: [`metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`] },
  { name: 'cluster-scoped objects may not have a namespace', meta: { name: 'n1', namespace: 'default' }, opts: clusterScoped, errors: ['metadata.namespace: Forbidden: not allowed on this type'] },
  {
    name: 'namespaces must be DNS labels',
    meta: { name: 'web', namespace: 'a.b' },
    opts: namespaced,
    errors: ['metadata.namespace: Invalid value: "a.b": must not contain dots'],
  },
  { name: 'negative generation is refused', meta: { name: 'web', namespace: 'ns', generation: -1 }, opts: namespaced, errors: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'] },
  { name: 'standard finalizers are allowed', meta: { name: 'ns1', finalizers: ['kubernetes', 'orphan', 'example.com/cleanup'] }, opts: clusterScoped, errors: [] },
  {
    name: 'unqualified custom finalizers are refused for built-in kinds',
    meta: { name: 'ns1', finalizers: ['example.com/a', 'cleanup'] },
    opts: clusterScoped,
    errors: ['metadata.finalizers[1]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
  },
  { name: 'unqualified custom finalizers are allowed when not strict', meta: { name: 'x', finalizers: ['cleanup'] }, opts: { ...clusterScoped, strictFinalizerNames: false }, errors: [] },
  {
    name: 'orphan and foregroundDeletion together are refused',
    meta: { name: 'x', finalizers: ['orphan', 'foregroundDeletion'] },
    opts: clusterScoped,
    errors: ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set'],
  },
  {
    name: 'owner references need apiVersion, kind, name and uid',
    meta: { name: 'x', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
    opts: clusterScoped,
    errors: [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ],
  },
  {
    name: 'an apiVersion with a group but no version is refused',
    meta: { name: 'x', ownerReferences: [{ apiVersion: 'apps/', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }] },
    opts: clusterScoped,
    errors: ['metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty'],
  },
  {
    name: 'labels and annotations are validated',
    meta: { name: 'x', labels: { app: 'a b' }, annotations: { 'bad key': 'v' } },
    opts: clusterScoped,
    errors: [
      "metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      "metadata.annotations: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  },
  {
    name: 'managed fields need a known operation and printable manager',
    meta: { name: 'x', managedFields: [{ operation: 'Patch', manager: 'a\u0007', fieldsType: 'FieldsV2' }] },
    opts: clusterScoped,
    errors: [
      'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
      'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
      'metadata.managedFields[0].manager: Invalid value: "a\\u0007": invalid character U+0007 (at position 1)',
    ],
  },
];

for (const c of createCases) {
  test(c.name, () => assert.deepEqual(validateObjectMeta(c.meta, c.opts).map(fieldErrorMessage), c.errors));
}

test('two controller owner references are refused', () => {
  const refs = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
  ];
  const errs = validateObjectMeta({ name: 'x', ownerReferences: refs }, clusterScoped);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.field, 'metadata.ownerReferences');
  assert.equal(errs[0]?.detail, 'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b');
});

test('an Event may not be an owner', () => {
  const errs = validateObjectMeta({ name: 'x', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }] }, clusterScoped);
  assert.deepEqual(
    errs.map((e) => e.detail),
    ['/v1, Kind=Event is disallowed from being an owner'],
  );
});

const old: ObjectMeta = {
  name: 'web',
  namespace: 'default',
  uid: 'u-1',
  resourceVersion: '5',
  generation: 2,
  creationTimestamp: '2024-01-02T03:04:05Z',
};

const updateCases: { name: string; meta: ObjectMeta; old?: ObjectMeta; errors: string[] }[] = [
  { name: 'an unchanged update is valid', meta: { ...old }, errors: [] },
  { name: 'an update needs a resourceVersion', meta: { ...old, resourceVersion: '' }, errors: ['metadata.resourceVersion: Invalid value: "": must be specified for an update'] },
  { name: 'generation may not go down', meta: { ...old, generation: 1 }, errors: ['metadata.generation: Invalid value: 1: must not be decremented'] },
  {
    name: 'name, namespace and uid are immutable',
    meta: { ...old, name: 'web2', namespace: 'other', uid: 'u-2' },
    errors: [
      'metadata.name: Invalid value: "web2": field is immutable',
      'metadata.namespace: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u-2": field is immutable',
    ],
  },
  {
    name: 'creationTimestamp is immutable and printed as Go prints a time',
    meta: { ...old, creationTimestamp: '2025-01-01T00:00:00Z' },
    errors: ['metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable'],
  },
  { name: 'the same instant in another zone is not a change', meta: { ...old, creationTimestamp: '2024-01-02T04:04:05+01:00' }, errors: [] },
  {
    name: 'deletionTimestamp may not be set by an update',
    meta: { ...old, deletionTimestamp: '2024-01-02T03:04:06Z' },
    errors: ['metadata.deletionTimestamp: Invalid value: 2024-01-02 03:04:06 +0000 UTC: field is immutable'],
  },
  {
    name: 'no finalizers may be added while deleting',
    old: { ...old, deletionTimestamp: '2024-01-02T03:04:06Z', finalizers: ['example.com/a'] },
    meta: { ...old, deletionTimestamp: '2024-01-02T03:04:06Z', finalizers: ['example.com/a', 'example.com/c', 'example.com/b'] },
    errors: ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b", "example.com/c"}'],
  },
  {
    name: 'deletionGracePeriodSeconds is immutable',
    meta: { ...old, deletionGracePeriodSeconds: 30 },
    errors: ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable'],
  },
];

for (const c of updateCases) {
  test(c.name, () => assert.deepEqual(validateObjectMetaUpdate(c.meta, c.old ?? old).map(fieldErrorMessage), c.errors));
}

test('custom resources get warnings, not errors, for unqualified finalizers that were added', () => {
  assert.deepEqual(finalizerWarnings({ finalizers: ['cleanup', 'a.example.com', 'example.com/x', 'kept'] }, { finalizers: ['kept'] }), [
    'metadata.finalizers: "a.example.com": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers',
    'metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
  ]);
});
