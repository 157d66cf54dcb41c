// LimitRanger: a namespace's LimitRanges give containers their default requests and limits (noted in the
// `kubernetes.io/limit-ranger` annotation) and bound what containers, pods and claims may ask for.
import type { KubeObject } from '../../api/index.js';
import { formatQuantity, quantityScaledValue, type Quantity } from '../../machinery/index.js';
import { parseResourceList, podResources, type ResourceList } from '../../machinery/quota/index.js';
import { admissionForbidden, aggregateMessage } from '../errors.js';
import type { AdmissionPlugin, PluginDeps } from '../interfaces.js';

/** The annotation that says which defaults LimitRanger set. */
export const limitRangerAnnotation = 'kubernetes.io/limit-ranger';

const limitRanges = { group: '', resource: 'limitranges' };

type Json = Record<string, any>;

/** One `spec.limits` item, as stored (Kubernetes' LimitRange defaults already applied). */
interface LimitItem {
  type?: string;
  min?: Record<string, string>;
  max?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

const show = (q: Quantity): string => formatQuantity(q);
// Compared in thousandths, as Kubernetes compares them.
const milli = (q: Quantity): bigint => quantityScaledValue(q, -3);

function minConstraint(type: string, name: string, enforced: Quantity, req: ResourceList, lim: ResourceList): string | undefined {
  const r = req[name];
  const l = lim[name];
  if (!r) return `minimum ${name} usage per ${type} is ${show(enforced)}.  No request is specified`;
  if (milli(r) < milli(enforced)) return `minimum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(r)}`;
  if (l && milli(l) < milli(enforced)) return `minimum ${name} usage per ${type} is ${show(enforced)}, but limit is ${show(l)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, req: ResourceList, lim: ResourceList): string | undefined {
  const r = req[name];
  const l = lim[name];
  if (!l) return `maximum ${name} usage per ${type} is ${show(enforced)}.  No limit is specified`;
  if (milli(l) > milli(enforced)) return `maximum ${name} usage per ${type} is ${show(enforced)}, but limit is ${show(l)}`;
  if (r && milli(r) > milli(enforced)) return `maximum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(r)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, req: ResourceList): string | undefined {
  const r = req[name];
  if (!r) return `maximum ${name} usage per ${type} is ${show(enforced)}.  No request is specified`;
  if (milli(r) > milli(enforced)) return `maximum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(r)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, req: ResourceList, lim: ResourceList): string | undefined {
  const r = req[name];
  const l = lim[name];
  if (!r || milli(r) === 0n) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but no request is specified or request is 0`;
  if (!l || milli(l) === 0n) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(milli(l)) / Number(milli(r));
  if (ratio * 1000 > Number(milli(enforced))) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function bounds(item: LimitItem, type: string, req: ResourceList, lim: ResourceList, errs: string[]): void {
  for (const [k, v] of Object.entries(parseResourceList(item.min))) push(errs, minConstraint(type, k, v, req, lim));
  for (const [k, v] of Object.entries(parseResourceList(item.max))) push(errs, maxConstraint(type, k, v, req, lim));
  for (const [k, v] of Object.entries(parseResourceList(item.maxLimitRequestRatio))) push(errs, ratioConstraint(type, k, v, req, lim));
}

function push(errs: string[], e: string | undefined): void {
  if (e) errs.push(e);
}

/** Fills a pod's containers' missing requests and limits from one LimitRange's Container defaults. */
export function applyContainerDefaults(pod: KubeObject, limitRange: KubeObject): void {
  const defLimits: Record<string, string> = {};
  const defRequests: Record<string, string> = {};
  for (const item of ((limitRange['spec'] as Json | undefined)?.['limits'] ?? []) as LimitItem[]) {
    if (item.type !== 'Container') continue;
    Object.assign(defRequests, item.defaultRequest ?? {});
    Object.assign(defLimits, item.default ?? {});
  }
  const notes: string[] = [];
  const spec = (pod['spec'] ?? {}) as Json;
  for (const [key, label] of [['containers', 'container'], ['initContainers', 'init container']] as const) {
    for (const c of (spec[key] ?? []) as Json[]) {
      const res = (c['resources'] ??= {}) as Json;
      const setLimits: string[] = [];
      const setRequests: string[] = [];
      for (const [k, v] of Object.entries(defLimits)) {
        if (res['limits']?.[k] === undefined) {
          (res['limits'] ??= {})[k] = v;
          setLimits.push(k);
        }
      }
      for (const [k, v] of Object.entries(defRequests)) {
        if (res['requests']?.[k] === undefined) {
          (res['requests'] ??= {})[k] = v;
          setRequests.push(k);
        }
      }
      if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${label} ${c['name']}`);
      if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${label} ${c['name']}`);
    }
  }
  if (notes.length) ((pod.metadata ??= {}).annotations ??= {})[limitRangerAnnotation] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

/** The reasons a pod breaks one LimitRange (Container and Pod items). */
export function podViolations(pod: KubeObject, limitRange: KubeObject): string[] {
  const errs: string[] = [];
  const spec = (pod['spec'] ?? {}) as Json;
  for (const item of ((limitRange['spec'] as Json | undefined)?.['limits'] ?? []) as LimitItem[]) {
    if (item.type === 'Container') {
      for (const key of ['containers', 'initContainers']) {
        for (const c of (spec[key] ?? []) as Json[]) {
          bounds(item, 'Container', parseResourceList(c['resources']?.['requests']), parseResourceList(c['resources']?.['limits']), errs);
        }
      }
    } else if (item.type === 'Pod') {
      bounds(item, 'Pod', podResources(pod, 'requests'), podResources(pod, 'limits'), errs);
    }
  }
  return errs;
}

/** The reasons a claim breaks one LimitRange (PersistentVolumeClaim items bound the requested storage). */
export function claimViolations(pvc: KubeObject, limitRange: KubeObject): string[] {
  const errs: string[] = [];
  const req = parseResourceList((pvc['spec'] as Json | undefined)?.['resources']?.['requests']);
  for (const item of ((limitRange['spec'] as Json | undefined)?.['limits'] ?? []) as LimitItem[]) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(parseResourceList(item.min))) push(errs, minConstraint('PersistentVolumeClaim', k, v, req, {}));
    for (const [k, v] of Object.entries(parseResourceList(item.max))) push(errs, maxRequestConstraint('PersistentVolumeClaim', k, v, req));
  }
  return errs;
}

/** The LimitRanger plugin. */
export function limitRangerPlugin(deps: PluginDeps): AdmissionPlugin {
  const ranges = (ns: string) => deps.lookup.list(limitRanges, ns);
  return {
    name: 'LimitRanger',
    // Pods on create (their containers cannot change later), claims on create and update.
    handles: (op, r) => r.group === '' && r.subresource === '' && ((r.resource === 'pods' && op === 'CREATE') || (r.resource === 'persistentvolumeclaims' && (op === 'CREATE' || op === 'UPDATE'))),
    async admit(a) {
      if (a.resource.resource !== 'pods' || !a.object) return;
      for (const lr of await ranges(a.namespace)) applyContainerDefaults(a.object, lr);
    },
    async validate(a) {
      if (!a.object) return;
      for (const lr of await ranges(a.namespace)) {
        const errs = a.resource.resource === 'pods' ? podViolations(a.object, lr) : claimViolations(a.object, lr);
        if (errs.length) throw admissionForbidden(a, aggregateMessage(errs));
      }
    },
  };
}
