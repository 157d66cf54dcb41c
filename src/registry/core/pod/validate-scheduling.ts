// Scheduling constraints of a pod spec: node and pod (anti-)affinity, topology spread constraints.
import type { Affinity, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, TopologySpreadConstraint, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { invalidEach, isDNS1123Label, isDNS1123Subdomain, isValidLabelValue, list, validateLabelName, validateLabelSelector } from '../shared/index.js';

function validateNodeSelectorRequirement(rq: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq.values);
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (!values.length) errs.push(fieldError.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length) errs.push(fieldError.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(fieldError.required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(fieldError.invalid(child(path, 'operator'), rq.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(rq.key ?? '', child(path, 'key')));
  values.forEach((v, i) => errs.push(...invalidEach(index(child(path, 'values'), i), v, isValidLabelValue(v))));
  return errs;
}

function validateNodeFieldRequirement(rq: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (list(rq.values).length !== 1) errs.push(fieldError.required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else errs.push(fieldError.invalid(child(path, 'operator'), rq.operator ?? '', 'not a valid selector operator'));
  if (rq.key !== 'metadata.name') errs.push(fieldError.invalid(child(path, 'key'), rq.key ?? '', 'not a valid field selector key'));
  else list(rq.values).forEach((v, i) => errs.push(...invalidEach(index(child(path, 'values'), i), v, isDNS1123Subdomain(v))));
  return errs;
}

/** A node selector term (ValidateNodeSelectorTerm). */
export function validateNodeSelectorTerm(term: NodeSelectorTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(term.matchExpressions).forEach((r, i) => errs.push(...validateNodeSelectorRequirement(r, index(child(path, 'matchExpressions'), i))));
  list(term.matchFields).forEach((r, i) => errs.push(...validateNodeFieldRequirement(r, index(child(path, 'matchFields'), i))));
  return errs;
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const errs = [...validateLabelSelector(term.labelSelector, child(path, 'labelSelector')), ...validateLabelSelector(term.namespaceSelector, child(path, 'namespaceSelector'))];
  for (const ns of list(term.namespaces)) errs.push(...invalidEach(child(path, 'namespace'), ns, isDNS1123Label(ns)));
  if (!term.topologyKey) errs.push(fieldError.required(child(path, 'topologyKey'), 'can not be empty'));
  return errs.concat(validateLabelName(term.topologyKey ?? '', child(path, 'topologyKey')));
}

function validateWeightedTerms(terms: readonly WeightedPodAffinityTerm[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  terms.forEach((t, i) => {
    if (!(t.weight > 0 && t.weight <= 100)) errs.push(fieldError.invalid(child(index(path, i), 'weight'), t.weight ?? 0, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(t.podAffinityTerm ?? ({} as PodAffinityTerm), child(index(path, i), 'podAffinityTerm')));
  });
  return errs;
}

/** Node, pod and pod-anti affinity (validateAffinity). */
export function validateAffinity(a: Affinity | undefined, path: string): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na) {
    const np = child(path, 'nodeAffinity');
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req) {
      const tp = child(child(np, 'requiredDuringSchedulingIgnoredDuringExecution'), 'nodeSelectorTerms');
      if (!list(req.nodeSelectorTerms).length) errs.push(fieldError.required(tp, 'must have at least one node selector term'));
      list(req.nodeSelectorTerms).forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, index(tp, i))));
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const p = index(child(np, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      if (!(t.weight > 0 && t.weight <= 100)) errs.push(fieldError.invalid(child(p, 'weight'), t.weight ?? 0, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(t.preference ?? {}, child(p, 'preference')));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    if (!pa) continue;
    const p = child(path, kind);
    list(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => errs.push(...validatePodAffinityTerm(t, index(child(p, 'requiredDuringSchedulingIgnoredDuringExecution'), i))));
    errs.push(...validateWeightedTerms(list(pa.preferredDuringSchedulingIgnoredDuringExecution), child(p, 'preferredDuringSchedulingIgnoredDuringExecution')));
  }
  return errs;
}

/** Topology spread constraints (validateTopologySpreadConstraints). */
export function validateTopologySpread(cs: readonly TopologySpreadConstraint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  cs.forEach((c, i) => {
    const p = index(path, i);
    if (!(c.maxSkew > 0)) errs.push(fieldError.invalid(child(p, 'maxSkew'), c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(fieldError.required(child(p, 'topologyKey'), 'can not be empty'));
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') errs.push(fieldError.notSupported(child(p, 'whenUnsatisfiable'), c.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']));
    if (cs.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) errs.push(fieldError.duplicate(child(p, '{topologyKey, whenUnsatisfiable}'), `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (c.minDomains <= 0) errs.push(fieldError.invalid(child(p, 'minDomains'), c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') errs.push(fieldError.invalid(child(p, 'minDomains'), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[f];
      if (v !== undefined && v !== 'Honor' && v !== 'Ignore') errs.push(fieldError.notSupported(child(p, f), v, ['Honor', 'Ignore']));
    }
    errs.push(...validateLabelSelector(c.labelSelector, child(p, 'labelSelector')));
  });
  return errs;
}
