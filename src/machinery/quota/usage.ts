// What an object costs against a ResourceQuota: the usage of pods (compute resources as the pod asks for them),
// services (load balancers, node ports), persistent volume claims (storage, per storage class) and object counts
// (`count/<resource>.<group>`), and whether it falls in a quota's scopes. Shared by ResourceQuota admission and
// the resource quota controller, so both count the same way.
import type { KubeObject } from '../../api/index.js';
import { compareQuantities, newQuantity } from '../quantity.js';
import { addLists, parseResourceList, type ResourceList } from './resource-list.js';

/** One scope a quota applies to (spec.scopes entries become `Exists` requirements). */
export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

/** Counts one resource's objects against quotas. */
export interface UsageEvaluator {
  /** Group and plural of the counted resource. */
  group: string;
  resource: string;
  /** Whether admission charges the quota for this operation (pods: create only; services and claims: updates too). */
  chargesOn(operation: 'CREATE' | 'UPDATE'): boolean;
  /** The names among `names` (a quota's hard names) that this evaluator counts. */
  matchingResources(names: readonly string[]): string[];
  /** What the object uses; `now` (ms) decides whether a terminating pod still counts. */
  usage(obj: KubeObject, now: number): ResourceList;
  /** Whether the object falls in one scope (only pods know scopes). */
  matchesScope(scope: ScopeRequirement, obj: KubeObject): boolean;
  /** For pods with cpu/memory quotas: the Kubernetes error text when a container does not state them. */
  constraints?(required: readonly string[], obj: KubeObject): string | undefined;
}

/** `count/pods`, `count/deployments.apps`: the object-count resource name of a resource. */
export function objectCountName(group: string, resource: string): string {
  return group === '' ? `count/${resource}` : `count/${resource}.${group}`;
}

const one = () => newQuantity(1);
const zero = () => newQuantity(0);

type Json = Record<string, any>;

// ---- pods ------------------------------------------------------------------------------------------

const podComputeNames = new Set([
  'pods', 'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
/** Names whose absence from a container is an error when a quota limits them (a rule kept for compatibility). */
const validationNames = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.') && !name.startsWith('count/');
}

function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, q] of Object.entries(b)) if (!out[k] || compareQuantities(q, out[k]!) > 0) out[k] = q;
  return out;
}

/** A pod's effective requests or limits: containers and sidecars summed, init containers at their peak, plus overhead. */
export function podResources(pod: KubeObject, which: 'requests' | 'limits'): ResourceList {
  const spec = (pod['spec'] ?? {}) as Json;
  let total: ResourceList = {};
  for (const c of (spec['containers'] ?? []) as Json[]) total = addLists(total, parseResourceList(c['resources']?.[which]));
  let sidecars: ResourceList = {};
  let initPeak: ResourceList = {};
  for (const c of (spec['initContainers'] ?? []) as Json[]) {
    const own = parseResourceList(c['resources']?.[which]);
    let step: ResourceList;
    if (c['restartPolicy'] === 'Always') {
      total = addLists(total, own);
      sidecars = addLists(sidecars, own);
      step = sidecars;
    } else step = addLists(own, sidecars);
    initPeak = maxLists(initPeak, step);
  }
  total = maxLists(total, initPeak);
  const overhead = parseResourceList(spec['overhead']);
  if (which === 'requests') total = addLists(total, overhead);
  else for (const k of Object.keys(total)) if (overhead[k]) total[k] = addLists({ [k]: total[k]! }, { [k]: overhead[k]! })[k]!;
  return total;
}

/** The quota names a set of requests and limits fill (pods=1, cpu, requests.cpu, limits.cpu, ...). */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: one() };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r]) {
      out[r] = requests[r]!;
      out[`requests.${r}`] = requests[r]!;
    }
    if (limits[r]) out[`limits.${r}`] = limits[r]!;
  }
  for (const [r, q] of Object.entries(requests)) {
    if (r.startsWith('hugepages-')) {
      out[r] = q;
      out[`requests.${r}`] = q;
    }
    if (isExtendedResource(r)) out[`requests.${r}`] = q;
  }
  return out;
}

/** Whether a pod still counts against compute quota: not finished, and not stuck terminating past its grace period. */
export function podCountsForQuota(pod: KubeObject, now: number): boolean {
  const phase = (pod['status'] as Json | undefined)?.['phase'];
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const m = pod.metadata ?? {};
  if (m.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined && m.deletionGracePeriodSeconds !== null) {
    if (now > Date.parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

/** A pod is BestEffort when no container (nor init container) requests or limits cpu or memory. */
export function isBestEffort(pod: KubeObject): boolean {
  const spec = (pod['spec'] ?? {}) as Json;
  for (const c of [...((spec['containers'] ?? []) as Json[]), ...((spec['initContainers'] ?? []) as Json[])]) {
    for (const which of ['requests', 'limits']) {
      const l = c['resources']?.[which] as Json | undefined;
      if (l && (l['cpu'] !== undefined || l['memory'] !== undefined)) return false;
    }
  }
  return true;
}

function hasCrossNamespaceAffinity(pod: KubeObject): boolean {
  const aff = ((pod['spec'] ?? {}) as Json)['affinity'] as Json | undefined;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = aff?.[kind] as Json | undefined;
    if (!a) continue;
    const terms = [...((a['requiredDuringSchedulingIgnoredDuringExecution'] ?? []) as Json[]), ...((a['preferredDuringSchedulingIgnoredDuringExecution'] ?? []) as Json[]).map((w) => (w['podAffinityTerm'] ?? {}) as Json)];
    if (terms.some((t) => t['namespaceSelector'] !== undefined || (t['namespaces'] ?? []).length > 0)) return true;
  }
  return false;
}

function podMatchesScope(scope: ScopeRequirement, pod: KubeObject): boolean {
  const spec = (pod['spec'] ?? {}) as Json;
  const deadline = spec['activeDeadlineSeconds'];
  switch (scope.scopeName) {
    case 'Terminating':
      return typeof deadline === 'number' && deadline >= 0;
    case 'NotTerminating':
      return !(typeof deadline === 'number' && deadline >= 0);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity':
      return hasCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const pc = (spec['priorityClassName'] as string | undefined) ?? '';
      const values = scope.values ?? [];
      if (scope.operator === 'Exists') return pc !== '';
      if (scope.operator === 'DoesNotExist') return pc === '';
      if (scope.operator === 'In') return values.includes(pc);
      if (scope.operator === 'NotIn') return !values.includes(pc);
      return false;
    }
    default:
      return false;
  }
}

const podEvaluator: UsageEvaluator = {
  group: '',
  resource: 'pods',
  chargesOn: (op) => op === 'CREATE',
  matchingResources: (names) => names.filter((n) => podComputeNames.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || (n.startsWith('requests.') && isExtendedResource(n.slice(9)))),
  usage(pod, now) {
    const out: ResourceList = { 'count/pods': one() };
    if (!podCountsForQuota(pod, now)) return out;
    return { ...out, ...computeUsage(podResources(pod, 'requests'), podResources(pod, 'limits')) };
  },
  matchesScope: podMatchesScope,
  constraints(required, pod) {
    const wanted = required.filter((r) => validationNames.has(r));
    if (wanted.length === 0) return undefined;
    const spec = (pod['spec'] ?? {}) as Json;
    const missing = new Map<string, Set<string>>();
    for (const c of [...((spec['containers'] ?? []) as Json[]), ...((spec['initContainers'] ?? []) as Json[])]) {
      const has = computeUsage(parseResourceList(c['resources']?.['requests']), parseResourceList(c['resources']?.['limits']));
      for (const r of wanted) if (!has[r]) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(String(c['name']));
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

// ---- services and claims ------------------------------------------------------------------------------

const serviceNames = new Set(['services', 'count/services', 'services.loadbalancers', 'services.nodeports']);

const serviceEvaluator: UsageEvaluator = {
  group: '',
  resource: 'services',
  chargesOn: () => true,
  matchingResources: (names) => names.filter((n) => serviceNames.has(n)),
  usage(svc) {
    const spec = (svc['spec'] ?? {}) as Json;
    const ports = (spec['ports'] ?? []) as Json[];
    const out: ResourceList = { 'count/services': one(), services: one(), 'services.loadbalancers': zero(), 'services.nodeports': zero() };
    if (spec['type'] === 'NodePort') out['services.nodeports'] = newQuantity(ports.length);
    if (spec['type'] === 'LoadBalancer') {
      // Without allocated node ports only the ports that name one count.
      const n = spec['allocateLoadBalancerNodePorts'] === false ? ports.filter((p) => p['nodePort']).length : ports.length;
      out['services.nodeports'] = newQuantity(n);
      out['services.loadbalancers'] = one();
    }
    return out;
  },
  matchesScope: () => false,
};

/** The suffix of per-storage-class quota names: `gold.storageclass.storage.k8s.io/requests.storage`. */
export const storageClassSuffix = '.storageclass.storage.k8s.io/';

const pvcEvaluator: UsageEvaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  chargesOn: () => true,
  matchingResources: (names) =>
    names.filter((n) => n === 'persistentvolumeclaims' || n === 'count/persistentvolumeclaims' || n === 'requests.storage' || n.endsWith(`${storageClassSuffix}requests.storage`) || n.endsWith(`${storageClassSuffix}persistentvolumeclaims`)),
  usage(pvc) {
    const spec = (pvc['spec'] ?? {}) as Json;
    const out: ResourceList = { persistentvolumeclaims: one(), 'count/persistentvolumeclaims': one() };
    const cls = (spec['storageClassName'] as string | undefined) ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
    if (cls) out[`${cls}${storageClassSuffix}persistentvolumeclaims`] = one();
    const requested = parseResourceList(spec['resources']?.['requests'])['storage'];
    const allocated = parseResourceList((pvc['status'] as Json | undefined)?.['allocatedResources'])['storage'];
    const storage = requested && allocated ? (compareQuantities(allocated, requested) > 0 ? allocated : requested) : requested ?? allocated;
    if (storage) {
      out['requests.storage'] = storage;
      if (cls) out[`${cls}${storageClassSuffix}requests.storage`] = storage;
    }
    return out;
  },
  matchesScope: () => false,
};

/** Core resources also counted under their legacy quota name (`configmaps`, `secrets`, ...). */
const legacyCountNames: Record<string, string> = { configmaps: 'configmaps', secrets: 'secrets', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas' };

/** Counts objects of any resource as `count/<resource>.<group>` (and the legacy name of a few core ones). */
export function objectCountEvaluator(group: string, resource: string): UsageEvaluator {
  const count = objectCountName(group, resource);
  const legacy = group === '' ? legacyCountNames[resource] : undefined;
  return {
    group,
    resource,
    chargesOn: (op) => op === 'CREATE',
    matchingResources: (names) => names.filter((n) => n === count || n === legacy),
    usage: () => (legacy ? { [count]: one(), [legacy]: one() } : { [count]: one() }),
    matchesScope: () => false,
  };
}

const special: Record<string, UsageEvaluator> = { '/pods': podEvaluator, '/services': serviceEvaluator, '/persistentvolumeclaims': pvcEvaluator };
const generic = new Map<string, UsageEvaluator>();

/** The evaluator of a resource: pods, services and claims have their own; every other resource is counted. */
export function evaluatorFor(group: string, resource: string): UsageEvaluator {
  const k = `${group}/${resource}`;
  const s = special[k];
  if (s) return s;
  let e = generic.get(k);
  if (!e) generic.set(k, (e = objectCountEvaluator(group, resource)));
  return e;
}

/** The group and plural a quota name counts, for `count/<resource>.<group>` and the legacy names; else undefined. */
export function countedResourceOf(name: string): { group: string; resource: string } | undefined {
  if (name.startsWith('count/')) {
    const rest = name.slice(6);
    const i = rest.indexOf('.');
    return i < 0 ? { group: '', resource: rest } : { group: rest.slice(i + 1), resource: rest.slice(0, i) };
  }
  if (legacyCountNames[name]) return { group: '', resource: name };
  if (podComputeNames.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.') || name.startsWith('limits.')) {
    return name === 'requests.storage' ? { group: '', resource: 'persistentvolumeclaims' } : { group: '', resource: 'pods' };
  }
  if (serviceNames.has(name)) return { group: '', resource: 'services' };
  if (name === 'persistentvolumeclaims' || name.includes(storageClassSuffix)) return { group: '', resource: 'persistentvolumeclaims' };
  return undefined;
}

/** A quota's scopes: spec.scopes as `Exists` requirements, then spec.scopeSelector's expressions. */
export function quotaScopes(quota: KubeObject): ScopeRequirement[] {
  const spec = (quota['spec'] ?? {}) as Json;
  const out: ScopeRequirement[] = ((spec['scopes'] ?? []) as string[]).map((s) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of (spec['scopeSelector']?.['matchExpressions'] ?? []) as Json[]) out.push({ scopeName: String(e['scopeName']), operator: String(e['operator']), values: (e['values'] ?? []) as string[] });
  return out;
}

/** Whether a quota with these hard names and scopes counts an object of this evaluator at all. */
export function quotaMatches(e: UsageEvaluator, hardNames: readonly string[], scopes: readonly ScopeRequirement[], obj: KubeObject): boolean {
  if (e.matchingResources(hardNames).length === 0) return false;
  return scopes.every((s) => e.matchesScope(s, obj));
}
