// autoscaling/v2 HorizontalPodAutoscaler (the storage version) and autoscaling/v1 served through conversion.
import type { HorizontalPodAutoscaler as KHPA, MetricSpec, MetricStatus, MetricTarget, HPAScalingRules } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, keepStatus, nameIsDNSSubdomain, nameIsPathSegment, resetStatus, statusSubresource, type GroupStrategy } from '../../apps/index.js';
import { defaultCPUUtilization, fromV1, toV1 } from './conversion.js';

/** An autoscaling/v2 HorizontalPodAutoscaler as the strategy sees it. */
export type HorizontalPodAutoscaler = KHPA & KubeObject;

const scaleUpDefaults = (): HPAScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
// Scale-down stabilization stays unset: the controller's flag (300s) applies.
const scaleDownDefaults = (): HPAScalingRules => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

function fillRules(r: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!r) return defaults;
  const out: HPAScalingRules = { ...defaults, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== null)) };
  return out;
}

/** SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, an 80% CPU target, and the behavior defaults when behavior is set. */
export function defaultHPA(h: HorizontalPodAutoscaler): void {
  const spec = (h.spec ??= { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } });
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length)
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } } }];
  if (spec.behavior) {
    spec.behavior.scaleUp = fillRules(spec.behavior.scaleUp, scaleUpDefaults());
    spec.behavior.scaleDown = fillRules(spec.behavior.scaleDown, scaleDownDefaults());
  }
}

function quantitySign(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const n = parseFloat(String(q));
  return Number.isNaN(n) ? 0 : Math.sign(n);
}

function validateTarget(t: MetricTarget | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errs.push(fieldError.required(child(path, 'type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') errs.push(fieldError.invalid(child(path, 'type'), type, 'must be either Utilization, Value, or AverageValue'));
  if (t?.value !== undefined && quantitySign(t.value) !== 1) errs.push(fieldError.invalid(child(path, 'value'), t.value, 'must be positive'));
  if (t?.averageValue !== undefined && quantitySign(t.averageValue) !== 1) errs.push(fieldError.invalid(child(path, 'averageValue'), t.averageValue, 'must be positive'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(fieldError.invalid(child(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  return errs;
}

const sourceTypes = ['Object', 'Pods', 'Resource', 'External', 'ContainerResource'];
const sourceField: Record<string, keyof MetricSpec> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };

function validateMetric(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!m.type) errs.push(fieldError.required(child(path, 'type'), 'must specify a metric source type'));
  if (!sourceTypes.includes(m.type)) errs.push(fieldError.notSupported(child(path, 'type'), m.type ?? '', sourceTypes));
  const present = Object.values(sourceField).filter((f) => m[f] !== undefined);
  if (present.length === 1) {
    const f = present[0]!;
    const src = m[f] as { name?: string; container?: string; metric?: { name?: string }; describedObject?: { kind?: string; name?: string }; target?: MetricTarget };
    const p = child(path, f);
    if (f === 'resource' || f === 'containerResource') {
      if (!src.name) errs.push(fieldError.required(child(p, 'name'), 'must specify a resource name'));
      if (f === 'containerResource' && !src.container) errs.push(fieldError.required(child(p, 'container'), 'must specify a container'));
      errs.push(...validateTarget(src.target, child(p, 'target')));
      if (src.target?.averageUtilization === undefined && src.target?.averageValue === undefined)
        errs.push(fieldError.required(child(child(p, 'target'), 'averageUtilization'), 'must set either a target raw value or a target utilization'));
      if (src.target?.averageUtilization !== undefined && src.target?.averageValue !== undefined)
        errs.push(fieldError.forbidden(child(child(p, 'target'), 'averageValue'), 'may not set both a target raw value and a target utilization'));
    } else {
      if (!src.metric?.name) errs.push(fieldError.required(child(child(p, 'metric'), 'name'), 'must specify a metric name'));
      if (f === 'object') {
        if (!src.describedObject?.kind) errs.push(fieldError.required(child(child(p, 'describedObject'), 'kind'), ''));
        if (!src.describedObject?.name) errs.push(fieldError.required(child(child(p, 'describedObject'), 'name'), ''));
      }
      errs.push(...validateTarget(src.target, child(p, 'target')));
    }
  }
  const expected = sourceField[m.type];
  if (expected && m[expected] === undefined) errs.push(fieldError.required(child(path, expected), 'must populate information for the given metric source'));
  if (present.length !== 1) for (const f of present) if (f !== expected) errs.push(fieldError.forbidden(child(path, f), 'must populate the given metric source only'));
  return errs;
}

function validateRules(r: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!r) return [];
  const errs: FieldError[] = [];
  const w = r.stabilizationWindowSeconds;
  if (w !== undefined && (w < 0 || w > 3600)) errs.push(fieldError.invalid(child(path, 'stabilizationWindowSeconds'), w, w < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600'));
  if (r.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) errs.push(fieldError.notSupported(child(path, 'selectPolicy'), r.selectPolicy, ['Max', 'Min', 'Disabled']));
  const policies = r.policies ?? [];
  if (!policies.length) errs.push(fieldError.required(child(path, 'policies'), 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = index(child(path, 'policies'), i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(fieldError.notSupported(child(pp, 'type'), p.type, ['Pods', 'Percent']));
    if (!(p.value > 0)) errs.push(fieldError.invalid(child(pp, 'value'), p.value, 'must be greater than zero'));
    if (!(p.periodSeconds > 0)) errs.push(fieldError.invalid(child(pp, 'periodSeconds'), p.periodSeconds, 'must be greater than zero'));
    else if (p.periodSeconds > 1800) errs.push(fieldError.invalid(child(pp, 'periodSeconds'), p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

/** validateHorizontalPodAutoscalerSpec. */
export function validateHPA(h: HorizontalPodAutoscaler): FieldError[] {
  const spec = h.spec ?? ({} as NonNullable<HorizontalPodAutoscaler['spec']>);
  const path = 'spec';
  const errs: FieldError[] = [];
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) errs.push(fieldError.invalid(child(path, 'minReplicas'), spec.minReplicas, 'must be greater than or equal to 1'));
  if (!((spec.maxReplicas ?? 0) >= 1)) errs.push(fieldError.invalid(child(path, 'maxReplicas'), spec.maxReplicas ?? 0, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && (spec.maxReplicas ?? 0) < spec.minReplicas) errs.push(fieldError.invalid(child(path, 'maxReplicas'), spec.maxReplicas ?? 0, 'must be greater than or equal to `minReplicas`'));
  const ref = spec.scaleTargetRef ?? { kind: '', name: '' };
  const refPath = child(path, 'scaleTargetRef');
  const refErrs: FieldError[] = [];
  if (!ref.kind) refErrs.push(fieldError.required(child(refPath, 'kind'), ''));
  else for (const m of nameIsPathSegment(ref.kind)) refErrs.push(fieldError.invalid(child(refPath, 'kind'), ref.kind, m));
  if (!ref.name) refErrs.push(fieldError.required(child(refPath, 'name'), ''));
  else for (const m of nameIsPathSegment(ref.name)) refErrs.push(fieldError.invalid(child(refPath, 'name'), ref.name, m));
  // Kubernetes reports the first failing part only: reference, then metrics, then behavior.
  if (refErrs.length) return [...errs, ...refErrs];
  const metricErrs = (spec.metrics ?? []).flatMap((m, i) => validateMetric(m, index(child(path, 'metrics'), i)));
  if (metricErrs.length) return [...errs, ...metricErrs];
  const b = spec.behavior;
  if (b) errs.push(...validateRules(b.scaleUp, child(child(path, 'behavior'), 'scaleUp')), ...validateRules(b.scaleDown, child(child(path, 'behavior'), 'scaleDown')));
  return errs;
}

function targetText(spec: MetricSpec, st: MetricStatus | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const src = spec.type === 'External' ? spec.external : spec.object;
      const cur = spec.type === 'External' ? st?.external?.current : st?.object?.current;
      if (src?.target?.averageValue !== undefined) return `${cur?.averageValue ?? unknown}/${src.target.averageValue} (avg)`;
      return `${cur?.value ?? unknown}/${src?.target?.value ?? ''}`;
    }
    case 'Pods':
      return `${st?.pods?.current?.averageValue ?? unknown}/${spec.pods?.target?.averageValue ?? ''}`;
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? st?.resource?.current : st?.containerResource?.current;
      if (src?.target?.averageValue !== undefined) return `${src.name}: ${cur?.averageValue ?? unknown}/${src.target.averageValue}`;
      const c = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : unknown;
      const t = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      return `${src?.name ?? ''}: ${c}/${t}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: at most two targets as `cpu: 30%/80%`, then `+ N more...`. */
export function formatHPAMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((s, i) => targetText(s, statuses?.[i]));
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** kubectl's columns for HorizontalPodAutoscalers. */
export const hpaPrinter: Printer<HorizontalPodAutoscaler> = {
  columns: [
    nameColumn,
    column('Reference', { description: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.' }),
    column('Targets', { description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.' }),
    column('MinPods', { description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.' }),
    column('MaxPods', { description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.' }),
    column('Replicas', { description: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.' }),
    ageColumn,
  ],
  row: (h, ctx) => [
    h.metadata?.name ?? '',
    `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`,
    formatHPAMetrics(h.spec?.metrics, h.status?.currentMetrics),
    h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : '<unset>',
    h.spec?.maxReplicas ?? 0,
    h.status?.currentReplicas ?? 0,
    age(h.metadata?.creationTimestamp, ctx.now),
  ],
};

/** The autoscaling/v2 HorizontalPodAutoscaler strategy (the storage version). */
export const hpaV2Strategy: GroupStrategy<HorizontalPodAutoscaler> = {
  info: builtinInfo('autoscaling', 'v2', 'HorizontalPodAutoscaler'),
  schemaName: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  nameValidation: nameIsDNSSubdomain,
  // the HPA strategy never sets metadata.generation
  generation: 'none',
  defaults: defaultHPA,
  prepareForCreate: (h) => resetStatus(h, { desiredReplicas: 0 }),
  prepareForUpdate: keepStatus,
  validate: validateHPA,
  printer: hpaPrinter,
  status: statusSubresource<HorizontalPodAutoscaler>(),
};

// v1 objects are checked and printed through their v2 form, so both versions agree on every rule.
const viaV2 = <R>(f: (h: HorizontalPodAutoscaler) => R) => (obj: KubeObject) => f(fromV1(obj) as HorizontalPodAutoscaler);

/** The autoscaling/v1 HorizontalPodAutoscaler strategy: served from v2 storage through `conversion`. */
export const hpaV1Strategy: GroupStrategy = {
  info: builtinInfo('autoscaling', 'v1', 'HorizontalPodAutoscaler'),
  schemaName: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults(obj) {
    const spec = (obj.spec ??= {}) as { minReplicas?: number };
    spec.minReplicas ??= 1;
  },
  prepareForCreate: (h) => resetStatus(h, { currentReplicas: 0, desiredReplicas: 0 }),
  prepareForUpdate: keepStatus,
  validate: viaV2(validateHPA),
  printer: { columns: hpaPrinter.columns, row: (obj, ctx) => hpaPrinter.row(fromV1(obj) as HorizontalPodAutoscaler, ctx) },
  status: statusSubresource(),
  storageResource: { group: 'autoscaling', plural: 'horizontalpodautoscalers' },
  conversion: { toStorage: fromV1, fromStorage: toV1 },
};
