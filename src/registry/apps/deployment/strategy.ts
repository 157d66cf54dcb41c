// apps/v1 Deployment: defaults, validation, status rules and table columns as Kubernetes has them.
import type { Deployment as KDeployment, DeploymentStrategy } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, column, nameColumn, ageColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { defaultPodTemplateSpec } from '../../core/pod/index.js';
import { selectorCell } from '../label-selector.js';
import {
  builtinInfo,
  goLabelSelector,
  immutable,
  intOrPercentValue,
  invalidGo,
  goIntOrString,
  nameIsDNSSubdomain,
  nonNegative,
  notMoreThan100Percent,
  validatePositiveIntOrPercent,
  type GroupStrategy,
} from '../validation-helpers.js';
import {
  bumpGeneration,
  changed,
  resetStatus,
  collisionCountNotDecremented,
  containerCells,
  keepStatus,
  statusSubresource,
  validateControllerSelector,
  validateReplicaCounts,
  validateReplicatedTemplate,
} from '../workload.js';

/** A Deployment as the strategy sees it. */
export type Deployment = KDeployment & KubeObject;

/** SetDefaults_Deployment plus the pod template defaults. */
export function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= { selector: undefined as never, template: {} });
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/** ValidateDeploymentStrategy. */
export function validateDeploymentStrategy(s: DeploymentStrategy | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = s?.type ?? '';
  if (type === 'Recreate') {
    if (s?.rollingUpdate) errs.push(fieldError.forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate') {
    const ru = s?.rollingUpdate;
    const ruPath = child(path, 'rollingUpdate');
    if (!ru) errs.push(fieldError.required(ruPath, 'this should be defaulted and never be nil'));
    else {
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, child(ruPath, 'maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(ruPath, 'maxSurge')));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
        errs.push(invalidGo(child(ruPath, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, child(ruPath, 'maxUnavailable')));
    }
  } else {
    errs.push(fieldError.notSupported(path, s ?? {}, ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(d: Deployment): FieldError[] {
  const spec = d.spec;
  const path = 'spec';
  if (!spec) return [fieldError.required(path, '')];
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, child(path, 'replicas')));
  errs.push(...validateControllerSelector(spec.selector, path, 'deployment'));
  errs.push(...validateReplicatedTemplate(spec.selector, spec.template, child(path, 'template'), 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(spec.strategy, child(path, 'strategy')));
  errs.push(...nonNegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  errs.push(...nonNegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, child(path, 'progressDeadlineSeconds')));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
      errs.push(fieldError.invalid(child(path, 'progressDeadlineSeconds'), spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

const statusCounters = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];

/** kubectl's columns for Deployments. */
export const deploymentPrinter: Printer<Deployment> = {
  columns: [
    nameColumn,
    column('Ready', { description: 'Number of the pod with ready state' }),
    column('Up-to-date', { description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' }),
    column('Available', { description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' }),
    ageColumn,
    column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
    column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
    column('Selector', { priority: 1, description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.' }),
  ],
  row(d, ctx) {
    const [containers, images] = containerCells(d.spec?.template?.spec);
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      age(d.metadata?.creationTimestamp, ctx.now),
      containers,
      images,
      selectorCell(d.spec?.selector),
    ];
  },
};

/** The Deployment strategy. */
export const deploymentStrategy: GroupStrategy<Deployment> = {
  info: builtinInfo('apps', 'v1', 'Deployment'),
  schemaName: 'io.k8s.api.apps.v1.Deployment',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultDeployment,
  prepareForCreate: (d) => resetStatus(d),
  prepareForUpdate(obj, old) {
    keepStatus(obj, old);
    // Annotations are copied to the ReplicaSets, so changing them is a new generation too.
    if (changed(obj.spec, old.spec) || changed(obj.metadata?.annotations, old.metadata?.annotations)) bumpGeneration(obj, old);
  },
  validate: validateDeploymentSpec,
  validateUpdate: (obj, old) => immutable(obj.spec?.selector, old.spec?.selector, 'spec.selector', goLabelSelector),
  printer: deploymentPrinter,
  status: statusSubresource<Deployment>({
    keepLabels: true,
    validate: (obj, old) => [
      ...validateReplicaCounts(obj.status, statusCounters, 'status', 'cannot be greater than readyReplicas'),
      ...collisionCountNotDecremented(obj, old),
    ],
  }),
};
