// The CronJob controller (pkg/controller/cronjob, the v2 controller): creates a Job for each scheduled time,
// honouring suspend, startingDeadlineSeconds and concurrencyPolicy, follows its Jobs in status.active,
// lastScheduleTime and lastSuccessfulTime, and deletes finished Jobs beyond the history limits.
import type { CronJob as KCronJob, Job as KJob } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { isAlreadyExists, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { rfc3339, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, enqueueOwner, splitKey, type EventRecorder, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { isValidTimeZone, jobNameFor, nextScheduleDelayMs, mostRecentScheduleTime, parseSchedule, rfc1123z, rfc3339In, type Schedule } from './schedule.js';

/** A CronJob as the controller reads it. */
export type CronJob = KCronJob & KubeObject;
/** A Job as the controller reads it. */
export type Job = KJob & KubeObject;

/** The annotation telling a Job which scheduled time it runs for. */
export const cronJobScheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const cronJobsRef: ResourceRef = { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true };
const jobsRef: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };

/** The finished condition of a Job (Complete or Failed, True), if any. */
function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** The Job a CronJob creates for a scheduled time. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const tmpl = cj.spec?.jobTemplate ?? {};
  const annotations = { ...(tmpl.metadata?.annotations ?? {}), [cronJobScheduledTimestampAnnotation]: rfc3339In(scheduledMs, cj.spec?.timeZone ?? 'UTC') };
  const metadata: NonNullable<Job['metadata']> = {
    name: jobNameFor(cj.metadata?.name ?? '', scheduledMs),
    namespace: cj.metadata?.namespace ?? '',
    annotations,
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata?.name ?? '', uid: cj.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  if (tmpl.metadata?.labels) metadata.labels = { ...tmpl.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(tmpl.spec ?? { template: {} }) };
}

function refOf(job: Job): ObjectReference {
  const m = job.metadata ?? {};
  const ref: ObjectReference = { kind: 'Job', apiVersion: 'batch/v1' };
  if (m.namespace) ref.namespace = m.namespace;
  if (m.name) ref.name = m.name;
  if (m.uid) ref.uid = m.uid;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  return ref;
}

/** What one sync decided: the CronJob (status edited in place), whether to write its status, when to come back. */
interface SyncState {
  cj: CronJob;
  updateStatus: boolean;
  requeueAfterMs?: number;
}

function removeActive(cj: CronJob, uid: string): void {
  const active = cj.status?.active ?? [];
  const i = active.findIndex((r) => r.uid === uid);
  if (i >= 0) active.splice(i, 1);
}

/** How the CronJob reconciler is built. */
export interface CronJobReconcilerOptions {
  client: ApiClient;
  recorder: EventRecorder;
  clock?: Clock;
  logger?: Logger;
}

/** Syncs one CronJob (key `namespace/name`). */
export class CronJobReconciler implements Reconciler {
  private readonly cronJobs: ResourceClient<CronJob>;
  private readonly jobs: ResourceClient<Job>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;

  constructor(opts: CronJobReconcilerOptions) {
    this.cronJobs = opts.client.resource<CronJob>(cronJobsRef);
    this.jobs = opts.client.resource<Job>(jobsRef);
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.recorder = opts.recorder;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    let cj: CronJob;
    try {
      cj = await this.cronJobs.get(name, { namespace, signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const { items } = await this.jobs.list({ namespace, signal });
    // Every Job whose controller reference names this CronJob, whatever its labels now say.
    const jobs = items.filter((j) => (j.metadata?.ownerReferences ?? []).some((r) => r.controller && r.kind === 'CronJob' && r.name === name));
    cj.status ??= {};
    const state: SyncState = { cj, updateStatus: await this.cleanupFinishedJobs(cj, jobs, signal) };
    let syncError: unknown;
    try {
      await this.syncCronJob(state, jobs, signal);
    } catch (e) {
      syncError = e;
    }
    if (state.updateStatus) {
      const st = state.cj.status ?? {};
      if (st.active?.length === 0) delete st.active;
      await this.cronJobs.update(state.cj, { subresource: 'status', signal });
    }
    // Node timers cannot wait past 2^31-1 ms: a far activation (@yearly) is looked at again daily.
    if (state.requeueAfterMs !== undefined) return { requeueAfterMs: Math.min(Math.max(0, state.requeueAfterMs), 24 * 3_600_000) };
    if (syncError !== undefined) throw syncError;
    return undefined;
  }

  /** syncCronJob: follows the CronJob's Jobs and starts the one due now; records what the status needs in `state`. */
  private async syncCronJob(state: SyncState, jobs: Job[], signal: AbortSignal): Promise<void> {
    let cj = state.cj;
    const namespace = cj.metadata?.namespace ?? '';
    const children = new Set<string>();
    for (const j of jobs) {
      const juid = j.metadata?.uid ?? '';
      children.add(juid);
      const inActive = (cj.status?.active ?? []).some((r) => r.uid === juid);
      const finished = finishedType(j);
      if (!inActive && !finished) {
        // A Job we control that status does not list: maybe our status is stale, so read it again first.
        const fresh = await this.cronJobs.get(cj.metadata?.name ?? '', { namespace, signal });
        if ((fresh.status?.active ?? []).some((r) => r.uid === juid)) {
          fresh.status ??= {};
          state.cj = cj = fresh;
          continue;
        }
        // Created before a crash, or by hand (kubectl create job --from=cronjob/...).
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name ?? ''}`);
      } else if (finished) {
        if (inActive) {
          removeActive(cj, juid);
          this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name ?? ''}, condition: ${finished}`);
          state.updateStatus = true;
        }
        const done = j.status?.completionTime;
        if (finished === 'Complete' && done) {
          const last = cj.status!.lastSuccessfulTime;
          if (!last || Date.parse(done) > Date.parse(last)) {
            cj.status!.lastSuccessfulTime = done;
            state.updateStatus = true;
          }
        }
      }
    }
    // Active Jobs the list did not show: ask the server before forgetting them.
    for (const ref of [...(cj.status?.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await this.jobs.get(ref.name ?? '', { namespace: ref.namespace ?? namespace, signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        removeActive(cj, ref.uid ?? '');
        state.updateStatus = true;
      }
    }
    if (cj.metadata?.deletionTimestamp) return;
    const timeZone = cj.spec?.timeZone;
    if (timeZone != null && !isValidTimeZone(timeZone)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${timeZone}": unknown time zone ${timeZone}`);
      return;
    }
    if (cj.spec?.suspend) return;
    const schedule = cj.spec?.schedule ?? '';
    if (schedule.includes('TZ')) {
      this.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule "${schedule}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    let sched: Schedule;
    try {
      sched = parseSchedule(schedule, timeZone ?? 'UTC');
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${schedule}" : ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const now = this.clock.now();
    const st = cj.status!;
    const scheduleState = () => ({ creationTimestamp: cj.metadata?.creationTimestamp, lastScheduleTime: st.lastScheduleTime, startingDeadlineSeconds: cj.spec?.startingDeadlineSeconds });
    const requeue = () => {
      const ms = nextScheduleDelayMs(scheduleState(), now, sched);
      if (ms !== undefined) state.requeueAfterMs = ms;
    };
    let scheduled: number | undefined;
    try {
      const r = mostRecentScheduleTime(scheduleState(), now, sched, true);
      scheduled = r.mostRecent;
      if (scheduled !== undefined && r.missed === 'many') {
        this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      }
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${schedule} : ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (scheduled === undefined) return requeue();
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline != null && scheduled + deadline * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return requeue();
    }
    const jobName = jobNameFor(cj.metadata?.name ?? '', scheduled);
    const active = (st.active ??= []);
    if (active.some((r) => r.name === jobName) || (st.lastScheduleTime && Date.parse(st.lastScheduleTime) === scheduled)) return requeue();
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return requeue();
    }
    if (policy === 'Replace') {
      for (const ref of [...active]) {
        let job: Job;
        try {
          job = await this.jobs.get(ref.name ?? '', { namespace: ref.namespace ?? namespace, signal });
        } catch (e) {
          this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${e instanceof Error ? e.message : String(e)}`);
          throw e;
        }
        if (!(await this.deleteJob(cj, job, signal))) throw new Error(`could not replace job ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`);
        state.updateStatus = true;
      }
    }
    let created: Job;
    try {
      created = await this.jobs.create(jobFromTemplate(cj, scheduled), { namespace, signal });
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? ''}`);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      }
      // Created by an earlier sync whose status write was lost (the name is the lock), or by someone else.
      created = await this.jobs.get(jobName, { namespace, signal });
      const ours = (created.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === cj.metadata?.uid);
      if (!ours || active.some((r) => r.uid === created.metadata?.uid)) return;
      this.log.info('job already exists', { cronjob: cj.metadata?.name, job: jobName });
    }
    active.push(refOf(created));
    st.lastScheduleTime = rfc3339(scheduled);
    state.updateStatus = true;
    requeue();
  }

  /** Deletes a Job with its pods (background); true when it is gone from status.active. */
  private async deleteJob(cj: CronJob, job: Job, signal: AbortSignal): Promise<boolean> {
    const name = job.metadata?.name ?? '';
    try {
      await this.jobs.delete(name, { namespace: job.metadata?.namespace ?? '', propagationPolicy: 'Background', signal });
    } catch (e) {
      if (!isNotFound(e)) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
    }
    removeActive(cj, job.metadata?.uid ?? '');
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    return true;
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[], signal: AbortSignal): Promise<boolean> {
    const okLimit = cj.spec?.successfulJobsHistoryLimit;
    const failLimit = cj.spec?.failedJobsHistoryLimit;
    if (okLimit == null && failLimit == null) return false;
    let changed = false;
    const remove = async (list: Job[], limit: number | null | undefined) => {
      if (limit == null || list.length <= limit) return;
      list.sort(byStartTime);
      for (const j of list.slice(0, list.length - limit)) if (await this.deleteJob(cj, j, signal)) changed = true;
    };
    await remove(jobs.filter((j) => finishedType(j) === 'Complete'), okLimit);
    await remove(jobs.filter((j) => finishedType(j) === 'Failed'), failLimit);
    this.log.debug('cronjob history cleaned', { cronjob: cj.metadata?.name, changed });
    return changed;
  }
}

/** Oldest start first; Jobs not started yet last; then by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa && sb && sa !== sb) return Date.parse(sa) - Date.parse(sb);
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Builds the CronJob controller: CronJobs enqueue themselves, Jobs enqueue the CronJob that controls them. */
export function newCronJobController(factory: SharedInformerFactory, opts: CronJobReconcilerOptions & { workers?: number }): Controller {
  const c = new Controller({
    name: 'cronjob',
    reconciler: new CronJobReconciler(opts),
    workers: opts.workers ?? 5,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  c.watch(factory.informerFor<CronJob>(cronJobsRef));
  c.watch(factory.informerFor<Job>(jobsRef), enqueueOwner('CronJob', { group: 'batch', onlyController: true }));
  return c;
}
