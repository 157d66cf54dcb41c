// Apply conflicts and the other errors of server-side apply, as the Status responses Kubernetes sends.
import { badRequest, Reason, StatusError } from '../errors.js';
import { goQuote, pathString, type PathElement } from './path-element.js';
import type { ManagerSet } from './managers.js';
import type { TypedValueError } from './values.js';

/** A field another manager owns with a different value than the one applied. */
export interface Conflict {
  /** the manager's identity (see managerId) */
  managerId: string;
  manager: ManagerSet;
  path: PathElement[];
}

/** How a manager is named in conflict messages: `"kubectl-client-side-apply" using apps/v1`. */
export function describeManager(m: ManagerSet): string {
  let s = goQuote(m.manager);
  if (m.subresource) s += ` with subresource ${goQuote(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/**
 * 409 Conflict for an apply that would change fields other managers own:
 * `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`, one cause per field.
 */
export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const ordered = [...conflicts].sort((a, b) => (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0));
  const causes = ordered.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  const first = ordered[0];
  if (ordered.length === 1 && first) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(first.manager)}: ${pathString(first.path)}`;
  } else {
    const lines: string[] = [];
    let current: string | undefined;
    for (const c of ordered) {
      if (c.managerId !== current) {
        current = c.managerId;
        lines.push(`conflicts with ${describeManager(c.manager)}:`);
      }
      lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${ordered.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({ code: 409, reason: Reason.Conflict, message, details: { causes } });
}

/** The object an apply is about, for error messages: `default/web; apps/v1, Kind=Deployment`. */
export interface ApplyTarget {
  namespace?: string | undefined;
  name?: string | undefined;
  apiVersion: string;
  kind: string;
}

/** `apps/v1, Kind=Deployment` (core kinds: `/v1, Kind=Pod`), as Kubernetes prints a group-version-kind. */
export function gvkString(apiVersion: string, kind: string): string {
  return `${apiVersion.includes('/') ? apiVersion : '/' + apiVersion}, Kind=${kind}`;
}

/** 500 for an applied configuration the typed merge refuses (duplicates, items without keys, unknown fields). */
export function typedPatchError(t: ApplyTarget, errors: readonly TypedValueError[]): StatusError {
  const detail = errors.length === 1 ? (errors[0] as TypedValueError).message : ['errors:', ...errors.map((e) => '  ' + e.message)].join('\n');
  const message = `failed to create typed patch object (${t.namespace ?? ''}/${t.name ?? ''}; ${gvkString(t.apiVersion, t.kind)}): ${detail}`;
  return applyFailure(message);
}

/** 400 for an applied object of another kind or version than the endpoint's. */
export function invalidObjectType(apiVersion: string, kind: string): StatusError {
  return badRequest(`invalid object type: ${gvkString(apiVersion, kind)}`);
}

/** 400 when the applied configuration carries metadata.managedFields. */
export function managedFieldsInApply(): StatusError {
  return badRequest('metadata.managedFields must be nil');
}

/** 500 when the stored managedFields cannot be read. */
export function undecodableManagedFields(err: Error): StatusError {
  return applyFailure(`failed to decode managed fields: ${err.message}`);
}

/** 500 without a reason, as Kubernetes answers errors of the typed merge that carry no status of their own. */
export function applyFailure(message: string): StatusError {
  return new StatusError({ code: 500, message });
}
