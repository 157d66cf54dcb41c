// Typed checks on the errors a client call throws, named as client-go's apierrors helpers.
import { StatusError } from '../machinery/index.js';

/** The reason of a StatusError, or undefined for any other error. */
function reasonOf(e: unknown): string | undefined {
  return e instanceof StatusError ? e.reason : undefined;
}

/** True for a 404 NotFound. */
export function isNotFound(e: unknown): e is StatusError {
  return reasonOf(e) === 'NotFound';
}

/** True for a 409 AlreadyExists. */
export function isAlreadyExists(e: unknown): e is StatusError {
  return reasonOf(e) === 'AlreadyExists';
}

/** True for a 409 Conflict (a stale resourceVersion or a failed precondition). */
export function isConflict(e: unknown): e is StatusError {
  return reasonOf(e) === 'Conflict';
}

/** True for a 410: the resourceVersion or continue token asked for is older than the server keeps (Expired or Gone). */
export function isExpired(e: unknown): e is StatusError {
  const r = reasonOf(e);
  return r === 'Expired' || r === 'Gone';
}

/** True when a list or watch asked for a resourceVersion newer than the server has (504 with cause ResourceVersionTooLarge). */
export function isTooLargeResourceVersion(e: unknown): e is StatusError {
  if (!(e instanceof StatusError) || e.reason !== 'Timeout') return false;
  return (e.status.details?.causes ?? []).some((c) => c.reason === 'ResourceVersionTooLarge');
}

/** True for a 429 TooManyRequests. */
export function isTooManyRequests(e: unknown): e is StatusError {
  return reasonOf(e) === 'TooManyRequests';
}

/** True for a 422 Invalid. */
export function isInvalid(e: unknown): e is StatusError {
  return reasonOf(e) === 'Invalid';
}

/** True for a 403 Forbidden. */
export function isForbidden(e: unknown): e is StatusError {
  return reasonOf(e) === 'Forbidden';
}
