// The TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished Job once
// spec.ttlSecondsAfterFinished has passed since its Complete or Failed condition, with its dependents (foreground).
import type { Job as KJob } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, splitKey, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';

type Job = KJob & KubeObject;

const jobsRef: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };

/** When a Job finished (the transition time of its True Complete or Failed condition), or undefined. */
export function jobFinishTime(job: Job): number | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c?.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** Milliseconds until a finished Job with a TTL expires (≤ 0: expired); undefined when it has no TTL or has not finished. */
export function ttlRemainingMs(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = jobFinishTime(job);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - now;
}

/** How the reconciler is built. */
export interface TtlAfterFinishedOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
}

/** Deletes one Job (key `namespace/name`) when its TTL has expired, else asks to be called when it will. */
export class TtlAfterFinishedReconciler implements Reconciler {
  private readonly jobs: ResourceClient<Job>;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(opts: TtlAfterFinishedOptions) {
    this.jobs = opts.client.resource<Job>(jobsRef);
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    let job: Job;
    try {
      // Always the current Job: its TTL may have been changed or the Job recreated with the same name.
      job = await this.jobs.get(name, { namespace, signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const left = ttlRemainingMs(job, this.clock.now());
    if (left === undefined) return;
    // Node timers cannot wait past 2^31-1 ms: a TTL of weeks is looked at again daily.
    if (left > 0) return { requeueAfterMs: Math.min(left, 24 * 3_600_000) };
    this.log.info('cleaning up finished Job', { job: key });
    try {
      await this.jobs.delete(name, { namespace, propagationPolicy: 'Foreground', preconditions: { uid: job.metadata?.uid ?? '' }, signal });
    } catch (e) {
      // Gone already, or replaced by a new Job of the same name (uid precondition): nothing to do.
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }
}

/** Builds the controller: every Job add and update enqueues it. */
export function newTtlAfterFinishedController(factory: SharedInformerFactory, opts: TtlAfterFinishedOptions): Controller {
  const c = new Controller({
    name: 'ttl-after-finished',
    reconciler: new TtlAfterFinishedReconciler(opts),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  c.watch(factory.informerFor<Job>(jobsRef), undefined, { predicate: (j) => j.spec?.ttlSecondsAfterFinished !== undefined && j.spec.ttlSecondsAfterFinished !== null });
  return c;
}
