// The ResourceQuota strategy (pkg/registry/core/resourcequota/strategy.go): resource names, values and scopes.
import type { ResourceQuota, ResourceQuotaSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import {
  as, canonicalizeResourceList, coreInfo, entries, fieldImmutable, formatQuantity, isStandardQuotaResourceName, keepOldStatus, list, nameIsDNSSubdomain,
  parseQuantity, statusSubresource, validateResourceName, validateResourceQuantityValue, type CoreStrategy,
} from '../shared/index.js';

const scopes = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];
const podScoped = new Set(['pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'count/pods']);

function scopeAllows(scope: string, resource: string): boolean {
  if (scope === 'BestEffort' || scope === 'CrossNamespacePodAffinity') return resource === 'pods' || resource === 'count/pods';
  if (scope === 'VolumeAttributesClass') return resource === 'persistentvolumeclaims' || resource === 'requests.storage' || resource === 'count/persistentvolumeclaims';
  return podScoped.has(resource) || resource.startsWith('hugepages-') || resource.startsWith('requests.hugepages-');
}

function validateResourceList(rl: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of entries(rl)) {
    const p = `${path}[${k}]`;
    errs.push(...validateResourceName(k, p));
    if (!k.includes('/') && !isStandardQuotaResourceName(k)) errs.push(fieldError.invalid(p, k, 'must be a standard resource for quota'));
    errs.push(...validateResourceQuantityValue(k, v, p));
  }
  return errs;
}

function validateScopes(spec: ResourceQuotaSpec): FieldError[] {
  const errs: FieldError[] = [];
  const given = list(spec.scopes);
  const hard = Object.keys(spec.hard ?? {}).sort();
  for (const s of given) {
    if (!scopes.includes(s)) errs.push(fieldError.invalid('spec.scopes', given, 'unsupported scope'));
    for (const r of hard) if (isStandardQuotaResourceName(r) && !scopeAllows(s, r)) errs.push(fieldError.invalid('spec.scopes', given, 'unsupported scope applied to resource'));
  }
  const set = new Set(given);
  if ((set.has('BestEffort') && set.has('NotBestEffort')) || (set.has('Terminating') && set.has('NotTerminating'))) errs.push(fieldError.invalid('spec.scopes', given, 'conflicting scopes'));
  list(spec.scopeSelector?.matchExpressions).forEach((req) => {
    const p = 'spec.scopeSelector.matchExpressions';
    if (!scopes.includes(req.scopeName)) errs.push(fieldError.invalid(`${p}.scopeName`, req.scopeName, 'unsupported scope'));
    if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(req.scopeName) && req.operator !== 'Exists') {
      errs.push(fieldError.invalid(`${p}.operator`, req.operator, "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
    }
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (!list(req.values).length) errs.push(fieldError.required(`${p}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (list(req.values).length) errs.push(fieldError.invalid(`${p}.values`, req.values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        break;
      default:
        errs.push(fieldError.invalid(`${p}.operator`, req.operator, 'not a valid selector operator'));
    }
  });
  return errs;
}

function validateStatus(obj: KubeObject): FieldError[] {
  const st = as<ResourceQuota>(obj).status;
  return [...validateResourceList(st?.hard, 'status.hard'), ...validateResourceList(st?.used, 'status.used')];
}

/** The Request and Limit cells: `resource: used/hard` for each hard limit, limits.* in the second. */
export function quotaCells(rq: ResourceQuota): [string, string] {
  const hard = rq.status?.hard ?? {};
  const req: string[] = [];
  const lim: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const used = parseQuantity(rq.status?.used?.[r]);
    const h = parseQuantity(hard[r]);
    const cell = `${r}: ${used ? formatQuantity(used) : '0'}/${h ? formatQuantity(h) : '0'}`;
    (r.split('.').length > 1 && r.split('.')[0] === 'limits' ? lim : req).push(cell);
  }
  return [req.join(', '), lim.join(', ')];
}

/** The ResourceQuota strategy. */
export const resourceQuotaStrategy: CoreStrategy = {
  info: coreInfo('ResourceQuota'),
  schemaName: 'io.k8s.api.core.v1.ResourceQuota',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults(obj) {
    const rq = as<ResourceQuota>(obj);
    canonicalizeResourceList(rq.spec?.hard);
    canonicalizeResourceList(rq.status?.hard);
    canonicalizeResourceList(rq.status?.used);
  },
  prepareForCreate(obj) {
    obj['status'] = {};
  },
  prepareForUpdate: keepOldStatus,
  validate: (obj) => [...validateResourceList(as<ResourceQuota>(obj).spec?.hard, 'spec.hard'), ...validateScopes(as<ResourceQuota>(obj).spec ?? {}), ...validateStatus(obj)],
  validateUpdate(obj, old) {
    const now = new Set(list(as<ResourceQuota>(obj).spec?.scopes));
    const before = new Set(list(as<ResourceQuota>(old).spec?.scopes));
    const same = now.size === before.size && [...now].every((s) => before.has(s));
    return same ? [] : [fieldError.invalid('spec.scopes', list(as<ResourceQuota>(obj).spec?.scopes), fieldImmutable)];
  },
  printer: {
    columns: [
      nameColumn,
      ageColumn,
      column('Request', { description: 'Request represents a minimum amount of cpu/memory that a container may consume.' }),
      column('Limit', { description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.' }),
    ],
    row(obj, ctx) {
      const [req, lim] = quotaCells(as<ResourceQuota>(obj));
      return [obj.metadata?.name ?? '', age(obj.metadata?.creationTimestamp, ctx.now), req, lim];
    },
  },
  status: statusSubresource({
    prepare(obj) {
      canonicalizeResourceList(as<ResourceQuota>(obj).status?.hard);
      canonicalizeResourceList(as<ResourceQuota>(obj).status?.used);
    },
    validate: validateStatus,
  }),
};
