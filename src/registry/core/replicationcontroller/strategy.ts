// The ReplicationController strategy (pkg/registry/core/replicationcontroller/strategy.go).
import type { ReplicationController, ReplicationControllerSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, coreInfo, entries, firstGeneration, formatLabels, keepOldStatus, list, nameIsDNSSubdomain, statusSubresource, validateNonnegative, type CoreStrategy } from '../shared/index.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../pod/index.js';

/** SetDefaults_ReplicationController: selector and labels from the template, one replica, template defaults. */
export function defaultReplicationController(rc: ReplicationController): void {
  const spec = (rc.spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (!entries(spec.selector).length) spec.selector = { ...labels };
    if (!entries(rc.metadata?.labels).length) rc.metadata = { ...rc.metadata, labels: { ...labels } };
  }
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  if (spec.template) defaultPodTemplateSpec(spec.template);
}

/** ValidateReplicationControllerSpec. */
export function validateRCSpec(spec: ReplicationControllerSpec, path: string): FieldError[] {
  const errs = validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`);
  const selector = spec.selector ?? {};
  if (!entries(selector).length) errs.push(fieldError.required(`${path}.selector`));
  errs.push(...validateNonnegative(spec.replicas ?? 0, `${path}.replicas`));
  const t = spec.template;
  if (!t) return [...errs, fieldError.required(`${path}.template`)];
  const labels = t.metadata?.labels ?? {};
  if (entries(selector).length && !entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push(fieldError.invalid(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(t, `${path}.template`));
  const rp = t.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(fieldError.notSupported(`${path}.template.spec.restartPolicy`, rp ?? '', ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined && t.spec.activeDeadlineSeconds !== null) {
    errs.push(fieldError.forbidden(`${path}.template.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

function validateRCStatus(obj: KubeObject): FieldError[] {
  const st = as<ReplicationController>(obj).status ?? { replicas: 0 };
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) errs.push(...validateNonnegative(st[f], `status.${f}`));
  const msg = 'cannot be greater than status.replicas';
  const n = st.replicas ?? 0;
  if ((st.fullyLabeledReplicas ?? 0) > n) errs.push(fieldError.invalid('status.fullyLabeledReplicas', st.fullyLabeledReplicas, msg));
  if ((st.readyReplicas ?? 0) > n) errs.push(fieldError.invalid('status.readyReplicas', st.readyReplicas, msg));
  if ((st.availableReplicas ?? 0) > n) errs.push(fieldError.invalid('status.availableReplicas', st.availableReplicas, msg));
  if ((st.availableReplicas ?? 0) > (st.readyReplicas ?? 0)) errs.push(fieldError.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than readyReplicas'));
  return errs;
}

/** The ReplicationController strategy. */
export const replicationControllerStrategy: CoreStrategy = {
  info: coreInfo('ReplicationController'),
  schemaName: 'io.k8s.api.core.v1.ReplicationController',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  defaults: (obj) => defaultReplicationController(as<ReplicationController>(obj)),
  prepareForCreate(obj) {
    firstGeneration(obj);
    obj['status'] = { replicas: 0 };
  },
  prepareForUpdate: keepOldStatus,
  validate: (obj) => validateRCSpec(as<ReplicationController>(obj).spec ?? {}, 'spec'),
  printer: {
    columns: [
      nameColumn,
      column('Desired', { type: 'integer', description: 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller' }),
      column('Current', { type: 'integer', description: 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller' }),
      column('Ready', { type: 'integer', description: 'The number of ready replicas for this replication controller.' }),
      ageColumn,
      column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
      column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
      column('Selector', { priority: 1, description: 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' }),
    ],
    row(obj, ctx) {
      const rc = as<ReplicationController>(obj);
      const cs = list(rc.spec?.template?.spec?.containers);
      return [
        obj.metadata?.name ?? '',
        rc.spec?.replicas ?? 0,
        rc.status?.replicas ?? 0,
        rc.status?.readyReplicas ?? 0,
        age(obj.metadata?.creationTimestamp, ctx.now),
        cs.map((c) => c.name).join(','),
        cs.map((c) => c.image).join(','),
        formatLabels(rc.spec?.selector),
      ];
    },
  },
  selectableFields: (obj) => ({ 'status.replicas': String(as<ReplicationController>(obj).status?.replicas ?? 0) }),
  status: statusSubresource({ validate: validateRCStatus }),
};
