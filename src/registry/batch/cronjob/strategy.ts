// batch/v1 CronJob: defaults, schedule and time zone validation, the job template rules, status rules, columns.
import type { CronJob as KCronJob } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { defaultPodTemplateSpec } from '../../core/pod/index.js';
import {
  builtinInfo,
  resetStatus,
  containerCells,
  goLabelSelector,
  invalidGo,
  keepStatus,
  nameIsDNSSubdomain,
  formatLabelSelector,
  nonNegative,
  statusSubresource,
  type GroupStrategy,
} from '../../apps/index.js';
import { validateJobSpecCommon } from '../job/validation.js';
import { isKnownTimeZone, scheduleError } from '../../../machinery/index.js';

/** A CronJob as the strategy sees it. */
export type CronJob = KCronJob & KubeObject;

/** SetDefaults_CronJob plus the pod template defaults of the job template. */
export function defaultCronJob(cj: CronJob): void {
  const spec = (cj.spec ??= { schedule: '', jobTemplate: {} });
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = (spec.jobTemplate ??= {});
  const js = (jt.spec ??= { template: {} });
  js.template ??= {};
  defaultPodTemplateSpec(js.template);
}

/** validateScheduleFormat: parses, and rejects TZ/CRON_TZ in the schedule (the timeZone field replaces it). */
export function validateSchedule(schedule: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const msg = scheduleError(schedule);
  if (msg !== undefined) errs.push(fieldError.invalid(path, schedule, msg));
  if (schedule.includes('TZ')) errs.push(fieldError.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

const timeZonePartRe = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone: an explicit IANA zone. */
export function validateTimeZone(tz: string | undefined, path: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  if (tz.length === 0) return [fieldError.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !timeZonePartRe.test(part)) return [fieldError.invalid(path, tz, `unknown time zone ${tz}`)];
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(fieldError.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isKnownTimeZone(tz)) errs.push(fieldError.invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

/** ValidateCronJob (create): name length, schedule, time zone, policy, job template and history limits. */
export function validateCronJob(cj: CronJob): FieldError[] {
  const errs: FieldError[] = [];
  const name = cj.metadata?.name ?? '';
  // Jobs are named `<cronjob>-<11 chars>` and must fit in 63 characters.
  if (name.length > 52) errs.push(fieldError.invalid('metadata.name', name, 'must be no more than 52 characters'));
  const spec = cj.spec;
  const path = 'spec';
  if (!spec) return [...errs, fieldError.required(path, '')];
  if (!spec.schedule) errs.push(fieldError.required(child(path, 'schedule'), ''));
  else errs.push(...validateSchedule(spec.schedule, child(path, 'schedule')));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, child(path, 'startingDeadlineSeconds')));
  errs.push(...validateTimeZone(spec.timeZone, child(path, 'timeZone')));
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') errs.push(fieldError.required(child(path, 'concurrencyPolicy'), ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(fieldError.notSupported(child(path, 'concurrencyPolicy'), cp, ['Allow', 'Forbid', 'Replace']));
  const jtPath = child(child(path, 'jobTemplate'), 'spec');
  const js = spec.jobTemplate?.spec;
  if (!js) errs.push(fieldError.required(jtPath, ''));
  else {
    errs.push(...validateJobSpecCommon(js, jtPath));
    if (js.selector) errs.push(invalidGo(child(jtPath, 'selector'), goLabelSelector(js.selector), '`selector` will be auto-generated'));
    if (js.manualSelector) errs.push(fieldError.notSupported(child(jtPath, 'manualSelector'), true, ['nil', 'false']));
  }
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, child(path, 'successfulJobsHistoryLimit')));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, child(path, 'failedJobsHistoryLimit')));
  return errs;
}

/** kubectl's columns for CronJobs. */
export const cronJobPrinter: Printer<CronJob> = {
  columns: [
    nameColumn,
    column('Schedule', { description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.' }),
    column('Timezone', { description: 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones' }),
    column('Suspend', { type: 'boolean', description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.' }),
    column('Active', { type: 'integer', description: 'A list of pointers to currently running jobs.' }),
    column('Last Schedule', { description: 'Information when was the last time the job was successfully scheduled.' }),
    ageColumn,
    column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
    column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
    column('Selector', { priority: 1, description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' }),
  ],
  row(cj, ctx) {
    const js = cj.spec?.jobTemplate?.spec;
    const [containers, images] = containerCells(js?.template?.spec);
    const suspend = cj.spec?.suspend;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      suspend === undefined ? '<unset>' : suspend ? 'True' : 'False',
      cj.status?.active?.length ?? 0,
      cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, ctx.now) : '<none>',
      age(cj.metadata?.creationTimestamp, ctx.now),
      containers,
      images,
      // FormatLabelSelector: a job template without a selector shows <none>
      formatLabelSelector(js?.selector),
    ];
  },
};

/** The CronJob strategy. */
export const cronJobStrategy: GroupStrategy<CronJob> = {
  info: builtinInfo('batch', 'v1', 'CronJob'),
  schemaName: 'io.k8s.api.batch.v1.CronJob',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultCronJob,
  prepareForCreate: (cj) => resetStatus(cj),
  prepareForUpdate: keepStatus,
  validate: validateCronJob,
  printer: cronJobPrinter,
  status: statusSubresource<CronJob>(),
};
