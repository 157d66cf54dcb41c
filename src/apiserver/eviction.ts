// The pods/eviction subresource (POST a policy/v1 Eviction, as `kubectl drain` does): a pod is deleted only if
// the PodDisruptionBudget selecting it allows a disruption, which the eviction then uses up (disruptionsAllowed
// decremented, the pod listed in disruptedPods); the pod gets the DisruptionTarget condition before it goes.
import type { KubeObject, SubresourceInfo } from '../api/index.js';
import { badRequest, conflict, forbidden, matchesLabels, methodNotAllowed, StatusError, tryLabelSelectorFromObject, type LabelSelectorObject } from '../machinery/index.js';
import type { GenericStore, ObjectRef } from '../registry/generic-store.js';
import type { ResourceStrategy } from '../registry/strategy.js';
import { rfc3339, type Clock } from '../util/index.js';
import { checkTypeMeta, decodeObjectBody, UnreadableBodyError, unrecognizedObject, type ProtobufDecoder } from './body.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { DeleteRequest } from './resources.js';
import { jsonResponse } from './respond.js';

/** How pods/eviction appears in discovery: it takes a policy/v1 Eviction and only `create`s. */
export const evictionSubresource: SubresourceInfo = { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] };

/** The pods strategy with `eviction` among its subresources (so discovery lists pods/eviction); others unchanged. */
export function withEvictionSubresource(s: ResourceStrategy): ResourceStrategy {
  const i = s.info;
  if (i.group !== '' || i.plural !== 'pods' || i.subresources.some((x) => x.name === 'eviction')) return s;
  return { ...s, info: { ...i, subresources: [...i.subresources, evictionSubresource] } };
}

/** Evictions not yet confirmed by the disruption controller that a budget may hold before evictions are refused. */
export const maxDisruptedPodSize = 2000;

/** What an eviction needs from the API server. */
export interface EvictionOptions {
  pods: () => GenericStore;
  pdbs: () => GenericStore;
  /** The API server's delete (graceful pod deletion, preconditions, finalizers). */
  deleter: (store: GenericStore, namespace: string | undefined, name: string, opts: DeleteRequest) => Promise<{ ref: ObjectRef; pending: boolean }>;
  clock: Clock;
  protobuf?: ProtobufDecoder | undefined;
}

interface Eviction extends KubeObject {
  deleteOptions?: { gracePeriodSeconds?: number; propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string }; dryRun?: string[] } | null;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
interface Pod extends KubeObject {
  status?: { phase?: string; conditions?: Condition[] };
}
interface Pdb extends KubeObject {
  spec?: { selector?: LabelSelectorObject; unhealthyPodEvictionPolicy?: string };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number; disruptedPods?: Record<string, string>; conditions?: (Condition & { observedGeneration?: number })[] };
}

const podReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** The 429 an eviction gets when a budget stands in the way (cause: the budget's reason). */
function tooManyRequests(cause: string, retryAfterSeconds: number): StatusError {
  return new StatusError({
    code: 429,
    reason: 'TooManyRequests',
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    details: { ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}), causes: [{ reason: 'DisruptionBudget', message: cause }] },
  });
}

function decodeEviction(req: ApiRequest, protobuf: ProtobufDecoder | undefined): Eviction {
  let obj: Eviction;
  try {
    obj = decodeObjectBody(req.headers['content-type'], req.body, protobuf) as Eviction;
  } catch (e) {
    throw e instanceof UnreadableBodyError ? unrecognizedObject('Eviction', e, req.body) : e;
  }
  // policy/v1beta1 Evictions are accepted too, as kube-apiserver does.
  checkTypeMeta(obj, { apiVersion: obj.apiVersion === 'policy/v1beta1' ? 'policy/v1beta1' : 'policy/v1', kind: 'Eviction' });
  return obj;
}

/** The Eviction's DeleteOptions with the request's dryRun, as propagateDryRun merges them. */
function deleteOptionsOf(e: Eviction, query: URLSearchParams): DeleteRequest {
  const d = e.deleteOptions ?? {};
  const fromQuery = query.getAll('dryRun');
  const fromBody = d.dryRun ?? [];
  if (fromQuery.length && fromBody.length && JSON.stringify(fromQuery) !== JSON.stringify(fromBody)) {
    throw badRequest(`Non-matching dry-run options in request and content: [${fromQuery.join(' ')}] and [${fromBody.join(' ')}]`);
  }
  const out: DeleteRequest = { dryRun: fromQuery.length + fromBody.length > 0 };
  if (d.gracePeriodSeconds !== undefined) out.gracePeriodSeconds = d.gracePeriodSeconds;
  if (d.propagationPolicy !== undefined) out.propagationPolicy = d.propagationPolicy;
  if (d.preconditions) out.preconditions = { ...d.preconditions };
  return out;
}

/** A pod that is finished, pending or already being deleted goes without asking any budget. */
function canIgnorePdb(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

/** The budgets of the pod's namespace that select it (an empty or missing selector selects nothing here). */
async function budgetsOf(o: EvictionOptions, pod: Pod): Promise<{ pdb: Pdb; rv: number }[]> {
  const store = o.pdbs();
  const { items } = await store.list({ namespace: pod.metadata?.namespace });
  const out: { pdb: Pdb; rv: number }[] = [];
  for (const ref of items) {
    const pdb = store.object(ref) as Pdb;
    const sel = tryLabelSelectorFromObject(pdb.spec?.selector);
    if (typeof sel === 'string' || sel.requirements.length === 0 || sel.nothing) continue;
    if (matchesLabels(sel, pod.metadata?.labels)) out.push({ pdb, rv: ref.rv });
  }
  return out;
}

/** Checks a budget and uses one disruption of it (written to its status unless dry-run). */
async function checkAndDecrement(o: EvictionOptions, podName: string, pdbName: string, namespace: string, dryRun: boolean): Promise<void> {
  const now = rfc3339(o.clock.now());
  await o.pdbs().update(
    namespace,
    pdbName,
    (current) => {
      const pdb = current as Pdb;
      const s = { ...(pdb.status ?? {}) };
      if ((s.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) throw tooManyRequests(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
      const allowed = s.disruptionsAllowed ?? 0;
      if (allowed < 0) throw forbidden({ group: 'policy', resource: 'poddisruptionbudget', name: pdbName }, `poddisruptionbudget.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`);
      if (Object.keys(s.disruptedPods ?? {}).length > maxDisruptedPodSize) {
        throw forbidden({ group: 'policy', resource: 'poddisruptionbudget', name: pdbName }, `poddisruptionbudget.policy "${pdbName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
      }
      if (allowed === 0) throw tooManyRequests(`The disruption budget ${pdbName} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently`, 0);
      s.disruptionsAllowed = allowed - 1;
      if (s.disruptionsAllowed === 0) {
        const conditions = [...(s.conditions ?? [])];
        const i = conditions.findIndex((c) => c.type === 'DisruptionAllowed');
        const next = { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}) };
        if (i < 0) conditions.push({ ...next, lastTransitionTime: now });
        else conditions[i] = { ...conditions[i]!, ...next, lastTransitionTime: conditions[i]!.status === 'False' ? (conditions[i]!.lastTransitionTime ?? now) : now };
        s.conditions = conditions;
      }
      s.disruptedPods = { ...(s.disruptedPods ?? {}), [podName]: now };
      // No resourceVersion: a concurrent write makes the store run this again on the newer budget.
      return { ...pdb, metadata: { ...pdb.metadata, resourceVersion: '' }, status: s };
    },
    { subresource: 'status', dryRun },
  );
}

/** Adds DisruptionTarget=True (EvictionByEvictionAPI) to the pod, then deletes it with the eviction's options. */
async function addConditionAndDelete(o: EvictionOptions, namespace: string, name: string, opts: DeleteRequest): Promise<void> {
  const pods = o.pods();
  let options = opts;
  if (!opts.dryRun) {
    const now = rfc3339(o.clock.now());
    const { ref } = await pods.update(
      namespace,
      name,
      (current) => {
        const pod = current as Pod;
        const pre = opts.preconditions;
        if (pre?.uid && pre.uid !== pod.metadata?.uid) throw conflict({ resource: 'Pod', name }, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${pod.metadata?.uid ?? ''}`);
        if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata?.resourceVersion) {
          throw conflict({ resource: 'Pod', name }, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata?.resourceVersion ?? ''}). The object might have been modified`);
        }
        const conditions = [...(pod.status?.conditions ?? [])];
        const i = conditions.findIndex((c) => c.type === 'DisruptionTarget');
        const next: Condition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: now };
        if (i < 0) conditions.push(next);
        else conditions[i] = { ...next, lastTransitionTime: conditions[i]!.status === 'True' ? (conditions[i]!.lastTransitionTime ?? now) : now };
        return { ...pod, metadata: { ...pod.metadata, resourceVersion: '' }, status: { ...pod.status, conditions } };
      },
      { subresource: 'status' },
    );
    // The condition write is ours: a resourceVersion precondition moves on to it.
    if (opts.preconditions?.resourceVersion) options = { ...opts, preconditions: { ...opts.preconditions, resourceVersion: String(ref.rv) } };
  }
  await o.deleter(pods, namespace, name, options);
}

const success = (): ApiResponse => jsonResponse(201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));

/** Serves POST on `pods/<name>/eviction`. */
export async function handlePodEviction(req: ApiRequest, t: { namespace: string | undefined; name: string | undefined }, o: EvictionOptions): Promise<ApiResponse> {
  if (req.method !== 'POST' || t.name === undefined || t.namespace === undefined) throw methodNotAllowed();
  const namespace = t.namespace;
  const eviction = decodeEviction(req, o.protobuf);
  if (eviction.metadata?.name !== t.name) throw badRequest('name in URL does not match name in Eviction object');
  const deleteOptions = deleteOptionsOf(eviction, req.query);
  try {
    return await evict(o, namespace, t.name, deleteOptions);
  } catch (e) {
    if (e instanceof StatusError && e.code === 429 && e.status.details?.retryAfterSeconds) {
      const res = jsonResponse(429, JSON.stringify(e.status));
      res.headers['retry-after'] = String(e.status.details.retryAfterSeconds);
      return res;
    }
    throw e;
  }
}

async function evict(o: EvictionOptions, namespace: string, name: string, deleteOptions: DeleteRequest): Promise<ApiResponse> {
  const pods = o.pods();
  const rvUnset = !deleteOptions.preconditions?.resourceVersion;
  // Conflicts are retried (a few times) unless the caller gave its own resourceVersion precondition.
  for (let attempt = 0; ; attempt++) {
    const ref = await pods.get(namespace, name);
    const pod = pods.object(ref) as Pod;
    if (!canIgnorePdb(pod)) return evictGuarded(o, pod, namespace, name, deleteOptions);
    let opts = deleteOptions;
    // A pending pod could become ready meanwhile: delete only the version looked at.
    const enforce = pod.status?.phase === 'Pending' && !pod.metadata?.deletionTimestamp;
    if (enforce && rvUnset) opts = { ...opts, preconditions: { ...opts.preconditions, resourceVersion: String(ref.rv) } };
    try {
      await addConditionAndDelete(o, namespace, name, opts);
      return success();
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'Conflict' && rvUnset && attempt < 4) continue;
      throw e;
    }
  }
}

async function evictGuarded(o: EvictionOptions, pod: Pod, namespace: string, name: string, deleteOptions: DeleteRequest): Promise<ApiResponse> {
  const budgets = await budgetsOf(o, pod);
  if (budgets.length > 1) {
    return jsonResponse(500, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 }));
  }
  let pinToVersion = false;
  const pdb = budgets[0]?.pdb;
  if (pdb) {
    const s = pdb.status ?? {};
    const unhealthyGoes = !podReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((s.currentHealthy ?? 0) >= (s.desiredHealthy ?? 0) && (s.desiredHealthy ?? 0) > 0));
    // An unready pod does not count as healthy: it may go without using a disruption, if it stays unready.
    if (unhealthyGoes) pinToVersion = true;
    else await checkAndDecrement(o, name, pdb.metadata?.name ?? '', namespace, deleteOptions.dryRun);
  }
  let opts = deleteOptions;
  const rvUnset = !deleteOptions.preconditions?.resourceVersion;
  if (pinToVersion) opts = { ...opts, preconditions: { ...opts.preconditions, resourceVersion: pod.metadata?.resourceVersion ?? '' } };
  try {
    await addConditionAndDelete(o, namespace, name, opts);
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'Conflict' && pinToVersion && rvUnset) throw tooManyRequests(`The disruption budget ${pdb?.metadata?.name ?? ''} is still being processed by the server.`, 10);
    throw e;
  }
  return success();
}
