// API errors: one class carrying a Kubernetes Status, and builders with Kubernetes' exact wording.
import type { Status, StatusCause } from '../api/index.js';
import { fieldErrorBody, fieldErrorMessage, type FieldError } from './field-errors.js';

/** Stable reasons, as Kubernetes' metav1.StatusReason. */
export const Reason = {
  BadRequest: 'BadRequest',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Expired: 'Expired',
  Invalid: 'Invalid',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  UnsupportedMediaType: 'UnsupportedMediaType',
  TooManyRequests: 'TooManyRequests',
  InternalError: 'InternalError',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
} as const;

/** Identifies what an error is about, for Status.details. `kind` is the resource plural (or Kind for Invalid). */
export interface ErrorTarget {
  group?: string | undefined;
  resource: string;
  name?: string | undefined;
}

/** An error that the API server turns into a Status response as is. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'>) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/** `pods` or `deployments.apps`: how Kubernetes names a resource in messages. */
export function qualifiedResource(t: ErrorTarget): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

function details(t: ErrorTarget, causes?: StatusCause[]): NonNullable<Status['details']> {
  const d: NonNullable<Status['details']> = {};
  if (t.name !== undefined) d.name = t.name;
  if (t.group) d.group = t.group;
  d.kind = t.resource;
  if (causes) d.causes = causes;
  return d;
}

/** 404 NotFound: `pods "x" not found`. */
export function notFound(t: ErrorTarget): StatusError {
  return new StatusError({ code: 404, reason: Reason.NotFound, message: `${qualifiedResource(t)} "${t.name ?? ''}" not found`, details: details(t) });
}

/** 404 for a path the server does not serve. */
export function pathNotFound(): StatusError {
  return new StatusError({ code: 404, reason: Reason.NotFound, message: 'the server could not find the requested resource', details: {} });
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function alreadyExists(t: ErrorTarget): StatusError {
  return new StatusError({ code: 409, reason: Reason.AlreadyExists, message: `${qualifiedResource(t)} "${t.name ?? ''}" already exists`, details: details(t) });
}

/** 409 Conflict on a stale resourceVersion, with Kubernetes' wording. */
export function conflict(t: ErrorTarget, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return new StatusError({
    code: 409,
    reason: Reason.Conflict,
    message: `Operation cannot be fulfilled on ${qualifiedResource(t)} "${t.name ?? ''}": ${why}`,
    details: details(t),
  });
}

/** 422 Invalid: `Pod "x" is invalid: [a: ..., b: ...]`; `kind` is the Kind, group the API group. */
export function invalid(kind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const msgs = errs.map(fieldErrorMessage);
  const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const causes = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  const d: NonNullable<Status['details']> = { name, kind: kind.kind, causes };
  if (kind.group) d.group = kind.group;
  return new StatusError({ code: 422, reason: Reason.Invalid, message: `${qualifiedKind} "${name}" is invalid: ${agg}`, details: d });
}

/** 400 BadRequest with a free message. */
export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return new StatusError(causes ? { code: 400, reason: Reason.BadRequest, message, details: { causes } } : { code: 400, reason: Reason.BadRequest, message });
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(): StatusError {
  return new StatusError({ code: 405, reason: Reason.MethodNotAllowed, message: 'the server does not allow this method on the requested resource', details: {} });
}

/** 410 Expired for a resourceVersion older than the retained history. */
export function expired(message: string): StatusError {
  return new StatusError({ code: 410, reason: Reason.Expired, message });
}

/** 410 Expired for a watch or list from a compacted revision: `too old resource version: 10 (20)`. */
export function tooOldResourceVersion(requested: number, oldest: number): StatusError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

/** 413 for request bodies over the limit. */
export function tooLarge(limit: number): StatusError {
  return new StatusError({ code: 413, reason: Reason.RequestEntityTooLarge, message: `Request entity too large: limit is ${limit}` });
}

/** 415 for a body in a format the endpoint does not take. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): StatusError {
  return new StatusError({
    code: 415,
    reason: Reason.UnsupportedMediaType,
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  });
}

/** 406 when no acceptable response type can be produced. */
export function notAcceptable(accepted: readonly string[]): StatusError {
  return new StatusError({ code: 406, reason: Reason.NotAcceptable, message: `only the following media types are accepted: ${accepted.join(', ')}` });
}

/** 500 InternalError: only for real bugs, never for bad input. */
export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return new StatusError({ code: 500, reason: Reason.InternalError, message: `Internal error occurred: ${msg}`, details: { causes: [{ message: msg }] } });
}

/** 503 ServiceUnavailable. */
export function unavailable(message: string): StatusError {
  return new StatusError({ code: 503, reason: Reason.ServiceUnavailable, message });
}

/** 403 Forbidden. */
export function forbidden(t: ErrorTarget, message: string): StatusError {
  return new StatusError({ code: 403, reason: Reason.Forbidden, message, details: details(t) });
}

/** True when `e` is a StatusError with the given reason. */
export function isReason(e: unknown, reason: string): e is StatusError {
  return e instanceof StatusError && e.reason === reason;
}
