// Pieces shared by the workload strategies (apps and batch): status handling, template checks, table cells.
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/index.js';
import { child, fieldError, type FieldError } from '../../machinery/index.js';
import { deepEqualJson } from '../compare.js';
import type { StrategyContext, SubresourceStrategy } from '../strategy.js';
import { validatePodTemplateSpec } from '../core/pod/index.js';
import { compileSelector, selectorIsEmpty, selectorMatches, validateLabelSelector } from './label-selector.js';
import { goStringMap, invalidGo } from './validation-helpers.js';

/** Removes the status a client sent on create (the controllers own it). */
export function clearStatus(obj: KubeObject): void {
  delete obj.status;
}

/**
 * Replaces the status a client sent on create with the empty status Kubernetes stores: `{}` plus the counters its
 * JSON encoding never omits (`replicas: 0` for ReplicaSets), so `{.status.replicas}` reads 0 as on a real cluster.
 */
export function resetStatus(obj: KubeObject, zero: Readonly<Record<string, unknown>> = {}): void {
  obj.status = structuredClone(zero) as KubeObject['status'];
}

/** Keeps the stored status on a main-resource update (a copy: stored objects are shared and never mutated). */
export function keepStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = structuredClone(old.status);
}

/** Copies every top-level field but metadata and status from `old`: what a status update may not change. */
export function keepAllButStatus(obj: KubeObject, old: KubeObject): void {
  for (const k of Object.keys(obj)) if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') obj[k] = structuredClone(v);
}

/** A status subresource: only status changes; `keepLabels` also keeps metadata.labels (Deployments); `validate` checks the new status. */
export function statusSubresource<T extends KubeObject>(
  opts: { keepLabels?: boolean; validate?: (obj: T, old: T, ctx: StrategyContext) => FieldError[] } = {},
): SubresourceStrategy<T> {
  return {
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
      if (opts.keepLabels && obj.metadata) {
        if (old.metadata?.labels) obj.metadata.labels = { ...old.metadata.labels };
        else delete obj.metadata.labels;
      }
    },
    validateUpdate: (obj, old, ctx) => opts.validate?.(obj, old, ctx) ?? [],
  };
}

/** Bumps metadata.generation to old+1 (the store does the same for spec changes; both agree). */
export function bumpGeneration(obj: KubeObject, old: KubeObject): void {
  if (obj.metadata) obj.metadata.generation = (old.metadata?.generation ?? 0) + 1;
}

/** The Containers and Images cells of workload tables: names and images joined by commas. */
export function containerCells(spec: PodSpec | undefined): [string, string] {
  const cs = spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** `selector` validation shared by Deployment, ReplicaSet and StatefulSet: required, well-formed, not empty. */
export function validateControllerSelector(sel: LabelSelector | undefined, path: string, kindWord: string): FieldError[] {
  if (!sel) return [fieldError.required(child(path, 'selector'), '')];
  const errs = validateLabelSelector(sel, child(path, 'selector'));
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) === 0)
    errs.push(fieldError.invalid(child(path, 'selector'), sel, `empty selector is invalid for ${kindWord}`));
  return errs;
}

/** The `selector does not match template labels` rule; `skipEmpty` skips it for an empty selector as ReplicaSets do. */
export function selectorMatchesTemplate(sel: LabelSelector | undefined, template: PodTemplateSpec | undefined, templatePath: string, skipEmpty: boolean): FieldError[] {
  const compiled = compileSelector(sel);
  if (!compiled) return [];
  if (skipEmpty && (compiled.nothing || selectorIsEmpty(compiled))) return [];
  const labels = template?.metadata?.labels;
  if (selectorMatches(compiled, labels)) return [];
  return [invalidGo(child(child(templatePath, 'metadata'), 'labels'), goStringMap(labels), '`selector` does not match template `labels`')];
}

/** ValidatePodTemplateSpecForReplicaSet: selector match, the pod template, restartPolicy Always, no activeDeadlineSeconds. */
export function validateReplicatedTemplate(sel: LabelSelector | undefined, template: PodTemplateSpec | undefined, path: string, kind: string): FieldError[] {
  if (!template) return [fieldError.required(path, '')];
  const errs = selectorMatchesTemplate(sel, template, path, true);
  errs.push(...validatePodTemplateSpec(template, path));
  errs.push(...restartAlwaysOnly(template, path, kind));
  return errs;
}

/** Pods of long-running controllers must restart Always and may not have activeDeadlineSeconds. */
export function restartAlwaysOnly(template: PodTemplateSpec, path: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const specPath = child(path, 'spec');
  const rp = template.spec?.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(fieldError.notSupported(child(specPath, 'restartPolicy'), rp, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined)
    errs.push(fieldError.forbidden(child(specPath, 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

/** Status counters that may not exceed status.replicas (and available ≤ ready), with Kubernetes' messages. */
export function validateReplicaCounts(status: unknown, fields: string[], path: string, availableVsReady: string): FieldError[] {
  const s = (status ?? {}) as Record<string, number | undefined>;
  const errs: FieldError[] = [];
  const replicas = s.replicas ?? 0;
  for (const f of fields) {
    const v = s[f];
    if (typeof v === 'number' && v < 0) errs.push(fieldError.invalid(child(path, f), v, 'must be greater than or equal to 0'));
  }
  for (const f of fields) {
    if (f === 'replicas' || f === 'observedGeneration' || f === 'collisionCount' || f === 'unavailableReplicas') continue;
    const v = s[f] ?? 0;
    if (v > replicas) errs.push(fieldError.invalid(child(path, f), v, 'cannot be greater than status.replicas'));
  }
  if (fields.includes('availableReplicas') && (s.availableReplicas ?? 0) > (s.readyReplicas ?? 0))
    errs.push(fieldError.invalid(child(path, 'availableReplicas'), s.availableReplicas ?? 0, availableVsReady));
  return errs;
}

/** `status.collisionCount` may not go down. */
export function collisionCountNotDecremented(obj: KubeObject, old: KubeObject): FieldError[] {
  const n = (obj.status as { collisionCount?: number } | undefined)?.collisionCount;
  const o = (old.status as { collisionCount?: number } | undefined)?.collisionCount;
  if (o === undefined) return [];
  if (n === undefined || n < o) return [fieldError.invalid('status.collisionCount', n ?? 0, 'cannot be decremented')];
  return [];
}

/** True when two JSON values differ. */
export function changed(a: unknown, b: unknown): boolean {
  return !deepEqualJson(a ?? null, b ?? null);
}
