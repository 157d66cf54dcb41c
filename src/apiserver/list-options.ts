// The query parameters of a collection GET (list or watch), decoded and checked as kube-apiserver does:
// booleans as its parameter codec reads them, defaults for watch-list, and 422 ListOptions for bad combinations.
import { badRequest, fieldError, invalid, type FieldError } from '../machinery/index.js';

/** The list/watch parameters of one request. */
export interface ListParams {
  watch: boolean;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  /** Unset, or what the client (or the watch-list default) asked for. */
  sendInitialEvents: boolean | undefined;
  allowWatchBookmarks: boolean;
  continue: string | undefined;
  limit: number | undefined;
  /** As given: 0 means the server's default, a negative value ends the watch at once (as in Kubernetes). */
  timeoutSeconds: number | undefined;
}

/** A boolean query parameter: absent, "0" and "false" (any case) are false; anything else, even "", is true. */
export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/** Decodes the list/watch parameters; a combination Kubernetes refuses is a 422 ListOptions error. */
export function listParams(q: URLSearchParams, opts: { watchPath?: boolean } = {}): ListParams {
  const limit = intParam(q, 'limit');
  const timeout = intParam(q, 'timeoutSeconds');
  const p: ListParams = {
    watch: opts.watchPath === true || queryBool(q, 'watch') === true,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') || undefined,
    sendInitialEvents: queryBool(q, 'sendInitialEvents'),
    allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks') === true,
    continue: q.get('continue') || undefined,
    limit: limit !== undefined && limit > 0 ? limit : undefined,
    timeoutSeconds: timeout,
  };
  // With watch-list on (as in Kubernetes 1.32), a watch from "" or "0" is a watch-list of the current state.
  if (p.watch && p.sendInitialEvents === undefined && p.resourceVersionMatch === undefined && (!p.resourceVersion || p.resourceVersion === '0')) {
    p.sendInitialEvents = true;
    p.resourceVersionMatch = 'NotOlderThan';
  }
  const errs = p.watch ? watchErrors(p) : listErrors(p);
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  return p;
}

const matchPath = 'resourceVersionMatch';

function listErrors(p: ListParams): FieldError[] {
  const errs: FieldError[] = [];
  const match = p.resourceVersionMatch;
  if (match) {
    if (!p.resourceVersion) errs.push(fieldError.forbidden(matchPath, 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (p.continue) errs.push(fieldError.forbidden(matchPath, 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(fieldError.notSupported(matchPath, match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && p.resourceVersion === '0') errs.push(fieldError.forbidden(matchPath, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (p.sendInitialEvents !== undefined) errs.push(fieldError.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

function watchErrors(p: ListParams): FieldError[] {
  const errs: FieldError[] = [];
  const match = p.resourceVersionMatch;
  if (p.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push(fieldError.forbidden(matchPath, 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (p.sendInitialEvents === undefined) errs.push(fieldError.forbidden(matchPath, 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errs.push(fieldError.notSupported(matchPath, match, ['NotOlderThan']));
    if (p.continue) errs.push(fieldError.forbidden(matchPath, 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errs;
}
