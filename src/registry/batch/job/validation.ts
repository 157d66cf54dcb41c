// validateJobSpec: the rules a Job spec and a CronJob's job template share.
import type { JobSpec } from 'kubernetes-types/batch/v1.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { validatePodTemplateSpec } from '../../core/pod/index.js';
import { nonNegative } from '../../apps/index.js';

/** Most pods an Indexed Job may run at once. */
export const maxParallelismForIndexedJob = 100_000;

/** Checks counts, completion mode, replacement policy, the pod template and its restart policy. */
export function validateJobSpecCommon(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.parallelism, child(path, 'parallelism')));
  errs.push(...nonNegative(spec.completions, child(path, 'completions')));
  errs.push(...nonNegative(spec.activeDeadlineSeconds, child(path, 'activeDeadlineSeconds')));
  errs.push(...nonNegative(spec.backoffLimit, child(path, 'backoffLimit')));
  errs.push(...nonNegative(spec.ttlSecondsAfterFinished, child(path, 'ttlSecondsAfterFinished')));
  const indexed = spec.completionMode === 'Indexed';
  if (spec.backoffLimitPerIndex !== undefined) {
    errs.push(...nonNegative(spec.backoffLimitPerIndex, child(path, 'backoffLimitPerIndex')));
    if (!indexed) errs.push(fieldError.invalid(child(path, 'backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...nonNegative(spec.maxFailedIndexes, child(path, 'maxFailedIndexes')));
    if (spec.backoffLimitPerIndex === undefined) errs.push(fieldError.required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec.completionMode !== undefined) {
    if (spec.completionMode !== 'NonIndexed' && !indexed) errs.push(fieldError.notSupported(child(path, 'completionMode'), spec.completionMode, ['NonIndexed', 'Indexed']));
    if (indexed) {
      if (spec.completions === undefined) errs.push(fieldError.required(child(path, 'completions'), 'when completion mode is Indexed'));
      if ((spec.parallelism ?? 0) > maxParallelismForIndexedJob)
        errs.push(fieldError.invalid(child(path, 'parallelism'), spec.parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
    }
  }
  if (spec.podReplacementPolicy !== undefined) {
    const p = child(path, 'podReplacementPolicy');
    if (spec.podFailurePolicy) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(fieldError.notSupported(p, spec.podReplacementPolicy, ['Failed']));
    } else if (spec.podReplacementPolicy !== 'Failed' && spec.podReplacementPolicy !== 'TerminatingOrFailed') {
      errs.push(fieldError.notSupported(p, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  const tPath = child(path, 'template');
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, tPath));
  const rp = spec.template?.spec?.restartPolicy ?? '';
  const rpPath = child(child(tPath, 'spec'), 'restartPolicy');
  // Pod defaulting turns an unset restartPolicy into Always, so both mean "not chosen".
  if (rp === 'Always' || rp === '') errs.push(fieldError.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(fieldError.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && rp !== 'Never') errs.push(fieldError.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}
