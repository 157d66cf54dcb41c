// CustomResourceDefinition validation with the paths and wording of Kubernetes' apiextensions validation: names,
// versions, printer columns, scale paths, deprecation warnings, conversion, API approval of protected groups,
// stored versions, and the update rules (immutable group and plural; scope and kind once Established).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { defaultCrd } from './strategy.js';
import type { Crd, CrdVersion } from './types.js';
import { apiApprovalState, validateCrd, validateCrdUpdate } from './validation.js';

const dns1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };

function kettle(patch: (c: Crd) => void = () => {}): Crd {
  const c: Crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'kettles.brew.kin.dev' },
    spec: { group: 'brew.kin.dev', scope: 'Namespaced', names: { plural: 'kettles', kind: 'Kettle' }, versions: [{ name: 'v1', served: true, storage: true, schema } as CrdVersion] },
  };
  patch(c);
  defaultCrd(c);
  // What prepareForCreate records before validation.
  const storage = c.spec.versions.find((v) => v.storage)?.name;
  c.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
  return c;
}

const v = (c: Crd): CrdVersion => c.spec.versions[0] as CrdVersion;

const cases: { name: string; patch: (c: Crd) => void; want: string[] }[] = [
  { name: 'a plain CRD is valid', patch: () => {}, want: [] },
  { name: 'a CRD whose versions are all unserved is valid', patch: (c) => (v(c).served = false), want: [] },
  {
    name: 'the name must be plural.group',
    patch: (c) => (c.metadata!.name = 'kettle.brew.kin.dev'),
    want: ['metadata.name: Invalid value: "kettle.brew.kin.dev": must be spec.names.plural+"."+spec.group'],
  },
  {
    name: 'the group needs a dot',
    patch: (c) => {
      c.spec.group = 'brew';
      c.metadata!.name = 'kettles.brew';
    },
    want: ['spec.group: Invalid value: "brew": should be a domain with at least one dot'],
  },
  { name: 'an unknown scope', patch: (c) => (c.spec.scope = 'Sideways'), want: ['spec.scope: Unsupported value: "Sideways": supported values: "Cluster", "Namespaced"'] },
  { name: 'a version without schema', patch: (c) => delete v(c).schema, want: ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'] },
  {
    name: 'a kind that is no DNS label once lowercased',
    patch: (c) => (c.spec.names.kind = 'Tea_Kettle'),
    // singular and listKind are defaulted from the kind, so they are refused too.
    want: [
      `spec.names.singular: Invalid value: "tea_kettle": ${dns1035}`,
      `spec.names.kind: Invalid value: "Tea_Kettle": may have mixed case, but should otherwise match: ${dns1035}`,
      `spec.names.listKind: Invalid value: "Tea_KettleList": may have mixed case, but should otherwise match: ${dns1035}`,
    ],
  },
  { name: 'kind and listKind equal', patch: (c) => (c.spec.names.listKind = 'Kettle'), want: ['spec.names.listKind: Invalid value: "Kettle": kind and listKind may not be the same'] },
  {
    name: 'a bad short name and category',
    patch: (c) => {
      c.spec.names.shortNames = ['K'];
      c.spec.names.categories = ['all things'];
    },
    want: [`spec.names.shortNames[0]: Invalid value: "K": ${dns1035}`, `spec.names.categories[0]: Invalid value: "all things": ${dns1035}`],
  },
  {
    name: 'two versions with one name and two storage versions',
    patch: (c) => c.spec.versions.push({ ...v(c) }),
    // Kubernetes prints the versions as Go structs; kin prints their names.
    want: [
      'spec.versions: Invalid value: ["v1","v1"]: must contain unique version names',
      'spec.versions: Invalid value: ["v1","v1"]: must have exactly one version marked as storage version',
      'status.storedVersions: Invalid value: []string{"v1"}: must have the storage version v1',
    ],
  },
  {
    name: 'printer columns: type, format and JSONPath',
    patch: (c) =>
      (v(c).additionalPrinterColumns = [
        { name: 'Size', type: 'float', jsonPath: '.spec.size' },
        { name: 'Big', type: 'integer', format: 'huge', jsonPath: 'spec.size' },
        { name: '', type: '', jsonPath: '' },
      ]),
    want: [
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "float": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[1].format: Invalid value: "huge": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.versions[0].additionalPrinterColumns[1].JSONPath: Invalid value: "spec.size": must be a simple json path starting with .',
      'spec.versions[0].additionalPrinterColumns[2].name: Required value',
      'spec.versions[0].additionalPrinterColumns[2].type: Required value: must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[2].JSONPath: Required value',
    ],
  },
  {
    name: 'scale paths',
    patch: (c) => (v(c).subresources = { scale: { specReplicasPath: '.status.size', statusReplicasPath: 'status.replicas', labelSelectorPath: '.metadata.labels' } }),
    want: [
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.size": should be a json path under .spec',
      'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
      'spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
    ],
  },
  {
    name: 'a deprecation warning on a version that is not deprecated',
    patch: (c) => (v(c).deprecationWarning = 'old'),
    want: ['spec.versions[0].deprecationWarning: Invalid value: "old": can only be set for deprecated versions'],
  },
  {
    name: 'webhook conversion without its configuration',
    patch: (c) => (c.spec.conversion = { strategy: 'Webhook' }),
    want: ['spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook', 'spec.conversion.conversionReviewVersions: Required value'],
  },
  {
    name: 'preserveUnknownFields true is refused',
    patch: (c) => (c.spec.preserveUnknownFields = true),
    want: ['spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'],
  },
  {
    name: 'a protected group needs the approval annotation',
    patch: (c) => {
      c.spec.group = 'brew.k8s.io';
      c.metadata!.name = 'kettles.brew.k8s.io';
    },
    want: ['metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111'],
  },
  {
    name: 'an approval annotation that is neither a URL nor "unapproved..."',
    patch: (c) => {
      c.spec.group = 'brew.k8s.io';
      c.metadata!.name = 'kettles.brew.k8s.io';
      c.metadata!.annotations = { 'api-approved.kubernetes.io': 'yes please' };
    },
    want: [
      'metadata.annotations[api-approved.kubernetes.io]: Invalid value: "yes please": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111',
    ],
  },
];

for (const c of cases) {
  test(`create: ${c.name}`, () => assert.deepEqual(validateCrd(kettle(c.patch)).map(fieldErrorMessage), c.want));
}

test('the approval state of a protected group follows its annotation', () => {
  const withAnnotation = (a: string) => kettle((c) => {
    c.spec.group = 'brew.k8s.io';
    c.metadata!.annotations = { 'api-approved.kubernetes.io': a };
  });
  assert.deepEqual(apiApprovalState(withAnnotation('https://github.com/kubernetes/enhancements/pull/1111')), { state: 'Approved', reason: 'approved in https://github.com/kubernetes/enhancements/pull/1111' });
  assert.deepEqual(apiApprovalState(withAnnotation('unapproved, experimental')), { state: 'Bypassed', reason: 'not approved: "unapproved, experimental"' });
  assert.equal(apiApprovalState(kettle()), undefined);
});

function established(c: Crd): Crd {
  c.status = { ...c.status, conditions: [{ type: 'Established', status: 'True' }] };
  return c;
}

test('update: group and plural never change; scope and kind not once Established', () => {
  const old = established(kettle());
  const next = kettle((c) => {
    c.spec.scope = 'Cluster';
    c.spec.names.kind = 'Pot';
  });
  assert.deepEqual(validateCrdUpdate(next, old).map(fieldErrorMessage), [
    'spec.scope: Invalid value: "Cluster": field is immutable',
    'spec.names.kind: Invalid value: "Pot": field is immutable',
  ]);
  const notYet = kettle();
  assert.deepEqual(validateCrdUpdate(next, notYet).map(fieldErrorMessage), []);
});

test('update: a stored version must stay listed, and the storage version must be stored', () => {
  const old = kettle((c) => c.spec.versions.push({ name: 'v2', served: true, storage: false, schema } as CrdVersion));
  old.status!.storedVersions = ['v2', 'v1'];
  const next = kettle();
  next.status = { ...old.status!, storedVersions: ['v2'] };
  assert.deepEqual(validateCrdUpdate(next, old).map(fieldErrorMessage), [
    'status.storedVersions: Invalid value: []string{"v2"}: must have the storage version v1',
    'status.storedVersions[0]: Invalid value: "v2": must appear in spec.versions',
  ]);
});

test('update: an unchanged schema is not checked again, a changed one is', () => {
  const old = kettle();
  const bad = { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { size: { type: 'integer' } } } } } };
  // A stored schema the checks would refuse stays accepted while it does not change.
  old.spec.versions[0] = { ...v(old), schema: bad };
  const same = kettle((c) => (c.spec.versions[0] = { ...v(c), schema: structuredClone(bad) }));
  assert.deepEqual(validateCrdUpdate(same, old), []);
  const changed = kettle((c) => (c.spec.versions[0] = { ...v(c), schema: { openAPIV3Schema: { ...bad.openAPIV3Schema, description: 'x' } } }));
  assert.ok(validateCrdUpdate(changed, old).length > 0);
});
