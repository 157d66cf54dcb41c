// storage.k8s.io/v1 StorageClass: reclaim and binding defaults, immutable provisioner and parameters, columns.
import type { StorageClass as KStorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, changed, immutable, nameIsDNSSubdomain, qualifiedNameErrors, type GroupStrategy } from '../../apps/index.js';

/** A StorageClass as the strategy sees it. */
export type StorageClass = KStorageClass & KubeObject;

/** The annotation that marks the default StorageClass (and its beta spelling). */
export const defaultClassAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** SetDefaults_StorageClass. */
export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

/** ValidateStorageClass. */
export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const prov = sc.provisioner ?? '';
  if (!prov) errs.push(fieldError.required('provisioner', ''));
  else for (const m of qualifiedNameErrors(prov.toLowerCase())) errs.push(fieldError.invalid('provisioner', prov.toLowerCase(), m));
  const params = Object.entries(sc.parameters ?? {});
  if (params.length > 512) errs.push(fieldError.tooLong('parameters', 512));
  let size = 0;
  for (const [k, v] of params) {
    if (!k) errs.push(fieldError.invalid('parameters', k, 'field can not be empty.'));
    size += k.length + v.length;
  }
  if (size > 256 * 1024) errs.push(fieldError.tooLong('parameters', 256 * 1024));
  if (sc.reclaimPolicy && sc.reclaimPolicy !== 'Delete' && sc.reclaimPolicy !== 'Retain') errs.push(fieldError.notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  if (sc.volumeBindingMode === undefined) errs.push(fieldError.required('volumeBindingMode', ''));
  else if (sc.volumeBindingMode !== 'Immediate' && sc.volumeBindingMode !== 'WaitForFirstConsumer')
    errs.push(fieldError.notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

/** ValidateStorageClassUpdate. */
export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (changed(sc.parameters, old.parameters)) errs.push(fieldError.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(fieldError.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(fieldError.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}

/** True when the StorageClass is marked as the cluster default. */
export function isDefaultClass(sc: KubeObject): boolean {
  return defaultClassAnnotations.some((a) => sc.metadata?.annotations?.[a] === 'true');
}

/** kubectl's columns for StorageClasses. */
export const storageClassPrinter: Printer<StorageClass> = {
  columns: [
    nameColumn,
    column('Provisioner', { description: 'provisioner indicates the type of the provisioner.' }),
    column('ReclaimPolicy', { description: 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.' }),
    column('VolumeBindingMode', { description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.' }),
    column('AllowVolumeExpansion', { description: 'allowVolumeExpansion shows whether the storage class allow volume expand.' }),
    ageColumn,
  ],
  row: (sc, ctx) => [
    (sc.metadata?.name ?? '') + (isDefaultClass(sc) ? ' (default)' : ''),
    sc.provisioner ?? '',
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    sc.allowVolumeExpansion ?? false,
    age(sc.metadata?.creationTimestamp, ctx.now),
  ],
};

/** The StorageClass strategy. */
export const storageClassStrategy: GroupStrategy<StorageClass> = {
  info: builtinInfo('storage.k8s.io', 'v1', 'StorageClass'),
  schemaName: 'io.k8s.api.storage.v1.StorageClass',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults: defaultStorageClass,
  validate: validateStorageClass,
  validateUpdate: validateStorageClassUpdate,
  printer: storageClassPrinter,
};
