// Pod volume validation (ValidateVolumes and the common volume sources) with Kubernetes' messages and paths.
import type { KeyToPath, Volume } from 'kubernetes-types/core/v1.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { isObject, list, validateDNS1123Label, invalidEach, isDNS1123Subdomain, isQualifiedName, validateQuantityFormat, parseQuantity, validateLabelSelector } from '../shared/index.js';

// The order in which validateVolumeSource looks at sources (the first one found wins, the others are Forbidden).
const validationOrder = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];

const fileModeError = 'must be a number between 0 and 0777 (octal), both inclusive';
const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Rejects `..` path elements (validatePathNoBacksteps). */
export function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [fieldError.invalid(path, target, "must not contain '..'")] : [];
}

/** A relative path without `..` elements (validateLocalDescendingPath). */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(fieldError.invalid(path, target, 'must be a relative path'));
  return errs.concat(validatePathNoBacksteps(target, path));
}

/** ValidateLocalNonReservedPath: relative, no `..` elements, not starting with `..`. */
export function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(fieldError.invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateMode(mode: number | undefined, path: string): FieldError[] {
  return mode !== undefined && mode !== null && (mode > 0o777 || mode < 0) ? [fieldError.invalid(path, mode, fileModeError)] : [];
}

function validateKeyToPath(kp: KeyToPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(fieldError.required(child(path, 'key')));
  if (!kp.path) errs.push(fieldError.required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', child(path, 'path')));
  errs.push(...validateMode(kp.mode, child(path, 'mode')));
  return errs;
}

function validateDownwardAPIFile(file: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = typeof file['path'] === 'string' ? file['path'] : '';
  if (!p) errs.push(fieldError.required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(p, child(path, 'path')));
  const fieldRef = file['fieldRef'];
  if (isObject(fieldRef)) {
    if (!fieldRef['apiVersion']) errs.push(fieldError.required(child(child(path, 'fieldRef'), 'apiVersion')));
    else if (!fieldRef['fieldPath']) errs.push(fieldError.required(child(child(path, 'fieldRef'), 'fieldPath')));
    if (file['resourceFieldRef']) errs.push(fieldError.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (!isObject(file['resourceFieldRef'])) {
    errs.push(fieldError.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file['mode'] as number | undefined, child(path, 'mode')));
  return errs;
}

function validateProjected(src: Record<string, unknown>, path: string): FieldError[] {
  const errs = validateMode(src['defaultMode'] as number | undefined, child(path, 'defaultMode'));
  const seen = new Set<string>();
  list(src['sources'] as Record<string, unknown>[] | undefined).forEach((s, i) => {
    const sp = index(child(path, 'sources'), i);
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = s[kind];
      if (!isObject(ref)) continue;
      n++;
      if (!ref['name']) errs.push(fieldError.required(child(child(sp, kind), 'name')));
      list(ref['items'] as KeyToPath[] | undefined).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, index(child(child(sp, kind), 'items'), j)));
        if (kp.path) {
          if (seen.has(kp.path)) errs.push(fieldError.invalid(path, ref['name'], 'conflicting duplicate paths'));
          seen.add(kp.path);
        }
      });
    }
    const dapi = s['downwardAPI'];
    if (isObject(dapi)) {
      n++;
      for (const f of list(dapi['items'] as Record<string, unknown>[] | undefined)) {
        errs.push(...validateDownwardAPIFile(f, child(sp, 'downwardAPI')));
        const fp = f['path'] as string | undefined;
        if (fp) {
          if (seen.has(fp)) errs.push(fieldError.invalid(path, fp, 'conflicting duplicate paths'));
          seen.add(fp);
        }
      }
    }
    const tok = s['serviceAccountToken'];
    if (isObject(tok)) {
      n++;
      const exp = Number(tok['expirationSeconds'] ?? 0);
      if (exp < 600) errs.push(fieldError.invalid(child(child(sp, 'serviceAccountToken'), 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(fieldError.invalid(child(child(sp, 'serviceAccountToken'), 'expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!tok['path']) errs.push(fieldError.required(child(path, 'path')));
      else errs.push(...validateLocalNonReservedPath(String(tok['path']), child(path, 'path')));
    }
    if (isObject(s['clusterTrustBundle'])) n++;
    if (n > 1) errs.push(fieldError.forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

/** The source-specific checks of the volume sources kin's workloads use. */
function validateSource(kind: string, src: Record<string, unknown>, path: string, volName: string, podName: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const req = (f: string) => {
    if (!src[f]) errs.push(fieldError.required(child(path, f)));
  };
  switch (kind) {
    case 'emptyDir': {
      const limit = src['sizeLimit'];
      if (limit !== undefined && limit !== null) {
        const q = parseQuantity(limit);
        if (!q) errs.push(...validateQuantityFormat(limit, child(path, 'sizeLimit')));
        else if (q.nanos < 0n) errs.push(fieldError.forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    }
    case 'hostPath': {
      const p = typeof src['path'] === 'string' ? src['path'] : '';
      if (!p) return [fieldError.required(child(path, 'path'))];
      errs.push(...validatePathNoBacksteps(p, child(path, 'path')));
      const t = src['type'];
      if (t !== undefined && t !== null && !hostPathTypes.includes(String(t))) errs.push(fieldError.notSupported(child(path, 'type'), t, hostPathTypes));
      break;
    }
    case 'secret':
    case 'configMap':
      req(kind === 'secret' ? 'secretName' : 'name');
      errs.push(...validateMode(src['defaultMode'] as number | undefined, child(path, 'defaultMode')));
      list(src['items'] as KeyToPath[] | undefined).forEach((kp, i) => errs.push(...validateKeyToPath(kp, index(child(path, 'items'), i))));
      break;
    case 'persistentVolumeClaim':
      req('claimName');
      break;
    case 'nfs':
      req('server');
      req('path');
      if (!String(src['path'] ?? '').startsWith('/')) errs.push(fieldError.invalid(child(path, 'path'), src['path'] ?? '', 'must be an absolute path'));
      break;
    case 'downwardAPI':
      errs.push(...validateMode(src['defaultMode'] as number | undefined, child(path, 'defaultMode')));
      for (const f of list(src['items'] as Record<string, unknown>[] | undefined)) errs.push(...validateDownwardAPIFile(f, path));
      break;
    case 'projected':
      errs.push(...validateProjected(src, path));
      break;
    case 'gitRepo':
      req('repository');
      errs.push(...validateLocalDescendingPath(String(src['directory'] ?? ''), child(path, 'directory')));
      break;
    case 'csi': {
      const driver = String(src['driver'] ?? '');
      if (!driver) errs.push(fieldError.required(child(path, 'driver')));
      else if (driver.length > 63) errs.push(fieldError.tooLong(child(path, 'driver'), 63));
      break;
    }
    case 'ephemeral': {
      const tpl = src['volumeClaimTemplate'];
      if (!isObject(tpl)) errs.push(fieldError.required(child(path, 'volumeClaimTemplate')));
      else {
        const spec = tpl['spec'];
        if (isObject(spec)) errs.push(...validateLabelSelector(spec['selector'], child(child(child(path, 'volumeClaimTemplate'), 'spec'), 'selector')));
        if (podName && volName) {
          const pvc = `${podName}-${volName}`;
          for (const m of isDNS1123Subdomain(pvc)) errs.push(fieldError.invalid(child(path.replace(/\.ephemeral$/, ''), 'name'), volName, `PVC name "${pvc}": ${m}`));
        }
      }
      break;
    }
    case 'image':
      if (!src['reference']) errs.push(fieldError.required(child(path, 'reference')));
      break;
    case 'awsElasticBlockStore':
    case 'cinder':
      req('volumeID');
      break;
    case 'gcePersistentDisk':
      req('pdName');
      break;
    case 'iscsi':
      req('targetPortal');
      req('iqn');
      break;
    case 'flexVolume':
      req('driver');
      break;
    case 'rbd':
      if (!list(src['monitors'] as string[] | undefined).length) errs.push(fieldError.required(child(path, 'monitors')));
      req('image');
      break;
    case 'cephfs':
      if (!list(src['monitors'] as string[] | undefined).length) errs.push(fieldError.required(child(path, 'monitors')));
      break;
    case 'glusterfs':
      req('endpoints');
      req('path');
      break;
    case 'azureFile':
      req('secretName');
      req('shareName');
      break;
  }
  return errs;
}

/** Error paths of a few sources differ from their field names upstream. */
const sourcePath: Record<string, string> = { gcePersistentDisk: 'persistentDisk', cephfs: 'cephfs', downwardAPI: 'downwardAPI' };

/** ValidateVolumes: names (DNS labels, unique) and exactly one source each. Returns the valid volumes by name. */
export function validateVolumes(volumes: readonly Volume[] | undefined, path: string, podName?: string): { byName: Map<string, Volume>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const byName = new Map<string, Volume>();
  const createdPVCs = new Set<string>();
  if (podName) for (const v of list(volumes)) if (v.ephemeral) createdPVCs.add(`${podName}-${v.name}`);
  list(volumes).forEach((v, i) => {
    const vp = index(path, i);
    const namePath = child(vp, 'name');
    const src = v as unknown as Record<string, unknown>;
    const el: FieldError[] = [];
    let n = 0;
    for (const kind of validationOrder) {
      const s = src[kind];
      if (s === undefined || s === null) continue;
      if (n > 0) {
        el.push(fieldError.forbidden(child(vp, kind === 'cephfs' ? 'cephFS' : kind === 'downwardAPI' ? 'downwarAPI' : kind), 'may not specify more than 1 volume type'));
        continue;
      }
      n++;
      el.push(...validateSource(kind, isObject(s) ? s : {}, child(vp, sourcePath[kind] ?? kind), v.name ?? '', podName));
    }
    if (n === 0) el.push(fieldError.required(vp, 'must specify a volume type'));
    if (!v.name) el.push(fieldError.required(namePath));
    else el.push(...validateDNS1123Label(v.name, namePath));
    if (v.name && byName.has(v.name)) el.push(fieldError.duplicate(namePath, v.name));
    if (el.length === 0) byName.set(v.name, v);
    else errs.push(...el);
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim && createdPVCs.has(claim)) errs.push(fieldError.invalid(child(child(vp, 'persistentVolumeClaim'), 'claimName'), claim, 'must not reference a PVC that gets created for an ephemeral volume'));
  });
  return { byName, errs };
}

/** Checks a qualified-name field (ValidateQualifiedName). */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isQualifiedName(value));
}
