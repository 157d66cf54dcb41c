// apps/v1 StatefulSet: defaults (including claim templates), validation, update limits, status rules, columns.
import type { StatefulSet as KStatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { defaultPodTemplateSpec } from '../../core/pod/index.js';
import {
  builtinInfo,
  intOrPercentValue,
  invalidGo,
  goIntOrString,
  nameIsDNSLabel,
  nonNegative,
  notMoreThan100Percent,
  validateLabels,
  validatePositiveIntOrPercent,
  type GroupStrategy,
} from '../validation-helpers.js';
import {
  changed,
  resetStatus,
  collisionCountNotDecremented,
  containerCells,
  keepStatus,
  restartAlwaysOnly,
  selectorMatchesTemplate,
  statusSubresource,
  validateControllerSelector,
  validateReplicaCounts,
} from '../workload.js';
import { compileSelector } from '../label-selector.js';

/** A StatefulSet as the strategy sees it. */
export type StatefulSet = KStatefulSet & KubeObject;

/** Defaults of a claim template, as SetDefaults_PersistentVolumeClaim gives them. */
function defaultClaimTemplate(pvc: PersistentVolumeClaim & KubeObject): void {
  pvc.apiVersion = 'v1';
  pvc.kind = 'PersistentVolumeClaim';
  const spec = (pvc.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  const status = ((pvc as KubeObject).status ??= {}) as { phase?: string };
  status.phase ||= 'Pending';
}

/** SetDefaults_StatefulSet plus pod template and claim template defaults. */
export function defaultStatefulSet(s: StatefulSet): void {
  const spec = (s.spec ??= { selector: undefined as never, template: {}, serviceName: undefined as never });
  spec.podManagementPolicy ||= 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate) us.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
  for (const pvc of spec.volumeClaimTemplates ?? []) defaultClaimTemplate(pvc as PersistentVolumeClaim & KubeObject);
}

function validateRetentionType(v: string | undefined, path: string): FieldError[] {
  return v === 'Retain' || v === 'Delete' ? [] : [fieldError.notSupported(path, v ?? '', ['Retain', 'Delete'])];
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSet(s: StatefulSet): FieldError[] {
  const spec = s.spec;
  const path = 'spec';
  if (!spec) return [fieldError.required(path, '')];
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy ?? '';
  if (pmp === '') errs.push(fieldError.required(child(path, 'podManagementPolicy'), ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(fieldError.invalid(child(path, 'podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));

  const us = spec.updateStrategy;
  const usPath = child(path, 'updateStrategy');
  switch (us?.type ?? '') {
    case '':
      errs.push(fieldError.required(usPath, ''));
      break;
    case 'OnDelete':
      if (us?.rollingUpdate) errs.push(fieldError.invalid(child(usPath, 'rollingUpdate'), us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (us?.rollingUpdate) {
        const ruPath = child(usPath, 'rollingUpdate');
        errs.push(...nonNegative(us.rollingUpdate.partition, child(ruPath, 'partition')));
        const mu = us.rollingUpdate.maxUnavailable;
        if (mu !== undefined) {
          const muPath = child(ruPath, 'maxUnavailable');
          errs.push(...validatePositiveIntOrPercent(mu, muPath));
          if (intOrPercentValue(mu) === 0) errs.push(invalidGo(muPath, goIntOrString(mu), 'cannot be 0'));
          errs.push(...notMoreThan100Percent(mu, muPath));
        }
      }
      break;
    default:
      errs.push(fieldError.invalid(usPath, us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    const rPath = child(path, 'persistentVolumeClaimRetentionPolicy');
    errs.push(...validateRetentionType(retention.whenDeleted, child(rPath, 'whenDeleted')));
    errs.push(...validateRetentionType(retention.whenScaled, child(rPath, 'whenScaled')));
  }
  errs.push(...nonNegative(spec.replicas, child(path, 'replicas')));
  errs.push(...nonNegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start, child(path, 'ordinals.start')));
  errs.push(...validateControllerSelector(spec.selector, path, 'statefulset'));

  const tPath = child(path, 'template');
  if (!compileSelector(spec.selector)) errs.push(fieldError.invalid(child(path, 'selector'), spec.selector ?? null, ''));
  else if (!spec.template) errs.push(fieldError.required(tPath, ''));
  else {
    errs.push(...selectorMatchesTemplate(spec.selector, spec.template, tPath, true));
    // Kubernetes checks only the template's labels here: its volumes come partly from the claim templates.
    errs.push(...validateLabels(spec.template.metadata?.labels, child(tPath, 'labels')));
  }
  errs.push(...restartAlwaysOnly(spec.template ?? {}, tPath, 'StatefulSet'));
  return errs;
}

// The spec fields an update may change; anything else is forbidden.
const mutableSpecFields = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];

/** ValidateStatefulSetUpdate's extra rule: only some spec fields may change. */
export function validateStatefulSetUpdate(s: StatefulSet, old: StatefulSet): FieldError[] {
  const strip = (spec: object | undefined) => Object.fromEntries(Object.entries(spec ?? {}).filter(([k]) => !mutableSpecFields.includes(k)));
  if (!changed(strip(s.spec), strip(old.spec))) return [];
  return [
    fieldError.forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

const statusCounters = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'];

/** kubectl's columns for StatefulSets. */
export const statefulSetPrinter: Printer<StatefulSet> = {
  columns: [
    nameColumn,
    column('Ready', { description: 'Number of the pod with ready state' }),
    ageColumn,
    column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
    column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
  ],
  row(s, ctx) {
    const [containers, images] = containerCells(s.spec?.template?.spec);
    return [s.metadata?.name ?? '', `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, age(s.metadata?.creationTimestamp, ctx.now), containers, images];
  },
};

/** The StatefulSet strategy. */
export const statefulSetStrategy: GroupStrategy<StatefulSet> = {
  info: builtinInfo('apps', 'v1', 'StatefulSet'),
  schemaName: 'io.k8s.api.apps.v1.StatefulSet',
  nameValidation: nameIsDNSLabel,
  generation: 'spec',
  defaults: defaultStatefulSet,
  prepareForCreate: (sts) => resetStatus(sts, { replicas: 0, availableReplicas: 0 }),
  prepareForUpdate: keepStatus,
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
  printer: statefulSetPrinter,
  status: statusSubresource<StatefulSet>({
    validate: (obj, old) => [
      ...validateReplicaCounts(obj.status, statusCounters, 'status', 'cannot be greater than status.readyReplicas'),
      ...collisionCountNotDecremented(obj, old),
    ],
  }),
};
