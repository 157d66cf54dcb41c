// apps/v1 ControllerRevision: immutable snapshots of workload templates, with the Controller/Revision columns.
import type { ControllerRevision as KControllerRevision } from 'kubernetes-types/apps/v1.js';
import { parseApiVersion, type KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, immutable, nameIsDNSSubdomain, nonNegative, type GroupStrategy } from '../validation-helpers.js';

/** A ControllerRevision as the strategy sees it. */
export type ControllerRevision = KControllerRevision & KubeObject;

/** ValidateControllerRevision. */
export function validateControllerRevision(r: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (r.data === undefined || r.data === null) errs.push(fieldError.required('data', 'data is mandatory'));
  errs.push(...nonNegative(r.revision, 'revision'));
  return errs;
}

/** `kind.group/name` of the controlling owner, as kubectl prints it; `<none>` without one. */
export function controllerOf(obj: KubeObject): string {
  const ref = obj.metadata?.ownerReferences?.find((o) => o.controller);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion);
  const gk = group ? `${ref.kind}.${group}` : ref.kind;
  return gk ? `${gk.toLowerCase()}/${ref.name}` : ref.name;
}

/** kubectl's columns for ControllerRevisions. */
export const controllerRevisionPrinter: Printer<ControllerRevision> = {
  columns: [
    nameColumn,
    column('Controller', { description: 'Controller of the object' }),
    column('Revision', { type: 'integer', description: 'Revision indicates the revision of the state represented by Data.' }),
    ageColumn,
  ],
  row: (r, ctx) => [r.metadata?.name ?? '', controllerOf(r), r.revision ?? 0, age(r.metadata?.creationTimestamp, ctx.now)],
};

/** The ControllerRevision strategy. */
export const controllerRevisionStrategy: GroupStrategy<ControllerRevision> = {
  info: builtinInfo('apps', 'v1', 'ControllerRevision'),
  schemaName: 'io.k8s.api.apps.v1.ControllerRevision',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  validate: validateControllerRevision,
  validateUpdate: (r, old) => immutable(r.data, old.data, 'data'),
  printer: controllerRevisionPrinter,
};
