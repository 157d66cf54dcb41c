// The core/v1 Event strategy (pkg/registry/core/event/strategy.go): legacy event validation and kubectl's columns.
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, column, nameColumn } from '../../printing.js';
import { anyName, as, coreInfo, invalidEach, isDNS1123Subdomain, isQualifiedName, type CoreStrategy } from '../shared/index.js';

/** legacyValidateEvent: namespaces agree; events with eventTime carry reporting fields. */
export function validateLegacyEvent(obj: KubeObject): FieldError[] {
  const ev = as<Event>(obj);
  const ns = obj.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const errs: FieldError[] = [];
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(fieldError.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) errs.push(fieldError.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(fieldError.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    const rc = ev.reportingComponent ?? '';
    if (!rc) errs.push(fieldError.required('reportingController'));
    errs.push(...invalidEach('reportingController', rc, isQualifiedName(rc)));
    const ri = ev.reportingInstance ?? '';
    if (!ri) errs.push(fieldError.required('reportingInstance'));
    if (ri.length > 128) errs.push(fieldError.invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = ev.action ?? '';
    if (!action) errs.push(fieldError.required('action'));
    if (action.length > 128) errs.push(fieldError.invalid('action', '', 'can have at most 128 characters'));
    const reason = ev.reason ?? '';
    if (!reason) errs.push(fieldError.required('reason'));
    if (reason.length > 128) errs.push(fieldError.invalid('reason', '', 'can have at most 128 characters'));
    if ((ev.message ?? '').length > 1024) errs.push(fieldError.invalid('message', '', 'can have at most 1024 characters'));
  }
  errs.push(...invalidEach('namespace', ns, isDNS1123Subdomain(ns)));
  return errs;
}

/** `kind/name` of the involved object, in lower-case kind. */
function eventTarget(ev: Event): string {
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  return ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
}

/** `component, host`, falling back to the reporting controller and instance. */
function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** The cells of an event row (Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name). */
export function eventRow(ev: Event, now: number): (string | number)[] {
  const first = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now);
  let last = ev.lastTimestamp ? age(ev.lastTimestamp, now) : first;
  let count = ev.count ?? 0;
  if (ev.series) {
    last = age(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) count = 1;
  return [last, ev.type ?? '', ev.reason ?? '', eventTarget(ev), ev.involvedObject?.fieldPath ?? '', eventSource(ev), (ev.message ?? '').trim(), first, count, ev.metadata?.name ?? ''];
}

/** The core/v1 Event strategy. */
export const eventStrategy: CoreStrategy = {
  info: coreInfo('Event'),
  schemaName: 'io.k8s.api.core.v1.Event',
  // core/v1 Events skip ObjectMeta name validation upstream; events.k8s.io/v1 checks DNS subdomains.
  nameValidation: anyName,
  generation: 'none',
  allowCreateOnUpdate: true,
  validate: validateLegacyEvent,
  printer: {
    columns: [
      column('Last Seen', { description: 'The time at which the most recent occurrence of this event was recorded.' }),
      column('Type', { description: 'Type of this event (Normal, Warning), new types could be added in the future' }),
      column('Reason', { description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status." }),
      column('Object', { description: 'The object that this event is about.' }),
      column('Subobject', { priority: 1, description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.' }),
      column('Source', { priority: 1, description: 'The component reporting this event. Should be a short machine understandable string.' }),
      column('Message', { description: 'A human-readable description of the status of this operation.' }),
      column('First Seen', { priority: 1, description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)' }),
      column('Count', { priority: 1, description: 'The number of times this event has occurred.' }),
      { ...nameColumn, priority: 1 },
    ],
    row: (obj, ctx) => eventRow(as<Event>(obj), ctx.now),
  },
  selectableFields(obj) {
    const ev = as<Event>(obj);
    const io = ev.involvedObject ?? {};
    return {
      'involvedObject.kind': io.kind ?? '',
      'involvedObject.namespace': io.namespace ?? '',
      'involvedObject.name': io.name ?? '',
      'involvedObject.uid': io.uid ?? '',
      'involvedObject.apiVersion': io.apiVersion ?? '',
      'involvedObject.resourceVersion': io.resourceVersion ?? '',
      'involvedObject.fieldPath': io.fieldPath ?? '',
      reason: ev.reason ?? '',
      reportingComponent: ev.reportingComponent ?? '',
      source: ev.source?.component || ev.reportingComponent || '',
      type: ev.type ?? '',
    };
  },
};
