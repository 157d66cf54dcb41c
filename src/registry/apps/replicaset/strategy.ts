// apps/v1 ReplicaSet: defaults, validation, status rules, `status.replicas` field selector and table columns.
import type { ReplicaSet as KReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { defaultPodTemplateSpec } from '../../core/pod/index.js';
import { selectorCell } from '../label-selector.js';
import { builtinInfo, goLabelSelector, immutable, nameIsDNSSubdomain, nonNegative, type GroupStrategy } from '../validation-helpers.js';
import {
  resetStatus,
  containerCells,
  keepStatus,
  statusSubresource,
  validateControllerSelector,
  validateReplicaCounts,
  validateReplicatedTemplate,
} from '../workload.js';

/** A ReplicaSet as the strategy sees it. */
export type ReplicaSet = KReplicaSet & KubeObject;

/** SetDefaults_ReplicaSet plus the pod template defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = (rs.spec ??= { selector: undefined as never });
  spec.replicas ??= 1;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec;
  if (!spec) return [fieldError.required('spec', '')];
  return [
    ...nonNegative(spec.replicas, 'spec.replicas'),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    // Kubernetes says "deployment" here too.
    ...validateControllerSelector(spec.selector, 'spec', 'deployment'),
    ...validateReplicatedTemplate(spec.selector, spec.template, child('spec', 'template'), 'ReplicaSet'),
  ];
}

const statusCounters = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

/** kubectl's columns for ReplicaSets. */
export const replicaSetPrinter: Printer<ReplicaSet> = {
  columns: [
    nameColumn,
    column('Desired', { type: 'integer', description: 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#replicaset' }),
    column('Current', { type: 'integer', description: 'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#replicaset' }),
    column('Ready', { type: 'integer', description: 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.' }),
    ageColumn,
    column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
    column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
    column('Selector', { priority: 1, description: "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors" }),
  ],
  row(rs, ctx) {
    const [containers, images] = containerCells(rs.spec?.template?.spec);
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      age(rs.metadata?.creationTimestamp, ctx.now),
      containers,
      images,
      selectorCell(rs.spec?.selector),
    ];
  },
};

/** The ReplicaSet strategy. */
export const replicaSetStrategy: GroupStrategy<ReplicaSet> = {
  info: builtinInfo('apps', 'v1', 'ReplicaSet'),
  schemaName: 'io.k8s.api.apps.v1.ReplicaSet',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultReplicaSet,
  prepareForCreate: (rs) => resetStatus(rs, { replicas: 0 }),
  prepareForUpdate: keepStatus,
  validate: validateReplicaSet,
  validateUpdate: (obj, old) => immutable(obj.spec?.selector, old.spec?.selector, 'spec.selector', goLabelSelector),
  printer: replicaSetPrinter,
  selectableFields: (rs) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) }),
  status: statusSubresource<ReplicaSet>({
    validate: (obj) => validateReplicaCounts(obj.status, statusCounters, 'status', 'cannot be greater than readyReplicas'),
  }),
};
