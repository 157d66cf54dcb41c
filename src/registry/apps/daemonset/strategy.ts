// apps/v1 DaemonSet: defaults, validation, template generation annotation, status rules and columns.
import type { DaemonSet as KDaemonSet, DaemonSetUpdateStrategy } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../../core/pod/index.js';
import { formatLabels, selectorCell, validateLabelSelector } from '../label-selector.js';
import {
  builtinInfo,
  goIntOrString,
  goLabelSelector,
  immutable,
  intOrPercentValue,
  invalidGo,
  nameIsDNSSubdomain,
  nonNegative,
  notMoreThan100Percent,
  validatePositiveIntOrPercent,
  type GroupStrategy,
} from '../validation-helpers.js';
import { changed, resetStatus, collisionCountNotDecremented, containerCells, keepStatus, restartAlwaysOnly, selectorMatchesTemplate, statusSubresource } from '../workload.js';

/** A DaemonSet as the strategy sees it. */
export type DaemonSet = KDaemonSet & KubeObject;

/** The annotation apps/v1 uses to carry the template generation. */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** SetDefaults_DaemonSet plus the pod template defaults. */
export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = (ds.spec ??= { selector: undefined as never, template: {} });
  const us = (spec.updateStrategy ??= {});
  us.type ||= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/** ValidateDaemonSetUpdateStrategy. */
export function validateDaemonSetUpdateStrategy(s: DaemonSetUpdateStrategy | undefined, path: string): FieldError[] {
  const type = s?.type ?? '';
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') return [fieldError.notSupported(path, s ?? {}, ['RollingUpdate', 'OnDelete'])];
  const ru = s?.rollingUpdate;
  const ruPath = child(path, 'rollingUpdate');
  if (!ru) return [fieldError.required(ruPath, '')];
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, child(ruPath, 'maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, child(ruPath, 'maxSurge')),
    ...notMoreThan100Percent(ru.maxUnavailable, child(ruPath, 'maxUnavailable')),
    ...notMoreThan100Percent(ru.maxSurge, child(ruPath, 'maxSurge')),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalidGo(child(ruPath, 'maxSurge'), goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(fieldError.required(child(ruPath, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec;
  const path = 'spec';
  if (!spec) return [fieldError.required(path, '')];
  const errs = validateLabelSelector(spec.selector, child(path, 'selector'));
  // A missing selector matches nothing, so it fails the template check as in Kubernetes.
  errs.push(...selectorMatchesTemplate(spec.selector, spec.template, child(path, 'template'), false));
  if (spec.selector && Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions?.length ?? 0) === 0)
    errs.push(fieldError.invalid(child(path, 'selector'), spec.selector, 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, child(path, 'template')));
  errs.push(...restartAlwaysOnly(spec.template ?? {}, child(path, 'template'), 'DaemonSet'));
  errs.push(...nonNegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  errs.push(...validateDaemonSetUpdateStrategy(spec.updateStrategy, child(path, 'updateStrategy')));
  errs.push(...nonNegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')));
  return errs;
}

function setTemplateGeneration(ds: DaemonSet, n: number): void {
  const meta = (ds.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [templateGenerationAnnotation]: String(n) };
}

const statusCounters = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'observedGeneration',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'collisionCount',
];

function validateDaemonSetStatus(ds: DaemonSet, old: DaemonSet): FieldError[] {
  const s = (ds.status ?? {}) as Record<string, unknown>;
  const errs: FieldError[] = [];
  for (const f of statusCounters) errs.push(...nonNegative(s[f] as number | undefined, child('status', f)));
  return [...errs, ...collisionCountNotDecremented(ds, old)];
}

/** kubectl's columns for DaemonSets. */
export const daemonSetPrinter: Printer<DaemonSet> = {
  columns: [
    nameColumn,
    column('Desired', { type: 'integer', description: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' }),
    column('Current', { type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' }),
    column('Ready', { type: 'integer', description: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.' }),
    column('Up-to-date', { type: 'integer', description: 'The total number of nodes that are running updated daemon pod' }),
    column('Available', { type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)' }),
    column('Node Selector', { description: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/" }),
    ageColumn,
    column('Containers', { priority: 1, description: 'Names of each container in the template.' }),
    column('Images', { priority: 1, description: 'Images referenced by each container in the template.' }),
    column('Selector', { priority: 1, description: "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors" }),
  ],
  row(ds, ctx) {
    const [containers, images] = containerCells(ds.spec?.template?.spec);
    const st = ds.status;
    return [
      ds.metadata?.name ?? '',
      st?.desiredNumberScheduled ?? 0,
      st?.currentNumberScheduled ?? 0,
      st?.numberReady ?? 0,
      st?.updatedNumberScheduled ?? 0,
      st?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(ds.metadata?.creationTimestamp, ctx.now),
      containers,
      images,
      selectorCell(ds.spec?.selector),
    ];
  },
};

/** The DaemonSet strategy. */
export const daemonSetStrategy: GroupStrategy<DaemonSet> = {
  info: builtinInfo('apps', 'v1', 'DaemonSet'),
  schemaName: 'io.k8s.api.apps.v1.DaemonSet',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultDaemonSet,
  prepareForCreate(ds) {
    resetStatus(ds, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    setTemplateGeneration(ds, 1);
  },
  prepareForUpdate(ds, old) {
    keepStatus(ds, old);
    const prev = Number(old.metadata?.annotations?.[templateGenerationAnnotation] ?? '0') || 0;
    setTemplateGeneration(ds, changed(ds.spec?.template, old.spec?.template) ? prev + 1 : prev);
  },
  validate: validateDaemonSet,
  validateUpdate: (ds, old) => immutable(ds.spec?.selector, old.spec?.selector, 'spec.selector', goLabelSelector),
  printer: daemonSetPrinter,
  status: statusSubresource<DaemonSet>({ validate: validateDaemonSetStatus }),
};
