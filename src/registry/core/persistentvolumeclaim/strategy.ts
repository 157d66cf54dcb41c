// The PersistentVolumeClaim strategy (pkg/registry/core/persistentvolumeclaim/strategy.go).
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import {
  as, canonicalizeResourceList, coreInfo, entries, formatQuantity, invalidEach, isDNS1123Label, isDNS1123Subdomain, keepOldStatus, nameIsDNSSubdomain,
  parseQuantity, semanticEqual, statusSubresource, validateLabelSelector, validateResourceQuantityValue, type CoreStrategy,
} from '../shared/index.js';
import { accessModesString, validateAccessModes } from '../persistentvolume/index.js';

const volumeModes = ['Block', 'Filesystem'];
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** SetDefaults_PersistentVolumeClaimSpec (also used for ephemeral volume claim templates). */
export function defaultClaimSpec(spec: PersistentVolumeClaimSpec): void {
  if (spec.volumeMode === undefined || spec.volumeMode === null) spec.volumeMode = 'Filesystem';
  canonicalizeResourceList(spec.resources?.limits);
  canonicalizeResourceList(spec.resources?.requests);
}

function validateDataSource(ds: Record<string, unknown>, path: string, withNamespace: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds['name']) errs.push(fieldError.required(child(path, 'name')));
  if (!ds['kind']) errs.push(fieldError.required(child(path, 'kind')));
  const group = typeof ds['apiGroup'] === 'string' ? ds['apiGroup'] : '';
  if (!group && ds['kind'] !== 'PersistentVolumeClaim') errs.push(fieldError.invalid(path, ds['kind'] ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  if (group) errs.push(...invalidEach(child(path, 'apiGroup'), group, isDNS1123Subdomain(group)));
  const ns = ds['namespace'];
  if (withNamespace && typeof ns === 'string' && ns) errs.push(...invalidEach(child(path, 'namespace'), ns, isDNS1123Label(ns)));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec. */
export function validateClaimSpec(spec: PersistentVolumeClaimSpec, path: string): FieldError[] {
  const errs = validateAccessModes(spec.accessModes, child(path, 'accessModes'), 'at least 1 access mode is required');
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  const storagePath = `${child(path, 'resources')}[storage]`;
  const storage = spec.resources?.requests?.['storage'];
  if (storage === undefined) errs.push(fieldError.required(storagePath));
  else {
    const q = parseQuantity(storage);
    if (q && q.nanos <= 0n) errs.push(fieldError.invalid(storagePath, formatQuantity(q), 'must be greater than zero'));
    else errs.push(...validateResourceQuantityValue('storage', storage, storagePath));
  }
  if (spec.storageClassName) errs.push(...invalidEach(child(path, 'storageClassName'), spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !volumeModes.includes(spec.volumeMode)) errs.push(fieldError.notSupported(child(path, 'volumeMode'), spec.volumeMode, volumeModes));
  const ds = spec.dataSource as Record<string, unknown> | undefined;
  const dsr = spec.dataSourceRef as Record<string, unknown> | undefined;
  if (ds) errs.push(...validateDataSource(ds, child(path, 'dataSource'), false));
  if (dsr) errs.push(...validateDataSource(dsr, child(path, 'dataSourceRef'), true));
  if (dsr && typeof dsr['namespace'] === 'string' && dsr['namespace']) {
    if (ds) errs.push(fieldError.invalid(path, child(path, 'dataSource'), 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (ds && dsr && !(ds['apiGroup'] === dsr['apiGroup'] && ds['kind'] === dsr['kind'] && ds['name'] === dsr['name'])) {
    errs.push(fieldError.invalid(path, child(path, 'dataSource'), 'must match dataSourceRef'));
  }
  return errs;
}

/** The update part of ValidatePersistentVolumeClaimUpdate: the spec is fixed except the bound volume and growing storage. */
function validateClaimUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const pvc = as<PersistentVolumeClaim>(obj);
  const prev = as<PersistentVolumeClaim>(old);
  const spec: PersistentVolumeClaimSpec = structuredClone(pvc.spec ?? {});
  const prevSpec: PersistentVolumeClaimSpec = structuredClone(prev.spec ?? {});
  const errs: FieldError[] = [];
  if (!prevSpec.volumeName) {
    if (spec.volumeName !== undefined) prevSpec.volumeName = spec.volumeName;
    else delete prevSpec.volumeName;
  }
  const oldAnn = old.metadata?.annotations?.[betaClassAnnotation];
  const newAnn = obj.metadata?.annotations?.[betaClassAnnotation];
  if (oldAnn !== undefined && prevSpec.storageClassName === undefined && spec.storageClassName === oldAnn && (newAnn === undefined || newAnn === oldAnn)) {
    delete spec.storageClassName;
  } else {
    if ((newAnn ?? '') !== (oldAnn ?? '')) errs.push(fieldError.invalid(`metadata.annotations.${betaClassAnnotation}`, newAnn ?? '', 'field is immutable'));
    if (spec.storageClassName !== undefined && prevSpec.storageClassName === undefined && (oldAnn === undefined || spec.storageClassName === oldAnn)) delete spec.storageClassName;
  }
  const bound = pvc.status?.phase === 'Bound';
  if (bound && spec.resources?.requests) spec.resources.requests['storage'] = prevSpec.resources?.requests?.['storage'] ?? '';
  if (bound && (spec as { volumeAttributesClassName?: string }).volumeAttributesClassName !== undefined) {
    (spec as { volumeAttributesClassName?: string | undefined }).volumeAttributesClassName = (prevSpec as { volumeAttributesClassName?: string }).volumeAttributesClassName;
  }
  if (!semanticEqual(spec, prevSpec)) errs.push(fieldError.forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${JSON.stringify(prevSpec)} → ${JSON.stringify(spec)}`));
  const newSize = parseQuantity(pvc.spec?.resources?.requests?.['storage'] ?? '0');
  const oldSize = parseQuantity(prev.spec?.resources?.requests?.['storage'] ?? '0');
  const statusSize = parseQuantity(prev.status?.capacity?.['storage'] ?? '0');
  if (newSize && oldSize && newSize.nanos < oldSize.nanos && statusSize && newSize.nanos <= statusSize.nanos) {
    errs.push(fieldError.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if ((pvc.spec?.volumeMode ?? null) !== (prev.spec?.volumeMode ?? null)) errs.push(fieldError.invalid('volumeMode', pvc.spec?.volumeMode ?? null, 'field is immutable'));
  return errs;
}

function claimClass(obj: KubeObject, spec: PersistentVolumeClaimSpec | undefined): string {
  return obj.metadata?.annotations?.[betaClassAnnotation] ?? spec?.storageClassName ?? '';
}

/** The PersistentVolumeClaim strategy. */
export const persistentVolumeClaimStrategy: CoreStrategy = {
  info: coreInfo('PersistentVolumeClaim'),
  schemaName: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults(obj) {
    const pvc = as<PersistentVolumeClaim>(obj);
    defaultClaimSpec((pvc as { spec?: PersistentVolumeClaimSpec }).spec ??= {});
    const st = ((pvc as { status?: PersistentVolumeClaim['status'] }).status ??= {});
    if (!st.phase) st.phase = 'Pending';
    canonicalizeResourceList(st.capacity);
  },
  prepareForCreate(obj) {
    obj['status'] = { phase: 'Pending' };
  },
  prepareForUpdate: keepOldStatus,
  validate: (obj) => validateClaimSpec(as<PersistentVolumeClaim>(obj).spec ?? {}, 'spec'),
  validateUpdate: validateClaimUpdate,
  printer: {
    columns: [
      nameColumn,
      column('Status', { description: 'phase represents the current phase of PersistentVolumeClaim.' }),
      column('Volume', { description: 'volumeName is the binding reference to the PersistentVolume backing this claim.' }),
      column('Capacity', { description: 'capacity represents the actual resources of the underlying volume.' }),
      column('Access Modes', { description: 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1' }),
      column('StorageClass', { description: 'StorageClass of the pvc' }),
      column('VolumeAttributesClass', { description: 'VolumeAttributesClass of the pvc' }),
      ageColumn,
      column('VolumeMode', { priority: 1, description: 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.' }),
    ],
    row(obj, ctx) {
      const pvc = as<PersistentVolumeClaim>(obj);
      const spec = pvc.spec;
      const bound = !!spec?.volumeName;
      const cap = bound ? parseQuantity(pvc.status?.capacity?.['storage']) : undefined;
      const vac = (spec as { volumeAttributesClassName?: string } | undefined)?.volumeAttributesClassName;
      return [
        obj.metadata?.name ?? '',
        obj.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '',
        spec?.volumeName ?? '',
        bound ? (cap ? formatQuantity(cap) : '0') : '',
        bound ? accessModesString(pvc.status?.accessModes) : '',
        claimClass(obj, spec),
        vac ?? '<unset>',
        age(obj.metadata?.creationTimestamp, ctx.now),
        spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  // No selectableFields: upstream's extra `name` field is unreachable (no field-label conversion is registered),
  // so only metadata.name is accepted, with the default wording for unknown keys.
  status: statusSubresource({
    validate(obj) {
      const pvc = as<PersistentVolumeClaim>(obj);
      const errs: FieldError[] = [];
      if (!pvc.spec?.accessModes?.length) errs.push(fieldError.required('Spec.accessModes'));
      for (const [r, q] of entries(pvc.status?.capacity)) {
        const v = parseQuantity(q);
        if (!v || v.nanos < 0n) errs.push(fieldError.invalid(`status.capacity[${r}]`, q, 'must be a valid resource quantity'));
      }
      return errs;
    },
  }),
};
