// `kin why`'s analysis: what holds an object back from going away (finalizers and whether anything will remove
// them, dependents a foreground deletion waits for, a terminating namespace's contents, a pod's kubelet), and for
// an object that is not being deleted, its owners, its dependents and what deleting it would take with it.
import type { KubeObject } from '../../api/index.js';
import { knownFinalizers } from '../../controllers/index.js';
import type { ApiResource } from '../../client/index.js';
import { refText, type ClusterView, type ObjectInfo } from './cluster-view.js';

/** One finalizer on an object and who, if anyone, will remove it. */
export interface FinalizerFinding {
  name: string;
  /** The kin component that removes it; absent when none is known. */
  handledBy?: string;
  /** Whether that component runs now: the API server always does, controllers while their manager holds its Lease. */
  handlerRunning?: boolean;
  /** What the handler waits for, in plain words. */
  waitsFor?: string;
  /** Nothing known will ever remove it. */
  dead: boolean;
  /** A command that removes this finalizer (and only it). */
  removeCommand: string;
}

/** An owner named in ownerReferences, and whether it is really there. */
export interface OwnerFinding {
  ref: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
  /** exists: an object with that name and uid; missing: none (the garbage collector will delete the dependent); replaced: same name, other uid. */
  state: 'exists' | 'missing' | 'replaced' | 'unknown-kind';
}

/** The whole answer for one object. */
export interface Explanation {
  ref: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  exists: boolean;
  deletionTimestamp?: string;
  finalizers: FinalizerFinding[];
  owners: OwnerFinding[];
  /** Direct dependents (objects whose ownerReferences name this one). */
  dependents: { ref: string; blockOwnerDeletion: boolean }[];
  /** Being deleted: what it still waits for, each explained in turn (foreground dependents, namespace contents). */
  waitingFor: Explanation[];
  /** Not being deleted: the objects a (background or foreground) delete would also remove, and those an orphan delete leaves. */
  wouldDelete?: string[];
  /** A namespace's spec.finalizers (`kubernetes`), which hold it in Terminating like metadata finalizers do. */
  specFinalizers?: string[];
  /** A terminating namespace: its conditions as the namespace controller wrote them. */
  namespaceConditions?: { type: string; status: string; reason?: string; message?: string }[];
  /** Already explained above in the same answer (its details are not repeated). */
  seenAbove?: boolean;
  /** Plain sentences about anything else that holds the object (a pod's kubelet, an unreachable controller manager). */
  notes: string[];
}

/** How deep `waitingFor` goes and how many entries each level keeps. */
export interface ExplainOptions {
  depth?: number;
  maxEntries?: number;
  now?: number;
}

interface ControllerManagerState {
  running: boolean;
  holder?: string;
}

/** Explains one object. `target` names it by resource, namespace and name. */
export async function explain(view: ClusterView, target: { resource: ApiResource; namespace?: string; name: string }, opts: ExplainOptions = {}): Promise<Explanation> {
  const cm = await controllerManagerState(view, opts.now ?? Date.now());
  const info = await view.get(target.resource, target.namespace, target.name);
  if (!info) {
    return {
      ref: `${target.resource.group ? `${target.resource.singularName}.${target.resource.group}` : target.resource.singularName}/${target.name}`,
      apiVersion: target.resource.group ? `${target.resource.group}/${target.resource.version}` : target.resource.version,
      kind: target.resource.kind,
      ...(target.resource.namespaced && target.namespace ? { namespace: target.namespace } : {}),
      name: target.name,
      exists: false,
      finalizers: [],
      owners: [],
      dependents: [],
      waitingFor: [],
      notes: ['It does not exist: it is gone (or was never created).'],
    };
  }
  return explainInfo(view, info, cm, { depth: opts.depth ?? 2, maxEntries: opts.maxEntries ?? 20, now: opts.now ?? Date.now(), seen: new Set() }, true);
}

interface Walk extends Required<ExplainOptions> {
  /** uids explained so far in this answer. */
  seen: Set<string>;
}

async function explainInfo(view: ClusterView, info: ObjectInfo, cm: ControllerManagerState, opts: Walk, top: boolean): Promise<Explanation> {
  const m = info.metadata;
  if (m.uid && opts.seen.has(m.uid)) {
    return { ref: refText(info), apiVersion: info.apiVersion, kind: info.kind, ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name ?? '', uid: m.uid, exists: true, ...(m.deletionTimestamp ? { deletionTimestamp: String(m.deletionTimestamp) } : {}), finalizers: [], owners: [], dependents: [], waitingFor: [], seenAbove: true, notes: [] };
  }
  if (m.uid) opts.seen.add(m.uid);
  const e: Explanation = {
    ref: refText(info),
    apiVersion: info.apiVersion,
    kind: info.kind,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    exists: true,
    ...(m.deletionTimestamp ? { deletionTimestamp: String(m.deletionTimestamp) } : {}),
    finalizers: (m.finalizers ?? []).map((f, i) => finalizerFinding(info, f, i, cm)),
    owners: top ? await owners(view, info) : [],
    dependents: [],
    waitingFor: [],
    notes: [],
  };
  const deps = top || (m.finalizers ?? []).includes('foregroundDeletion') ? await view.dependentsOf(info) : [];
  e.dependents = deps.map((d) => ({ ref: refText(d), blockOwnerDeletion: d.metadata.ownerReferences?.some((r) => r.uid === m.uid && r.blockOwnerDeletion === true) ?? false }));
  if (!cm.running && e.finalizers.some((f) => f.handledBy && !f.dead && f.handlerRunning === false)) {
    e.notes.push(`kin's controller manager is not running (no live holder of the kube-system/kube-controller-manager Lease${cm.holder ? `; last held by ${cm.holder}` : ''}): its finalizers stay until it runs again.`);
  }
  if (m.deletionTimestamp) {
    if (opts.depth > 0) {
      if ((m.finalizers ?? []).includes('foregroundDeletion')) {
        const blocking = deps.filter((d) => d.metadata.ownerReferences?.some((r) => r.uid === m.uid && r.blockOwnerDeletion === true));
        e.waitingFor = await explainMany(view, blocking, cm, opts);
      }
      if (info.resource.group === '' && info.resource.plural === 'namespaces') {
        const contents = await view.candidatesIn(m.name);
        e.waitingFor.push(...(await explainMany(view, contents, cm, opts)));
        if (contents.length > opts.maxEntries) e.notes.push(`${contents.length} objects are left in the namespace; the first ${opts.maxEntries} are shown.`);
      }
    }
    if (info.resource.group === '' && info.resource.plural === 'namespaces') {
      const ns = info.object ?? (await view.get(info.resource, undefined, m.name ?? ''))?.object;
      const status = (ns?.['status'] ?? {}) as { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
      e.namespaceConditions = (status.conditions ?? []).filter((c) => c.status === 'True');
      const specFinalizers = ((ns?.['spec'] ?? {}) as { finalizers?: string[] }).finalizers ?? [];
      if (specFinalizers.length) e.specFinalizers = specFinalizers;
      for (const f of specFinalizers) {
        const known = knownFinalizers.get(f);
        e.notes.push(
          known
            ? `Its spec.finalizers holds "${f}": the ${known.component} controller removes it once ${known.waitsFor}${known.controllerManager && !cm.running ? ' (but the controller manager is not running)' : ''}.`
            : `Its spec.finalizers holds "${f}", which no kin controller handles: the namespace stays Terminating until whatever set it removes it (PUT the namespace's /finalize subresource without it to finish by hand).`,
        );
      }
    }
    if (info.resource.group === '' && info.resource.plural === 'pods' && (m.finalizers ?? []).length === 0) e.notes.push(...(await podNotes(view, info, opts.now)));
  } else if (top) {
    e.wouldDelete = await collectedWith(view, info, deps);
  }
  return e;
}

async function explainMany(view: ClusterView, objs: ObjectInfo[], cm: ControllerManagerState, opts: Walk): Promise<Explanation[]> {
  const shown = objs.slice(0, opts.maxEntries);
  // Pods are read in full (their node matters); one after another so that `seen` marks the first mention.
  const out: Explanation[] = [];
  for (const o of shown) {
    const info = (o.resource.group === '' && o.resource.plural === 'pods' && (await view.get(o.resource, o.metadata.namespace, o.metadata.name ?? ''))) || o;
    out.push(await explainInfo(view, info, cm, { ...opts, depth: opts.depth - 1 }, false));
  }
  return out;
}

function finalizerFinding(info: ObjectInfo, name: string, index: number, cm: ControllerManagerState): FinalizerFinding {
  const known = knownFinalizers.get(name);
  const ns = info.metadata.namespace ? ` -n ${info.metadata.namespace}` : '';
  const patch = JSON.stringify([
    { op: 'test', path: `/metadata/finalizers/${index}`, value: name },
    { op: 'remove', path: `/metadata/finalizers/${index}` },
  ]);
  const removeCommand = `kubectl patch ${refText(info)}${ns} --type=json -p '${patch}'`;
  if (!known) return { name, dead: true, removeCommand };
  return { name, handledBy: known.component, handlerRunning: known.controllerManager ? cm.running : true, waitsFor: known.waitsFor, dead: false, removeCommand };
}

async function owners(view: ClusterView, info: ObjectInfo): Promise<OwnerFinding[]> {
  return Promise.all(
    (info.metadata.ownerReferences ?? []).map(async (r): Promise<OwnerFinding> => {
      const base = { kind: r.kind, name: r.name, uid: r.uid, controller: r.controller === true, blockOwnerDeletion: r.blockOwnerDeletion === true };
      const res = view.resourceOf(r.apiVersion, r.kind);
      if (!res) return { ...base, ref: `${r.kind.toLowerCase()}/${r.name}`, state: 'unknown-kind' };
      const owner = await view.get(res, res.namespaced ? info.metadata.namespace : undefined, r.name);
      const ref = refText({ resource: res, metadata: { name: r.name } });
      return { ...base, ref, state: !owner ? 'missing' : owner.metadata.uid === r.uid ? 'exists' : 'replaced' };
    }),
  );
}

/** The objects a delete of `root` would collect: dependents all of whose owners are collected too. */
async function collectedWith(view: ClusterView, root: ObjectInfo, direct: ObjectInfo[]): Promise<string[]> {
  if (root.resource.group === '' && root.resource.plural === 'namespaces') {
    return (await view.candidatesIn(root.metadata.name)).map((o) => refText(o));
  }
  const gone = new Set([root.metadata.uid]);
  const out: string[] = [];
  let frontier = direct;
  while (frontier.length && out.length < 1000) {
    const next: ObjectInfo[] = [];
    for (const d of frontier) {
      if (gone.has(d.metadata.uid) || !(d.metadata.ownerReferences ?? []).every((r) => gone.has(r.uid))) continue;
      gone.add(d.metadata.uid);
      out.push(refText(d));
      next.push(...(await view.dependentsOf(d)));
    }
    frontier = next;
  }
  return out;
}

async function podNotes(view: ClusterView, pod: ObjectInfo, now: number): Promise<string[]> {
  const obj: KubeObject | undefined = pod.object;
  const nodeName = ((obj?.['spec'] ?? {}) as { nodeName?: string }).nodeName;
  const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
  const ends = Date.parse(String(pod.metadata.deletionTimestamp));
  const ref = refText(pod);
  const ns = pod.metadata.namespace ? ` -n ${pod.metadata.namespace}` : '';
  if (!nodeName) return [];
  const nodeRes = view.resourceOf('v1', 'Node');
  const node = nodeRes && (await view.get(nodeRes, undefined, nodeName));
  const ready = ((node?.object?.['status'] ?? {}) as { conditions?: { type: string; status: string }[] }).conditions?.find((c) => c.type === 'Ready')?.status;
  const lines = [
    `It is a pod on node ${nodeName}: the kubelet there stops its containers (grace period ${grace}s, ${ends > now ? `ending in ${Math.ceil((ends - now) / 1000)}s` : 'over'}) and then removes it.`,
  ];
  if (!node) lines.push(`Node ${nodeName} does not exist: no kubelet will remove the pod. Remove it with: kubectl delete ${ref}${ns} --grace-period=0 --force`);
  else if (ready !== 'True') lines.push(`Node ${nodeName} is not Ready (${ready ?? 'no Ready condition'}): its kubelet may never finish. Remove the pod with: kubectl delete ${ref}${ns} --grace-period=0 --force`);
  return lines;
}

async function controllerManagerState(view: ClusterView, now: number): Promise<ControllerManagerState> {
  try {
    const lease = await view.getJson<{ spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number } }>('/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager');
    const s = lease.spec ?? {};
    const renewed = s.renewTime ? Date.parse(s.renewTime) : NaN;
    const running = !!s.holderIdentity && Number.isFinite(renewed) && renewed + (s.leaseDurationSeconds ?? 15) * 1000 >= now - 5000;
    return { running, ...(s.holderIdentity ? { holder: s.holderIdentity } : {}) };
  } catch {
    return { running: false };
  }
}
