// The PersistentVolume strategy (pkg/registry/core/persistentvolume/strategy.go).
import type { PersistentVolume, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import {
  as, canonicalizeResourceList, coreInfo, entries, formatQuantity, invalidEach, isDNS1123Subdomain, isObject, keepOldStatus, list, nameIsDNSSubdomain,
  parseQuantity, rfc3339, semanticEqual, statusSubresource, validateResourceQuantityValue, type CoreStrategy,
} from '../shared/index.js';
import { validateNodeSelectorTerm } from '../pod/validate-scheduling.js';
import { validatePathNoBacksteps } from '../pod/validate-volumes.js';

/** The access modes a volume or claim may ask for, in the order kubectl abbreviates them. */
export const accessModes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const supportedAccessModes = [...accessModes].sort();
const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
const volumeModes = ['Block', 'Filesystem'];
const pvSources = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi', 'cinder', 'fc',
  'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO', 'local', 'storageos', 'csi',
];

/** `RWO,ROX,RWX,RWOP` (GetAccessModesAsString). */
export function accessModesString(modes: readonly string[] | undefined): string {
  const abbrev: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return accessModes.filter((m) => list(modes).includes(m)).map((m) => abbrev[m]).join(',');
}

/** Access modes: at least one, known, and ReadWriteOncePod alone. */
export function validateAccessModes(modes: readonly string[] | undefined, path: string, requiredDetail = ''): FieldError[] {
  const errs: FieldError[] = [];
  if (!list(modes).length) errs.push(fieldError.required(path, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of list(modes)) {
    if (!supportedAccessModes.includes(m)) errs.push(fieldError.notSupported(path, m, supportedAccessModes));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (supportedAccessModes.includes(m)) other = true;
  }
  if (rwop && other) errs.push(fieldError.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** SetDefaults_PersistentVolume and the source defaults. */
export function defaultPersistentVolume(pv: PersistentVolume): void {
  const spec = (pv.spec ??= {});
  if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
  if (spec.volumeMode === undefined || spec.volumeMode === null) spec.volumeMode = 'Filesystem';
  canonicalizeResourceList(spec.capacity);
  if (spec.hostPath && spec.hostPath.type === undefined) spec.hostPath.type = '';
  if (spec.iscsi && !spec.iscsi.iscsiInterface) spec.iscsi.iscsiInterface = 'default';
  if (spec.rbd) {
    if (!spec.rbd.pool) spec.rbd.pool = 'rbd';
    if (!spec.rbd.user) spec.rbd.user = 'admin';
    if (!spec.rbd.keyring) spec.rbd.keyring = '/etc/ceph/keyring';
  }
  const st = ((pv as { status?: PersistentVolume['status'] }).status ??= {});
  if (!st.phase) st.phase = 'Pending';
}

function validateSource(kind: string, src: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const req = (f: string) => {
    if (!src[f]) errs.push(fieldError.required(child(path, f)));
  };
  switch (kind) {
    case 'hostPath': {
      const p = String(src['path'] ?? '');
      if (!p) return [fieldError.required(child(path, 'path'))];
      errs.push(...validatePathNoBacksteps(p, child(path, 'path')));
      break;
    }
    case 'nfs':
      req('server');
      req('path');
      if (!String(src['path'] ?? '').startsWith('/')) errs.push(fieldError.invalid(child(path, 'path'), src['path'] ?? '', 'must be an absolute path'));
      break;
    case 'local': {
      const p = String(src['path'] ?? '');
      if (!p) return [fieldError.required(child(path, 'path'))];
      errs.push(...validatePathNoBacksteps(p, child(path, 'path')));
      break;
    }
    case 'csi':
      if (!src['driver']) errs.push(fieldError.required(child(path, 'driver')));
      else if (String(src['driver']).length > 63) errs.push(fieldError.tooLong(child(path, 'driver'), 63));
      if (!src['volumeHandle']) errs.push(fieldError.required(child(path, 'volumeHandle')));
      break;
    case 'iscsi':
      req('targetPortal');
      req('iqn');
      break;
    case 'flexVolume':
      req('driver');
      break;
  }
  return errs;
}

/** ValidatePersistentVolumeSpec for a stored (not inline) volume. */
export function validatePersistentVolumeSpec(spec: PersistentVolumeSpec, path: string): FieldError[] {
  const errs = validateAccessModes(spec.accessModes, child(path, 'accessModes'));
  const capacity = spec.capacity;
  if (!entries(capacity).length) errs.push(fieldError.required(child(path, 'capacity')));
  if (!capacity || !('storage' in capacity) || entries(capacity).length > 1) errs.push(fieldError.notSupported(child(path, 'capacity'), capacity ?? null, ['storage']));
  for (const [r, q] of entries(capacity)) {
    const p = `${child(path, 'capacity')}[${r}]`;
    const v = parseQuantity(q);
    if (!v) errs.push(...validateResourceQuantityValue(r, q, p));
    else if (v.nanos <= 0n) errs.push(fieldError.invalid(p, formatQuantity(v), 'must be greater than zero'));
  }
  const rp = spec.persistentVolumeReclaimPolicy;
  if (rp && !reclaimPolicies.includes(rp)) errs.push(fieldError.notSupported(child(path, 'persistentVolumeReclaimPolicy'), rp, reclaimPolicies));
  let affinity = false;
  if (spec.nodeAffinity) {
    affinity = true;
    const req = spec.nodeAffinity.required;
    const ap = child(child(path, 'nodeAffinity'), 'required');
    if (!req) errs.push(fieldError.required(ap, 'must specify required node constraints'));
    else if (!list(req.nodeSelectorTerms).length) errs.push(fieldError.required(child(ap, 'nodeSelectorTerms'), 'must have at least one node selector term'));
    else req.nodeSelectorTerms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, `${child(ap, 'nodeSelectorTerms')}[${i}]`)));
  }
  let n = 0;
  const src = spec as unknown as Record<string, unknown>;
  for (const kind of pvSources) {
    const s = src[kind];
    if (s === undefined || s === null) continue;
    if (n > 0 && kind !== 'flexVolume') {
      errs.push(fieldError.forbidden(child(path, kind), 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    errs.push(...validateSource(kind, isObject(s) ? s : {}, child(path, kind)));
    if (kind === 'local' && !affinity) errs.push(fieldError.required(child(path, 'nodeAffinity'), 'Local volume requires node affinity'));
  }
  if (n === 0) errs.push(fieldError.required(path, 'must specify a volume type'));
  if (spec.hostPath && spec.hostPath.path?.replace(/\/+$/, '') === '' && rp === 'Recycle') errs.push(fieldError.forbidden(child(path, 'persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  if (spec.storageClassName) errs.push(...invalidEach(child(path, 'storageClassName'), spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !volumeModes.includes(spec.volumeMode)) errs.push(fieldError.notSupported(child(path, 'volumeMode'), spec.volumeMode, volumeModes));
  return errs;
}

function sourceOf(spec: PersistentVolumeSpec | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of pvSources) if ((spec as Record<string, unknown> | undefined)?.[k] !== undefined) out[k] = (spec as Record<string, unknown>)[k];
  return out;
}

function validatePVUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = as<PersistentVolume>(obj).spec ?? {};
  const prev = as<PersistentVolume>(old).spec ?? {};
  const errs: FieldError[] = [];
  const now = sourceOf(spec);
  const before = sourceOf(prev);
  // A CSI volume may gain a controllerExpandSecretRef after creation.
  if (isObject(before['csi']) && isObject(now['csi']) && !before['csi']['controllerExpandSecretRef']) now['csi'] = { ...now['csi'], controllerExpandSecretRef: undefined };
  if (!semanticEqual(now, before)) errs.push(fieldError.forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${JSON.stringify(before)} → ${JSON.stringify(now)}`));
  if ((spec.volumeMode ?? null) !== (prev.volumeMode ?? null)) errs.push(fieldError.invalid('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  if (prev.nodeAffinity && !semanticEqual(spec.nodeAffinity, prev.nodeAffinity)) errs.push(fieldError.invalid('nodeAffinity', spec.nodeAffinity ?? null, 'field is immutable, except for updating from beta label to GA'));
  return errs;
}

function storageClass(obj: KubeObject, specClass: string | undefined | null): string {
  return obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? specClass ?? '';
}

/** The PersistentVolume strategy. */
export const persistentVolumeStrategy: CoreStrategy = {
  info: coreInfo('PersistentVolume'),
  schemaName: 'io.k8s.api.core.v1.PersistentVolume',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults: (obj) => defaultPersistentVolume(as<PersistentVolume>(obj)),
  prepareForCreate(obj, ctx) {
    obj['status'] = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
  },
  prepareForUpdate: keepOldStatus,
  validate: (obj) => validatePersistentVolumeSpec(as<PersistentVolume>(obj).spec ?? {}, 'spec'),
  validateUpdate: validatePVUpdate,
  printer: {
    columns: [
      nameColumn,
      column('Capacity', { description: "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity" }),
      column('Access Modes', { description: 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes' }),
      column('Reclaim Policy', { description: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming' }),
      column('Status', { description: 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase' }),
      column('Claim', { description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding' }),
      column('StorageClass', { description: 'StorageClass of the pv' }),
      column('VolumeAttributesClass', { description: 'VolumeAttributesClass of the pv' }),
      column('Reason', { description: 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.' }),
      ageColumn,
      column('VolumeMode', { priority: 1, description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.' }),
    ],
    row(obj, ctx) {
      const pv = as<PersistentVolume>(obj);
      const spec = pv.spec ?? {};
      const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
      const cap = parseQuantity(spec.capacity?.['storage']);
      const vac = (spec as { volumeAttributesClassName?: string }).volumeAttributesClassName;
      return [
        obj.metadata?.name ?? '',
        cap ? formatQuantity(cap) : '0',
        accessModesString(spec.accessModes),
        spec.persistentVolumeReclaimPolicy ?? '',
        obj.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '',
        claim,
        storageClass(obj, spec.storageClassName),
        vac ?? '<unset>',
        pv.status?.reason ?? '',
        age(obj.metadata?.creationTimestamp, ctx.now),
        spec.volumeMode ?? '<unset>',
      ];
    },
  },
  // No selectableFields: upstream's extra `name` field is unreachable (no field-label conversion is registered),
  // so only metadata.name is accepted, with the default wording for unknown keys.
  status: statusSubresource({
    prepare(obj, old, ctx) {
      const st = (obj['status'] ??= {}) as { phase?: string; lastPhaseTransitionTime?: string };
      const prev = (old['status'] ?? {}) as { phase?: string; lastPhaseTransitionTime?: string };
      if (st.phase === prev.phase && !st.lastPhaseTransitionTime) {
        if (prev.lastPhaseTransitionTime) st.lastPhaseTransitionTime = prev.lastPhaseTransitionTime;
      } else if (st.phase !== prev.phase && (!st.lastPhaseTransitionTime || st.lastPhaseTransitionTime === prev.lastPhaseTransitionTime)) {
        st.lastPhaseTransitionTime = rfc3339(ctx.now);
      }
    },
  }),
};
