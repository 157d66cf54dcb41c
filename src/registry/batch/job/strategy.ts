// batch/v1 Job: defaults, the generated selector and labels, validation, status rules, field selector, columns.
import type { Job as KJob, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, humanDuration, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { defaultPodTemplateSpec } from '../../core/pod/index.js';
import {
  builtinInfo,
  changed,
  resetStatus,
  compileSelector,
  containerCells,
  formatLabelSelector,
  goLabelSelector,
  goStringMap,
  immutable,
  invalidGo,
  keepStatus,
  nameIsDNSSubdomain,
  selectorMatches,
  statusSubresource,
  validateLabelSelector,
  type GroupStrategy,
} from '../../apps/index.js';
import { validateJobSpecCommon } from './validation.js';

/** A Job as the strategy sees it. */
export type Job = KJob & KubeObject;

/** The labels a Job's pods carry when its selector is generated. */
export const jobLabels = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;

/** SetDefaults_Job plus the pod template defaults. */
export function defaultJob(job: Job): void {
  const spec = (job.spec ??= { template: {} });
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const tmplLabels = spec.template?.metadata?.labels;
  if (tmplLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) (job.metadata ??= {}).labels = { ...tmplLabels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const p of rule.onPodConditions ?? []) p.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/** generateSelector: the pods' identifying labels and a selector on the controller uid (unless manualSelector). */
export function generateSelector(job: Job): void {
  const spec = job.spec;
  if (!spec || spec.manualSelector) return;
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const tmeta = ((spec.template ??= {}).metadata ??= {});
  // Job labels copied from the template by defaulting follow the template, as they share one map in Kubernetes.
  const jobLabelsFollow = Object.keys(job.metadata?.labels ?? {}).length === 0 || !changed(job.metadata?.labels, tmeta.labels);
  const labels = (tmeta.labels = { ...(tmeta.labels ?? {}) });
  // Labels the user already set are kept; a conflicting value is rejected by validation.
  for (const k of [jobLabels.legacyJobName, jobLabels.jobName]) if (!(k in labels)) labels[k] = name;
  for (const k of [jobLabels.legacyControllerUid, jobLabels.controllerUid]) if (!(k in labels)) labels[k] = uid;
  const sel = (spec.selector ??= {});
  const matchLabels = (sel.matchLabels = { ...(sel.matchLabels ?? {}) });
  if (!(jobLabels.controllerUid in matchLabels)) matchLabels[jobLabels.controllerUid] = uid;
  if (jobLabelsFollow) (job.metadata ??= {}).labels = { ...labels };
}

function hasLabel(job: Job, key: string, want: string): FieldError[] {
  const labels = job.spec?.template?.metadata?.labels ?? {};
  const path = `spec.template.metadata.labels[${key}]`;
  if (!(key in labels)) return [fieldError.required(path, want)];
  if (labels[key] !== want) return [invalidGo(path, goStringMap(labels), `must be '${want}'`)];
  return [];
}

/** validateGeneratedSelector: with a generated selector the template must carry the uid and name labels. */
function validateGeneratedSelector(job: Job): FieldError[] {
  if (job.spec?.manualSelector) return [];
  if (!job.spec?.template?.metadata?.labels) return [fieldError.required('spec.template.metadata.labels', '')];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const errs = [
    ...hasLabel(job, jobLabels.controllerUid, uid),
    ...hasLabel(job, jobLabels.jobName, name),
    ...hasLabel(job, jobLabels.legacyControllerUid, uid),
    ...hasLabel(job, jobLabels.legacyJobName, name),
  ];
  const sel = compileSelector(job.spec.selector);
  if (sel && !selectorMatches(sel, { [jobLabels.controllerUid]: uid }))
    errs.push(invalidGo('spec.selector', goLabelSelector(job.spec.selector), '`selector` not auto-generated'));
  return errs;
}

/** ValidateJob: generated selector, spec, selector/template agreement and the indexed pod host name limit. */
export function validateJob(job: Job): FieldError[] {
  const spec = job.spec;
  if (!spec) return [fieldError.required('spec', '')];
  const errs = validateGeneratedSelector(job);
  errs.push(...validateJobSpecCommon(spec, 'spec'));
  if (!spec.selector) errs.push(fieldError.required('spec.selector', ''));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const sel = compileSelector(spec.selector);
  if (sel && !selectorMatches(sel, spec.template?.metadata?.labels))
    errs.push(invalidGo('spec.template.metadata.labels', goStringMap(spec.template?.metadata?.labels), '`selector` does not match template `labels`'));
  if (spec.completionMode === 'Indexed' && (spec.completions ?? 0) > 0) {
    const host = `${job.metadata?.name ?? ''}-${(spec.completions ?? 1) - 1}`;
    if (host.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(host))
      errs.push(fieldError.invalid('metadata.name', job.metadata?.name ?? '', `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

/** Scheduling directives of a suspended Job that never started may change; everything else in the template may not. */
function comparableTemplate(spec: JobSpec, other: JobSpec, mutableDirectives: boolean): unknown {
  const t = structuredClone(spec.template ?? {}) as Record<string, any>;
  if (!mutableDirectives) return t;
  const o = other.template ?? {};
  t.metadata = { ...(t.metadata ?? {}), labels: o.metadata?.labels, annotations: o.metadata?.annotations };
  t.spec = { ...(t.spec ?? {}), nodeSelector: o.spec?.nodeSelector, tolerations: o.spec?.tolerations, schedulingGates: o.spec?.schedulingGates };
  if (t.spec.affinity || o.spec?.affinity) t.spec.affinity = { ...(t.spec.affinity ?? {}), nodeAffinity: o.spec?.affinity?.nodeAffinity };
  if (t.spec.affinity && Object.values(t.spec.affinity).every((v) => v === undefined)) delete t.spec.affinity;
  return t;
}

/** ValidateJobSpecUpdate: the immutable parts of a Job. */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const spec = job.spec ?? { template: {} };
  const oldSpec = old.spec ?? { template: {} };
  const errs: FieldError[] = [];
  // Indexed Jobs may scale completions together with parallelism ("elastic" indexed Jobs).
  const elastic = spec.completionMode === 'Indexed' && spec.completions !== undefined && spec.completions === spec.parallelism;
  if (!elastic) errs.push(...immutable(spec.completions, oldSpec.completions, 'spec.completions'));
  errs.push(...immutable(spec.selector, oldSpec.selector, 'spec.selector', goLabelSelector));
  const mutableDirectives = !!oldSpec.suspend && !old.status?.startTime;
  if (changed(comparableTemplate(oldSpec, spec, mutableDirectives), spec.template ?? {}))
    errs.push(fieldError.invalid('spec.template', spec.template ?? {}, 'field is immutable'));
  errs.push(...immutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode'));
  errs.push(...immutable(spec.podFailurePolicy, oldSpec.podFailurePolicy, 'spec.podFailurePolicy'));
  errs.push(...immutable(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  errs.push(...immutable(spec.managedBy, oldSpec.managedBy, 'spec.managedBy'));
  errs.push(...immutable(spec.successPolicy, oldSpec.successPolicy, 'spec.successPolicy'));
  return errs;
}

function hasCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** The Status cell of the Jobs table. */
export function jobStatusWord(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** The Completions cell: `1/3`, or `0/1 of 4` for a work-queue Job. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** The Duration cell: from start to completion, or to now while running; empty before the start. */
export function jobDuration(job: Job, now: number): string {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - start);
}

/** kubectl's columns for Jobs. */
export const jobPrinter: Printer<Job> = {
  columns: [
    nameColumn,
    column('Status', { description: 'Status of the job.' }),
    column('Completions', { description: 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.' }),
    column('Duration', { description: 'Time required to complete the job.' }),
    ageColumn,
    column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
    column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
    column('Selector', { priority: 1, description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' }),
  ],
  row(job, ctx) {
    const [containers, images] = containerCells(job.spec?.template?.spec);
    return [
      job.metadata?.name ?? '',
      jobStatusWord(job),
      jobCompletions(job),
      jobDuration(job, ctx.now),
      age(job.metadata?.creationTimestamp, ctx.now),
      containers,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

/** The Job strategy. */
export const jobStrategy: GroupStrategy<Job> = {
  info: builtinInfo('batch', 'v1', 'Job'),
  schemaName: 'io.k8s.api.batch.v1.Job',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultJob,
  prepareForCreate(job) {
    generateSelector(job);
    resetStatus(job);
  },
  prepareForUpdate: keepStatus,
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  printer: jobPrinter,
  selectableFields: (job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) }),
  status: statusSubresource<Job>(),
};
