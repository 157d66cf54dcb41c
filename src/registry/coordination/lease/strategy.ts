// coordination.k8s.io/v1 Lease: duration and transition checks, Holder column.
import type { Lease as KLease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, nameIsDNSSubdomain, type GroupStrategy } from '../../apps/index.js';

/** A Lease as the strategy sees it. */
export type Lease = KLease & KubeObject;

/** ValidateLeaseSpec. */
export function validateLease(l: Lease): FieldError[] {
  const spec = l.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) errs.push(fieldError.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) errs.push(fieldError.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  const strategy = (spec as { strategy?: string }).strategy;
  if (strategy !== undefined && strategy !== 'OldestEmulationVersion') errs.push(fieldError.notSupported('spec.strategy', strategy, ['OldestEmulationVersion']));
  const preferred = (spec as { preferredHolder?: string }).preferredHolder;
  if (preferred && !strategy) errs.push(fieldError.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

/** kubectl's columns for Leases. */
export const leasePrinter: Printer<Lease> = {
  columns: [nameColumn, column('Holder', { description: 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.' }), ageColumn],
  row: (l, ctx) => [l.metadata?.name ?? '', l.spec?.holderIdentity ?? '', age(l.metadata?.creationTimestamp, ctx.now)],
};

/** The Lease strategy. */
export const leaseStrategy: GroupStrategy<Lease> = {
  info: builtinInfo('coordination.k8s.io', 'v1', 'Lease'),
  schemaName: 'io.k8s.api.coordination.v1.Lease',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  validate: validateLease,
  printer: leasePrinter,
};
