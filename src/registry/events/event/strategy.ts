// events.k8s.io/v1 Event: the strict validation of the new Events API, field selectors, and the Events table.
import type { Event as KEvent } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, immutable, nameIsDNSSubdomain, qualifiedNameErrors, type GroupStrategy } from '../../apps/index.js';
import { eventFromCore, eventToCore } from './conversion.js';

/** An events.k8s.io Event as the strategy sees it. */
export type Event = KEvent & KubeObject;

const limits = { reportingInstance: 128, action: 128, reason: 128, note: 1024 };

/** ValidateEventCreate for events.k8s.io/v1 (field paths as Kubernetes reports them, in core/v1 names). */
export function validateEvent(e: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? '';
  const regNs = e.regarding?.namespace ?? '';
  if (regNs === '' ? ns !== '' && ns !== 'default' : ns !== regNs) errs.push(fieldError.invalid('involvedObject.namespace', regNs, 'does not match event.namespace'));
  const rc = e.reportingController ?? '';
  if (!rc) errs.push(fieldError.required('reportingController', ''));
  for (const m of qualifiedNameErrors(rc)) errs.push(fieldError.invalid('reportingController', rc, m));
  const ri = e.reportingInstance ?? '';
  if (!ri) errs.push(fieldError.required('reportingInstance', ''));
  if (ri.length > limits.reportingInstance) errs.push(fieldError.invalid('reportingInstance', '', `can have at most ${limits.reportingInstance} characters`));
  const action = e.action ?? '';
  if (!action) errs.push(fieldError.required('action', ''));
  if (action.length > limits.action) errs.push(fieldError.invalid('action', '', `can have at most ${limits.action} characters`));
  const reason = e.reason ?? '';
  if (!reason) errs.push(fieldError.required('reason', ''));
  if (reason.length > limits.reason) errs.push(fieldError.invalid('reason', '', `can have at most ${limits.reason} characters`));
  if ((e.note ?? '').length > limits.note) errs.push(fieldError.invalid('message', '', `can have at most ${limits.note} characters`));
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push(fieldError.invalid('series.count', '', 'should be at least 2'));
    if (!e.series.lastObservedTime) errs.push(fieldError.required('series.lastObservedTime', ''));
  }
  if (!e.eventTime) errs.push(fieldError.required('eventTime', ''));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(fieldError.invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.deprecatedFirstTimestamp) errs.push(fieldError.invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(fieldError.invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(fieldError.invalid('count', '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) errs.push(fieldError.invalid('source', '', 'needs to be unset'));
  return errs;
}

/** ValidateEventUpdate for events.k8s.io/v1: what was reported may not change, only the series. */
export function validateEventUpdate(e: Event, old: Event): FieldError[] {
  return [
    ...immutable(e.regarding, old.regarding, 'involvedObject'),
    ...immutable(e.reason, old.reason, 'reason'),
    ...immutable(e.note, old.note, 'message'),
    ...immutable(e.deprecatedSource, old.deprecatedSource, 'source'),
    ...immutable(e.deprecatedFirstTimestamp, old.deprecatedFirstTimestamp, 'firstTimestamp'),
    ...immutable(e.deprecatedLastTimestamp, old.deprecatedLastTimestamp, 'lastTimestamp'),
    ...immutable(e.deprecatedCount, old.deprecatedCount, 'count'),
    ...immutable(e.type, old.type, 'type'),
    ...immutable(e.eventTime, old.eventTime, 'eventTime'),
    ...immutable(e.action, old.action, 'action'),
    ...immutable(e.related, old.related, 'related'),
    ...immutable(e.reportingController, old.reportingController, 'reportingController'),
    ...immutable(e.reportingInstance, old.reportingInstance, 'reportingInstance'),
  ];
}

/** The field selectors of events.k8s.io Events (Kubernetes maps them onto the core ones). */
export function eventSelectableFields(e: Event): Record<string, string> {
  const r = e.regarding ?? {};
  return {
    'regarding.kind': r.kind ?? '',
    'regarding.namespace': r.namespace ?? '',
    'regarding.name': r.name ?? '',
    'regarding.uid': r.uid ?? '',
    'regarding.apiVersion': r.apiVersion ?? '',
    'regarding.resourceVersion': r.resourceVersion ?? '',
    'regarding.fieldPath': r.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingController: e.reportingController ?? '',
    type: e.type ?? '',
  };
}

/** The Events table (the same columns as core/v1 Events, which back these objects). */
export const eventPrinter: Printer<Event> = {
  columns: [
    column('Last Seen', { description: 'The time at which the most recent occurrence of this event was recorded.' }),
    column('Type', { description: 'Type of this event (Normal, Warning), new types could be added in the future' }),
    column('Reason', { description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status." }),
    column('Object', { description: 'The object that this event is about.' }),
    column('Subobject', { priority: 1, description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go-field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.' }),
    column('Source', { priority: 1, description: 'The component reporting this event. Should be a short machine understandable string.' }),
    column('Message', { description: 'A human-readable description of the status of this operation.' }),
    column('First Seen', { priority: 1, description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)' }),
    column('Count', { priority: 1, description: 'The number of times this event has occurred.' }),
    { ...nameColumn, priority: 1 },
  ],
  row(e, ctx) {
    const first = e.deprecatedFirstTimestamp ? age(e.deprecatedFirstTimestamp, ctx.now) : age(e.eventTime, ctx.now);
    let last = e.deprecatedLastTimestamp ? age(e.deprecatedLastTimestamp, ctx.now) : first;
    let count = e.deprecatedCount ?? 0;
    if (e.series) {
      last = age(e.series.lastObservedTime, ctx.now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1;
    const r = e.regarding ?? {};
    const kind = (r.kind ?? '').toLowerCase();
    const target = r.name ? `${kind}/${r.name}` : kind;
    const component = e.deprecatedSource?.component || e.reportingController || '';
    const instance = e.deprecatedSource?.host || e.reportingInstance || '';
    return [last, e.type ?? '', e.reason ?? '', target, r.fieldPath ?? '', instance ? `${component}, ${instance}` : component, (e.note ?? '').trim(), first, count, e.metadata?.name ?? ''];
  },
};

/** The events.k8s.io/v1 Event strategy: served from the core/v1 Event storage. */
export const eventStrategy: GroupStrategy<Event> = {
  info: builtinInfo('events.k8s.io', 'v1', 'Event'),
  schemaName: 'io.k8s.api.events.v1.Event',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  validate: validateEvent,
  validateUpdate: validateEventUpdate,
  printer: eventPrinter,
  selectableFields: eventSelectableFields,
  storageResource: { group: '', plural: 'events' },
  conversion: { toStorage: eventToCore, fromStorage: eventFromCore },
};
