// scheduling.k8s.io/v1 PriorityClass: preemption default, value range, reserved system names, columns.
import type { PriorityClass as KPriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, immutable, nameIsDNSSubdomain, type GroupStrategy } from '../../apps/index.js';

/** A PriorityClass as the strategy sees it. */
export type PriorityClass = KPriorityClass & KubeObject;

/** The largest value a user-defined PriorityClass may have. */
export const highestUserDefinablePriority = 1_000_000_000;
/** The built-in system classes and their values. */
export const systemPriorityClasses: Record<string, number> = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };

function systemClassError(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  const want = systemPriorityClasses[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (pc.value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass. */
export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if ((pc.metadata?.name ?? '').startsWith('system-')) {
    const e = systemClassError(pc);
    if (e) errs.push(fieldError.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${e}`));
  } else if ((pc.value ?? 0) > highestUserDefinablePriority) {
    errs.push(fieldError.forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
  }
  const p = pc.preemptionPolicy;
  if (p !== undefined && p !== 'Never' && p !== 'PreemptLowerPriority') errs.push(fieldError.notSupported('preemptionPolicy', p, ['Never', 'PreemptLowerPriority']));
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are fixed. */
export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(fieldError.forbidden('value', 'may not be changed in an update.'));
  errs.push(...immutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

/** kubectl's columns for PriorityClasses. */
export const priorityClassPrinter: Printer<PriorityClass> = {
  columns: [
    nameColumn,
    column('Value', { type: 'integer', description: 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.' }),
    column('Global-Default', { type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.' }),
    ageColumn,
    column('PreemptionPolicy', { description: 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.' }),
  ],
  row: (pc, ctx) => [pc.metadata?.name ?? '', pc.value ?? 0, pc.globalDefault ?? false, age(pc.metadata?.creationTimestamp, ctx.now), pc.preemptionPolicy ?? '<unset>'],
};

/** The PriorityClass strategy. */
export const priorityClassStrategy: GroupStrategy<PriorityClass> = {
  info: builtinInfo('scheduling.k8s.io', 'v1', 'PriorityClass'),
  schemaName: 'io.k8s.api.scheduling.v1.PriorityClass',
  nameValidation: nameIsDNSSubdomain,
  // Kubernetes sets generation 1 on create and never bumps it: 'none' keeps the stored value on updates.
  generation: 'none',
  defaults: (pc) => {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  prepareForCreate: (pc) => {
    // in place: the store keeps a reference to this metadata object
    const meta: { generation?: number } = (pc.metadata ??= {});
    meta.generation = 1;
  },
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
  printer: priorityClassPrinter,
};
