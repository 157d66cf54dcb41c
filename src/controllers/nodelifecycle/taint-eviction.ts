// The taint eviction controller: a pod on a node with NoExecute taints is deleted once its tolerations run out —
// at once when a taint is not tolerated, after the smallest tolerationSeconds otherwise.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import { rfc3339, type Clock, type Logger, systemClock } from '../../util/index.js';
import { Controller, keyOf, splitKey, type EventRecorder, type Reconciler, type ReconcileResult, type SharedInformer } from '../runtime/index.js';
import { minTolerationMs } from './taints.js';

type NodeObj = Node & KubeObject;
type PodObj = Pod & KubeObject;

const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

/** Decides, per pod, whether and when NoExecute taints evict it; evicts when due. */
export class TaintEvictionReconciler implements Reconciler {
  private readonly clock: Clock;

  constructor(
    private readonly informers: { nodes: SharedInformer<NodeObj>; pods: SharedInformer<PodObj> },
    private readonly opts: { client: ApiClient; clock?: Clock; recorder?: EventRecorder },
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const pod = this.informers.pods.store.get(key);
    if (!pod || pod.metadata?.deletionTimestamp || !pod.spec?.nodeName) return;
    const node = this.informers.nodes.store.get(pod.spec.nodeName);
    const taints = (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return;
    const allowed = minTolerationMs(taints, pod.spec.tolerations ?? []);
    if (allowed === undefined) return;
    // The clock starts when the (latest) taint was added.
    const added = Math.max(...taints.map((t) => (t.timeAdded ? Date.parse(t.timeAdded) : this.clock.now())));
    const due = added + allowed;
    const now = this.clock.now();
    if (allowed > 0 && now < due) return { requeueAfterMs: due - now };
    await this.evict(pod, signal);
  }

  private async evict(pod: PodObj, signal: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(keyOf(pod));
    const pods = this.opts.client.resource<PodObj>(podsRef);
    const cond: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(this.clock.now()) };
    const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), cond];
    this.opts.recorder?.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    try {
      await pods.patch(name, 'merge', { status: { conditions } }, { namespace, subresource: 'status', signal });
      await pods.delete(name, { namespace, preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Builds the taint eviction controller: pods enqueue themselves, a node enqueues the pods on it. */
export function newTaintEvictionController(
  informers: { nodes: SharedInformer<NodeObj>; pods: SharedInformer<PodObj> },
  opts: { client: ApiClient; clock?: Clock; logger?: Logger; recorder?: EventRecorder },
): Controller {
  const c = new Controller({ name: 'taint-eviction-controller', reconciler: new TaintEvictionReconciler(informers, opts), workers: 4, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(informers.pods, (p) => [keyOf(p)], { predicate: (p) => !!p.spec?.nodeName });
  c.watch(informers.nodes, (n) => (n.spec?.taints?.some((t) => t.effect === 'NoExecute') ? informers.pods.store.byIndex('spec.nodeName', n.metadata?.name ?? '').map((p) => keyOf(p)) : []));
  return c;
}
