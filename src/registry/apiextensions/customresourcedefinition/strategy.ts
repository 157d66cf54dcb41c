// CustomResourceDefinitions (apiextensions.k8s.io/v1): defaults, validation, status rules and printer.
import type { KubeObject, ResourceInfo } from '../../../api/index.js';
import { allVerbs } from '../../../api/index.js';
import type { ResourceStrategy, SubresourceStrategy } from '../../strategy.js';
import { column, nameColumn } from '../../printing.js';
import { validateAcceptedNames, validateCrd, validateCrdUpdate } from './validation.js';
import type { Crd } from './types.js';

/** The CRD resource itself. */
export const crdInfo: ResourceInfo = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  listKind: 'CustomResourceDefinitionList',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  verbs: allVerbs,
  subresources: [{ name: 'status', kind: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }, verbs: ['get', 'patch', 'update'] }],
};

/** The finalizer that keeps a CRD until its custom resources are deleted. */
export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

/** SetDefaults for a CRD: conversion None, singular and listKind from the kind. */
export function defaultCrd(obj: KubeObject): void {
  const crd = obj as Crd;
  const spec = (crd.spec ??= {} as Crd['spec']);
  spec.conversion ??= { strategy: 'None' };
  const names = (spec.names ??= {} as Crd['spec']['names']);
  if (names.kind) {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= names.kind + 'List';
  }
}

const status: SubresourceStrategy = {
  prepareForUpdate(obj, old) {
    for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
    for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') obj[k] = structuredClone(v);
  },
  // Kubernetes checks only the accepted names on a status write.
  validateUpdate: (obj) => validateAcceptedNames(obj as Crd),
};

/** The CRD strategy. */
export const crdStrategy: ResourceStrategy = {
  info: crdInfo,
  schemaName: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
  defaults: defaultCrd,
  prepareForCreate(obj) {
    // As Kubernetes: no conditions yet, the storage version already recorded as stored.
    const storage = ((obj as Crd).spec?.versions ?? []).find((v) => v.storage)?.name;
    obj['status'] = { acceptedNames: { kind: '', plural: '' }, storedVersions: storage ? [storage] : [] };
  },
  prepareForUpdate(obj, old) {
    if (old['status'] === undefined) delete obj['status'];
    else obj['status'] = structuredClone(old['status']);
  },
  // On update the whole validation runs in validateUpdate, with the old object.
  validate: (obj, ctx) => (ctx.operation === 'update' ? [] : validateCrd(obj as Crd)),
  validateUpdate: (obj, old) => validateCrdUpdate(obj as Crd, old as Crd),
  printer: {
    columns: [nameColumn, column('Created At', { type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' })],
    row: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? ''],
  },
  status,
};
