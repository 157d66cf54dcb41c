// ResourceQuota: charges each create (and, for services and claims, update) against the namespace's quotas,
// refuses what would go over a hard limit, and records the new usage in the quota's status before the object is
// stored, so concurrent writes cannot both spend the same room. The resource quota controller recomputes usage.
import type { KubeObject } from '../../api/index.js';
import { isReason, parseQuantity } from '../../machinery/index.js';
import {
  addLists,
  evaluatorFor,
  formatResourceList,
  lessThanOrEqual,
  maskList,
  parseResourceList,
  printList,
  quotaMatches,
  quotaScopes,
  type ResourceList,
  type UsageEvaluator,
} from '../../machinery/quota/index.js';
import { compareQuantities, subtractQuantities } from '../../machinery/index.js';
import { admissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin, PluginDeps } from '../interfaces.js';

const resourceQuotas = { group: '', resource: 'resourcequotas' };

/** Resources quota never counts (events come too often to be worth counting). */
const ignored = new Set(['/events', 'events.k8s.io/events']);

type Json = Record<string, any>;

/** a - b, never below zero, zeros dropped. */
function positiveDelta(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, q] of Object.entries(a)) {
    const d = b[k] ? subtractQuantities(q, b[k]!) : q;
    if (compareQuantities(d, parseQuantity('0')) > 0) out[k] = d;
  }
  return out;
}

function withoutZeros(l: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, q] of Object.entries(l)) if (q.unscaled !== 0n) out[k] = q;
  return out;
}

/** The quotas a write changes and their new status.used, or a refusal. */
function charge(a: AdmissionAttributes, e: UsageEvaluator, quotas: KubeObject[], now: number): { quota: KubeObject; used: ResourceList }[] {
  const obj = a.object!;
  const interesting: KubeObject[] = [];
  for (const q of quotas) {
    const status = (q['status'] ?? {}) as Json;
    const hardNames = Object.keys(status['hard'] ?? {});
    if (!quotaMatches(e, hardNames, quotaScopes(q), obj)) continue;
    const restricted = e.matchingResources(hardNames);
    const name = q.metadata?.name ?? '';
    const missing = e.constraints?.(restricted, obj);
    if (missing) throw admissionForbidden(a, `failed quota: ${name}: ${missing}`);
    const used = status['used'] ?? {};
    if (restricted.some((r) => used[r] === undefined)) throw admissionForbidden(a, `status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}`);
    interesting.push(q);
  }
  if (interesting.length === 0) return [];
  let delta = e.usage(obj, now);
  for (const [k, q] of Object.entries(delta)) {
    if (q.unscaled < 0n) throw admissionForbidden(a, `quota usage is negative for resource(s): ${k}`);
  }
  if (a.operation === 'UPDATE' && a.oldObject?.metadata?.resourceVersion) delta = positiveDelta(delta, e.usage(a.oldObject, now));
  delta = withoutZeros(delta);
  if (Object.keys(delta).length === 0) return [];
  const out: { quota: KubeObject; used: ResourceList }[] = [];
  for (const q of interesting) {
    const hard = parseResourceList((q['status'] as Json | undefined)?.['hard']);
    const used = parseResourceList((q['status'] as Json | undefined)?.['used']);
    const requested = maskList(delta, Object.keys(hard));
    const next = addLists(used, requested);
    const check = lessThanOrEqual(maskList(next, Object.keys(requested)), hard);
    if (!check.ok) {
      throw admissionForbidden(
        a,
        `exceeded quota: ${q.metadata?.name ?? ''}, requested: ${printList(maskList(requested, check.exceeded))}, used: ${printList(maskList(used, check.exceeded))}, limited: ${printList(maskList(hard, check.exceeded))}`,
      );
    }
    if (Object.keys(requested).length) out.push({ quota: q, used: next });
  }
  return out;
}

/** The ResourceQuota plugin. */
export function resourceQuotaPlugin(deps: PluginDeps): AdmissionPlugin {
  // Writes into one namespace are charged one at a time, so they read each other's usage.
  const queues = new Map<string, Promise<void>>();
  // The quotas this server last wrote: newer than what the cache may show yet.
  const written = new Map<string, KubeObject>();

  async function currentQuotas(ns: string): Promise<KubeObject[]> {
    const listed = await deps.lookup.list(resourceQuotas, ns);
    return listed.map((q) => {
      const w = written.get(`${ns}/${q.metadata?.name ?? ''}`);
      return w && w.metadata?.uid === q.metadata?.uid && Number(w.metadata?.resourceVersion) > Number(q.metadata?.resourceVersion) ? w : q;
    });
  }

  async function serialized(ns: string, fn: () => Promise<void>): Promise<void> {
    const before = queues.get(ns) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    queues.set(ns, tail);
    try {
      await run;
    } finally {
      if (queues.get(ns) === tail) queues.delete(ns);
    }
  }

  async function validate(a: AdmissionAttributes): Promise<void> {
    if (!a.object || a.namespace === '') return;
    const e = evaluatorFor(a.resource.group, a.resource.resource);
    if (!e.chargesOn(a.operation as 'CREATE' | 'UPDATE')) return;
    const quick = await deps.lookup.list(resourceQuotas, a.namespace);
    if (quick.length === 0) return;
    await serialized(a.namespace, async () => {
      for (let attempt = 0; ; attempt++) {
        const quotas = await currentQuotas(a.namespace);
        const changes = charge(a, e, quotas, deps.clock.now());
        if (a.dryRun || changes.length === 0) return;
        try {
          for (const c of changes) {
            const next = structuredClone(c.quota) as KubeObject;
            ((next['status'] ??= {}) as Json)['used'] = { ...(next['status'] as Json)['used'], ...formatResourceList(c.used) };
            const stored = await deps.lookup.updateStatus(resourceQuotas, next);
            written.set(`${a.namespace}/${stored.metadata?.name ?? ''}`, stored);
          }
          return;
        } catch (err) {
          // Another writer (the controller, another server) changed a quota: read them again and recharge.
          if (isReason(err, 'Conflict') && attempt < 8) {
            for (const c of changes) written.delete(`${a.namespace}/${c.quota.metadata?.name ?? ''}`);
            continue;
          }
          throw err;
        }
      }
    });
  }

  return {
    name: 'ResourceQuota',
    // Decided per resource once (the chain caches it): pod and object-count updates are never charged.
    handles: (op, r) => (op === 'CREATE' || op === 'UPDATE') && r.subresource === '' && !ignored.has(`${r.group}/${r.resource}`) && evaluatorFor(r.group, r.resource).chargesOn(op),
    validate,
  };
}
