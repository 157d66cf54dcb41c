// policy/v1 PodDisruptionBudget: minAvailable/maxUnavailable rules, selector, status rules and columns.
import type { PodDisruptionBudget as KPodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import {
  builtinInfo,
  resetStatus,
  keepStatus,
  nameIsDNSSubdomain,
  nonNegative,
  notMoreThan100Percent,
  statusSubresource,
  validateLabelSelector,
  validatePositiveIntOrPercent,
  type GroupStrategy,
} from '../../apps/index.js';

/** A PodDisruptionBudget as the strategy sees it. */
export type PodDisruptionBudget = KPodDisruptionBudget & KubeObject;

/** ValidatePodDisruptionBudgetSpec. */
export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const path = 'spec';
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) errs.push(fieldError.invalid(path, spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    const v = spec[f];
    if (v === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(v, child(path, f)));
    errs.push(...notMoreThan100Percent(v, child(path, f)));
  }
  errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget')
    errs.push(fieldError.notSupported(child(path, 'unhealthyPodEvictionPolicy'), policy, ['AlwaysAllow', 'IfHealthyBudget']));
  return errs;
}

function validateStatus(pdb: PodDisruptionBudget): FieldError[] {
  const s = pdb.status;
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) => nonNegative((s as Record<string, number> | undefined)?.[f], child('status', f)));
}

/** kubectl's columns for PodDisruptionBudgets. */
export const podDisruptionBudgetPrinter: Printer<PodDisruptionBudget> = {
  columns: [
    nameColumn,
    column('Min Available', { description: 'The minimum number of pods that must be available.' }),
    column('Max Unavailable', { description: 'The maximum number of pods that may be unavailable.' }),
    column('Allowed Disruptions', { type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.' }),
    ageColumn,
  ],
  row: (pdb, ctx) => [
    pdb.metadata?.name ?? '',
    pdb.spec?.minAvailable !== undefined ? String(pdb.spec.minAvailable) : 'N/A',
    pdb.spec?.maxUnavailable !== undefined ? String(pdb.spec.maxUnavailable) : 'N/A',
    pdb.status?.disruptionsAllowed ?? 0,
    age(pdb.metadata?.creationTimestamp, ctx.now),
  ],
};

/** The PodDisruptionBudget strategy. */
export const podDisruptionBudgetStrategy: GroupStrategy<PodDisruptionBudget> = {
  info: builtinInfo('policy', 'v1', 'PodDisruptionBudget'),
  schemaName: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  prepareForCreate: (pdb) => resetStatus(pdb, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  prepareForUpdate: keepStatus,
  validate: validatePodDisruptionBudget,
  printer: podDisruptionBudgetPrinter,
  status: statusSubresource<PodDisruptionBudget>({ validate: validateStatus }),
};
