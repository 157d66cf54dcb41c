// Admission refusals worded as kube-apiserver words them.
import type { KubeObject } from '../api/index.js';
import { forbidden, StatusError } from '../machinery/index.js';
import type { AdmissionAttributes } from './interfaces.js';

/**
 * The name a refusal is about: the URL's name, else the object's name, else its generateName (names are not
 * generated yet in the mutating phase), else `Unknown`.
 */
export function admissionName(a: Pick<AdmissionAttributes, 'name' | 'object'>): string {
  if (a.name) return a.name;
  const m = (a.object as KubeObject | undefined)?.metadata;
  return m?.name || m?.generateName || 'Unknown';
}

/** 403 Forbidden: `pods "web" is forbidden: <message>`; a Forbidden error is passed through unwrapped. */
export function admissionForbidden(a: Pick<AdmissionAttributes, 'name' | 'object' | 'resource'>, message: string | StatusError): StatusError {
  if (message instanceof StatusError) {
    const e: StatusError = message;
    if (e.reason === 'Forbidden') return e;
    message = e.message;
  }
  const name = admissionName(a);
  const group = a.resource.group;
  const qualified = group ? `${a.resource.resource}.${group}` : a.resource.resource;
  return forbidden({ group, resource: a.resource.resource, name }, `${qualified} "${name}" is forbidden: ${message}`);
}

/** Joins refusal reasons as Kubernetes' aggregate error does: repeats dropped, one alone, several in brackets. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
