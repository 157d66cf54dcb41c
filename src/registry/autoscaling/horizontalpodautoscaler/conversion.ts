// autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscalers, as Kubernetes converts them: v1 carries only a
// CPU utilization target; everything else rides in `autoscaling.alpha.kubernetes.io/*` annotations.
import type { KubeObject } from '../../../api/index.js';

/** Annotation with the v2 metrics v1 cannot express (in v1's MetricSpec form). */
export const metricSpecsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
/** Annotation with the current metric statuses (in v1's MetricStatus form). */
export const metricStatusesAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** Annotation with the status conditions. */
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
/** Annotation with spec.behavior (Go field names, as Kubernetes writes it). */
export const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';
/** The CPU utilization a v1 HPA without a target aims at. */
export const defaultCPUUtilization = 80;

const roundTrip = [metricSpecsAnnotation, metricStatusesAnnotation, conditionsAnnotation, behaviorAnnotation];

type Obj = Record<string, any>;

function setIf(o: Obj, k: string, v: unknown): void {
  if (v !== undefined && v !== null) o[k] = v;
}

function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) if (!roundTrip.includes(k)) out[k] = v;
  return out;
}

function isCpuUtilization(m: Obj): boolean {
  return m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization !== undefined;
}

// ---- metric specs and statuses: v2 ↔ v1 shapes -------------------------------------------------

function specToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.object) {
    const o: Obj = { target: m.object.describedObject ?? {}, metricName: m.object.metric?.name ?? '', targetValue: m.object.target?.value ?? '0' };
    setIf(o, 'selector', m.object.metric?.selector);
    setIf(o, 'averageValue', m.object.target?.averageValue);
    out.object = o;
  }
  if (m.pods) {
    const o: Obj = { metricName: m.pods.metric?.name ?? '', targetAverageValue: m.pods.target?.averageValue ?? '0' };
    setIf(o, 'selector', m.pods.metric?.selector);
    out.pods = o;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const o: Obj = { name: r.name };
    setIf(o, 'targetAverageUtilization', r.target?.averageUtilization);
    setIf(o, 'targetAverageValue', r.target?.averageValue);
    if (key === 'containerResource') o.container = r.container;
    out[key] = o;
  }
  if (m.external) {
    const o: Obj = { metricName: m.external.metric?.name ?? '' };
    setIf(o, 'metricSelector', m.external.metric?.selector);
    setIf(o, 'targetValue', m.external.target?.value);
    setIf(o, 'targetAverageValue', m.external.target?.averageValue);
    out.external = o;
  }
  return out;
}

function specFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.object) {
    const target: Obj = { type: m.object.averageValue === undefined ? 'Value' : 'AverageValue', value: m.object.targetValue ?? '0' };
    setIf(target, 'averageValue', m.object.averageValue);
    const metric: Obj = { name: m.object.metricName ?? '' };
    setIf(metric, 'selector', m.object.selector);
    out.object = { describedObject: m.object.target ?? {}, metric, target };
  }
  if (m.pods) {
    const metric: Obj = { name: m.pods.metricName ?? '' };
    setIf(metric, 'selector', m.pods.selector);
    out.pods = { metric, target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue ?? '0' } };
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const target: Obj = { type: r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization' };
    setIf(target, 'averageUtilization', r.targetAverageUtilization);
    setIf(target, 'averageValue', r.targetAverageValue);
    out[key] = key === 'containerResource' ? { name: r.name, container: r.container, target } : { name: r.name, target };
  }
  if (m.external) {
    const target: Obj = { type: m.external.targetValue === undefined ? 'AverageValue' : 'Value' };
    setIf(target, 'value', m.external.targetValue);
    setIf(target, 'averageValue', m.external.targetAverageValue);
    const metric: Obj = { name: m.external.metricName ?? '' };
    setIf(metric, 'selector', m.external.metricSelector);
    out.external = { metric, target };
  }
  return out;
}

function statusToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.object) {
    const o: Obj = { target: m.object.describedObject ?? {}, metricName: m.object.metric?.name ?? '', currentValue: m.object.current?.value ?? '0' };
    setIf(o, 'selector', m.object.metric?.selector);
    setIf(o, 'averageValue', m.object.current?.averageValue);
    out.object = o;
  }
  if (m.pods) {
    const o: Obj = { metricName: m.pods.metric?.name ?? '', currentAverageValue: m.pods.current?.averageValue ?? '0' };
    setIf(o, 'selector', m.pods.metric?.selector);
    out.pods = o;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const o: Obj = { name: r.name };
    setIf(o, 'currentAverageUtilization', r.current?.averageUtilization);
    o.currentAverageValue = r.current?.averageValue ?? '0';
    if (key === 'containerResource') o.container = r.container;
    out[key] = o;
  }
  if (m.external) {
    const o: Obj = { metricName: m.external.metric?.name ?? '', currentValue: m.external.current?.value ?? '0' };
    setIf(o, 'metricSelector', m.external.metric?.selector);
    setIf(o, 'currentAverageValue', m.external.current?.averageValue);
    out.external = o;
  }
  return out;
}

function statusFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.object) {
    const current: Obj = { value: m.object.currentValue ?? '0' };
    setIf(current, 'averageValue', m.object.averageValue);
    const metric: Obj = { name: m.object.metricName ?? '' };
    setIf(metric, 'selector', m.object.selector);
    out.object = { describedObject: m.object.target ?? {}, metric, current };
  }
  if (m.pods) {
    const metric: Obj = { name: m.pods.metricName ?? '' };
    setIf(metric, 'selector', m.pods.selector);
    out.pods = { metric, current: { averageValue: m.pods.currentAverageValue ?? '0' } };
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const current: Obj = { averageValue: r.currentAverageValue ?? '0' };
    setIf(current, 'averageUtilization', r.currentAverageUtilization);
    out[key] = key === 'containerResource' ? { name: r.name, container: r.container, current } : { name: r.name, current };
  }
  if (m.external) {
    const current: Obj = { value: m.external.currentValue ?? '0' };
    setIf(current, 'averageValue', m.external.currentAverageValue);
    const metric: Obj = { name: m.external.metricName ?? '' };
    setIf(metric, 'selector', m.external.metricSelector);
    out.external = { metric, current };
  }
  return out;
}

// ---- behavior: Kubernetes stores the internal Go struct, so keys are Go field names -------------

function rulesToGo(r: Obj | undefined): Obj | null {
  if (!r) return null;
  const out: Obj = {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies ? r.policies.map((p: Obj) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
  };
  if (r.tolerance !== undefined) out.Tolerance = r.tolerance;
  return out;
}

// Go's decoder matches keys case-insensitively.
function pick(o: Obj, key: string): any {
  const k = Object.keys(o).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function rulesFromGo(r: unknown): Obj | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const o = r as Obj;
  const out: Obj = {};
  setIf(out, 'stabilizationWindowSeconds', pick(o, 'StabilizationWindowSeconds'));
  setIf(out, 'selectPolicy', pick(o, 'SelectPolicy'));
  const policies = pick(o, 'Policies');
  if (Array.isArray(policies)) out.policies = policies.map((p: Obj) => ({ type: pick(p, 'Type'), value: pick(p, 'Value'), periodSeconds: pick(p, 'PeriodSeconds') }));
  setIf(out, 'tolerance', pick(o, 'Tolerance'));
  return out;
}

function parseJson(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    // Kubernetes ignores annotations it cannot decode.
    return undefined;
  }
}

/** autoscaling/v2 (storage) → autoscaling/v1. */
export function toV1(v2: KubeObject): KubeObject {
  const spec: Obj = (v2.spec as Obj) ?? {};
  const status: Obj | undefined = v2.status as Obj | undefined;
  const metadata = { ...(v2.metadata ?? {}) };
  const annotations = withoutRoundTrip(metadata.annotations);
  const metrics: Obj[] = spec.metrics ?? [];
  const other = metrics.filter((m) => !isCpuUtilization(m)).map(specToV1);
  if (other.length) annotations[metricSpecsAnnotation] = JSON.stringify(other);
  if (status?.currentMetrics?.length) annotations[metricStatusesAnnotation] = JSON.stringify(status.currentMetrics.map(statusToV1));
  if (spec.behavior) annotations[behaviorAnnotation] = JSON.stringify({ ScaleUp: rulesToGo(spec.behavior.scaleUp), ScaleDown: rulesToGo(spec.behavior.scaleDown) });
  if (status?.conditions?.length) annotations[conditionsAnnotation] = JSON.stringify(status.conditions);
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;

  const v1spec: Obj = { scaleTargetRef: spec.scaleTargetRef ?? {} };
  setIf(v1spec, 'minReplicas', spec.minReplicas);
  v1spec.maxReplicas = spec.maxReplicas ?? 0;
  const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  setIf(v1spec, 'targetCPUUtilizationPercentage', cpu?.resource?.target?.averageUtilization);

  const out: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1spec };
  if (status) {
    const s: Obj = {};
    setIf(s, 'observedGeneration', status.observedGeneration);
    setIf(s, 'lastScaleTime', status.lastScaleTime);
    s.currentReplicas = status.currentReplicas ?? 0;
    s.desiredReplicas = status.desiredReplicas ?? 0;
    for (const m of status.currentMetrics ?? []) {
      if (m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined)
        s.currentCPUUtilizationPercentage = m.resource.current.averageUtilization;
    }
    out.status = s;
  }
  return out;
}

/** autoscaling/v1 → autoscaling/v2 (storage). */
export function fromV1(v1: KubeObject): KubeObject {
  const spec: Obj = (v1.spec as Obj) ?? {};
  const status: Obj | undefined = v1.status as Obj | undefined;
  const metadata = { ...(v1.metadata ?? {}) };
  const ann = metadata.annotations ?? {};

  let metrics: Obj[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null)
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  const other = parseJson(ann[metricSpecsAnnotation]);
  if (Array.isArray(other)) metrics = [...other.map(specFromV1), ...metrics];
  // v1 once had an implicit CPU target in the controller; v2 spells it out.
  if (!metrics.length) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } } }];

  const v2spec: Obj = { scaleTargetRef: spec.scaleTargetRef ?? {} };
  setIf(v2spec, 'minReplicas', spec.minReplicas);
  v2spec.maxReplicas = spec.maxReplicas ?? 0;
  v2spec.metrics = metrics;
  const behavior = parseJson(ann[behaviorAnnotation]);
  if (behavior && typeof behavior === 'object') {
    const b: Obj = {};
    setIf(b, 'scaleUp', rulesFromGo(pick(behavior as Obj, 'ScaleUp')));
    setIf(b, 'scaleDown', rulesFromGo(pick(behavior as Obj, 'ScaleDown')));
    if (Object.keys(b).length) v2spec.behavior = b;
  }

  const annotations = withoutRoundTrip(ann);
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;

  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2spec };
  if (status) {
    const s: Obj = {};
    setIf(s, 'observedGeneration', status.observedGeneration);
    setIf(s, 'lastScaleTime', status.lastScaleTime);
    s.currentReplicas = status.currentReplicas ?? 0;
    s.desiredReplicas = status.desiredReplicas ?? 0;
    if (status.currentCPUUtilizationPercentage !== undefined && status.currentCPUUtilizationPercentage !== null)
      s.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    const current = parseJson(ann[metricStatusesAnnotation]);
    if (Array.isArray(current)) s.currentMetrics = current.map(statusFromV1);
    const conditions = parseJson(ann[conditionsAnnotation]);
    if (Array.isArray(conditions)) s.conditions = conditions;
    out.status = s;
  }
  return out;
}
