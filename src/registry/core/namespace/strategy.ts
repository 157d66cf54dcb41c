// The Namespace strategy (pkg/registry/core/namespace/strategy.go): Active on create, the `kubernetes` finalizer,
// and the `kubernetes.io/metadata.name` label kept equal to the name.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, coreInfo, invalidEach, isQualifiedName, keepOldStatus, list, nameIsDNSLabel, statusSubresource, type CoreStrategy } from '../shared/index.js';

/** The label every namespace carries with its own name. */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';
const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function setNameLabel(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (!name) return;
  obj.metadata = { ...obj.metadata, labels: { ...obj.metadata?.labels, [namespaceNameLabel]: name } };
}

/** A finalizer name: qualified, or one of the standard short names (validateFinalizerName). */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (!name.includes('/') && !standardFinalizers.has(name)) errs.push(fieldError.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  return errs;
}

function validateNamespace(obj: KubeObject): FieldError[] {
  // Upstream reports every spec finalizer at `spec.finalizers` (no index).
  return list(as<Namespace>(obj).spec?.finalizers).flatMap((f) => validateFinalizerName(f, 'spec.finalizers'));
}

function validateStatus(obj: KubeObject): FieldError[] {
  const phase = as<Namespace>(obj).status?.phase ?? '';
  if (!obj.metadata?.deletionTimestamp) return phase === 'Active' ? [] : [fieldError.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  return phase === 'Terminating' ? [] : [fieldError.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

/** The Namespace strategy. */
export const namespaceStrategy: CoreStrategy = {
  info: coreInfo('Namespace'),
  schemaName: 'io.k8s.api.core.v1.Namespace',
  nameValidation: nameIsDNSLabel,
  generation: 'none',
  defaults(obj) {
    setNameLabel(obj);
    const st = (obj['status'] ??= {}) as { phase?: string };
    if (!st.phase) st.phase = 'Active';
  },
  prepareForCreate(obj) {
    obj['status'] = { phase: 'Active' };
    const spec = (obj['spec'] ??= {}) as { finalizers?: string[] };
    // Required on create; it may be removed later (through the finalize subresource).
    if (!list(spec.finalizers).includes('kubernetes')) spec.finalizers = [...list(spec.finalizers), 'kubernetes'];
  },
  prepareForUpdate(obj, old) {
    const spec = (obj['spec'] ??= {}) as { finalizers?: string[] };
    const oldFinalizers = (old['spec'] as { finalizers?: string[] } | undefined)?.finalizers;
    if (oldFinalizers) spec.finalizers = [...oldFinalizers];
    else delete spec.finalizers;
    keepOldStatus(obj, old);
  },
  validate: validateNamespace,
  // The label is set again here for names generated after defaulting (generateName) and for patches.
  canonicalize: setNameLabel,
  printer: {
    columns: [nameColumn, column('Status', { description: 'The status of the namespace' }), ageColumn],
    row: (obj, ctx) => [obj.metadata?.name ?? '', as<Namespace>(obj).status?.phase ?? '', age(obj.metadata?.creationTimestamp, ctx.now)],
  },
  selectableFields: (obj) => ({ 'status.phase': as<Namespace>(obj).status?.phase ?? '' }),
  status: statusSubresource({ validate: validateStatus }),
  finalizersPending: (obj) => (as<Namespace>(obj).spec?.finalizers?.length ?? 0) > 0,
  finalize: {
    // Only spec.finalizers changes through /finalize; everything else stays as stored.
    prepareForUpdate(obj, old) {
      const finalizers = (obj['spec'] as { finalizers?: string[] } | undefined)?.finalizers;
      for (const k of Object.keys(obj)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') obj[k] = structuredClone(v);
      const spec = (obj['spec'] ??= {}) as { finalizers?: string[] };
      if (finalizers?.length) spec.finalizers = [...finalizers];
      else delete spec.finalizers;
    },
    validateUpdate: validateNamespace,
  },
};
