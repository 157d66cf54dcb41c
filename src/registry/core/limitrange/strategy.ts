// The LimitRange strategy (pkg/registry/core/limitrange/strategy.go): container defaults from max/min, consistency.
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { column, nameColumn } from '../../printing.js';
import {
  as, canonicalizeResourceList, coreInfo, entries, formatQuantity, invalidEach, isOvercommitAllowed, isQualifiedName, list, nameIsDNSSubdomain, parseQuantity,
  quantityValue, validateContainerResourceName, validateResourceName, type CoreStrategy, type Quantity,
} from '../shared/index.js';

const standardLimitTypes = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);
type Lists = 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio';

/** SetDefaults_LimitRangeItem: for containers, default limit from max, default request from default or min. */
export function defaultLimitRangeItem(item: LimitRangeItem): void {
  if (item.type === 'Container') {
    const def = (item.default ??= {});
    const req = (item.defaultRequest ??= {});
    for (const [k, v] of entries(item.max)) if (!(k in def)) def[k] = v;
    for (const [k, v] of entries(def)) if (!(k in req)) req[k] = v;
    for (const [k, v] of entries(item.min)) if (!(k in req)) req[k] = v;
  }
  for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) canonicalizeResourceList(item[f]);
}

function validateLimitType(t: string, path: string): FieldError[] {
  const errs = invalidEach(path, t, isQualifiedName(t));
  if (errs.length) return errs;
  return !t.includes('/') && !standardLimitTypes.has(t) ? [fieldError.invalid(path, t, 'must be a standard limit type or fully qualified')] : [];
}

/** ValidateLimitRange (without ObjectMeta). */
export function validateLimitRange(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  list(as<LimitRange>(obj).spec?.limits).forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    const type = item.type ?? '';
    errs.push(...validateLimitType(type, `${p}.type`));
    if (types.has(type)) errs.push(fieldError.duplicate(`${p}.type`, type));
    types.add(type);
    const nameCheck = type === 'Pod' || type === 'Container' ? validateContainerResourceName : validateResourceName;
    const lists: Partial<Record<Lists, Map<string, Quantity>>> = {};
    const keys = new Set<string>();
    const read = (f: Lists) => {
      const m = new Map<string, Quantity>();
      for (const [k, v] of entries(item[f])) {
        errs.push(...nameCheck(k, `${p}.${f}[${k}]`));
        keys.add(k);
        const q = parseQuantity(v);
        if (q) m.set(k, q);
      }
      lists[f] = m;
    };
    read('max');
    read('min');
    if (type === 'Pod') {
      if (entries(item.default).length) errs.push(fieldError.forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (entries(item.defaultRequest).length) errs.push(fieldError.forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    } else {
      read('default');
      read('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !lists.min?.has('storage') && !lists.max?.has('storage')) {
      errs.push(fieldError.required(`${p}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    read('maxLimitRequestRatio');
    for (const k of keys) {
      const min = lists.min?.get(k);
      const max = lists.max?.get(k);
      const def = lists.default?.get(k);
      const defReq = lists.defaultRequest?.get(k);
      const ratio = lists.maxLimitRequestRatio?.get(k);
      const s = (q: Quantity) => formatQuantity(q);
      if (min && max && min.nanos > max.nanos) errs.push(fieldError.invalid(`${p}.min[${k}]`, s(min), `min value ${s(min)} is greater than max value ${s(max)}`));
      if (defReq && min && min.nanos > defReq.nanos) errs.push(fieldError.invalid(`${p}.defaultRequest[${k}]`, s(defReq), `min value ${s(min)} is greater than default request value ${s(defReq)}`));
      if (defReq && max && defReq.nanos > max.nanos) errs.push(fieldError.invalid(`${p}.defaultRequest[${k}]`, s(defReq), `default request value ${s(defReq)} is greater than max value ${s(max)}`));
      if (defReq && def && defReq.nanos > def.nanos) errs.push(fieldError.invalid(`${p}.defaultRequest[${k}]`, s(defReq), `default request value ${s(defReq)} is greater than default limit value ${s(def)}`));
      if (def && min && min.nanos > def.nanos) errs.push(fieldError.invalid(`${p}.default[${k}]`, s(min), `min value ${s(min)} is greater than default value ${s(def)}`));
      if (def && max && def.nanos > max.nanos) errs.push(fieldError.invalid(`${p}.default[${k}]`, s(max), `default value ${s(def)} is greater than max value ${s(max)}`));
      if (ratio && ratio.nanos < 1_000_000_000n) errs.push(fieldError.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is less than 1`));
      if (ratio && min && max && quantityValue(min) > 0) {
        const limit = quantityValue(max) / quantityValue(min);
        if (quantityValue(ratio) > limit) errs.push(fieldError.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is greater than max/min = ${limit.toFixed(6)}`));
      }
      if (!isOvercommitAllowed(k) && def && defReq && def.nanos !== defReq.nanos) {
        errs.push(fieldError.invalid(`${p}.defaultRequest[${k}]`, s(defReq), `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`));
      }
    }
  });
  return errs;
}

/** The LimitRange strategy. */
export const limitRangeStrategy: CoreStrategy = {
  info: coreInfo('LimitRange'),
  schemaName: 'io.k8s.api.core.v1.LimitRange',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults(obj) {
    for (const item of list(as<LimitRange>(obj).spec?.limits)) defaultLimitRangeItem(item);
  },
  validate: validateLimitRange,
  printer: {
    // kubectl shows the creation time itself here, not an age.
    columns: [nameColumn, column('Created At', { type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' })],
    row: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null],
  },
};
