// Building blocks of OpenAPI v3 operations: parameters, media types and responses, in the shape Kubernetes serves.

/** An OpenAPI parameter object (always inline: kubectl looks parameters up by name). */
export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: string; uniqueItems?: boolean };
}

const str = { type: 'string', uniqueItems: true };
const bool = { type: 'boolean', uniqueItems: true };
const int = { type: 'integer', uniqueItems: true };

function query(name: string, schema: Parameter['schema'], description: string): Parameter {
  return { name, in: 'query', description, schema };
}

/** The `{name}` path parameter. */
export function nameParam(kind: string): Parameter {
  return { name: 'name', in: 'path', required: true, description: `name of the ${kind}`, schema: str };
}

/** The `{namespace}` path parameter. */
export const namespaceParam: Parameter = {
  name: 'namespace',
  in: 'path',
  required: true,
  description: 'namespace of the objects, which is also their scope for authorization',
  schema: str,
};

/** `pretty`, accepted on every path. */
export const prettyParam = query('pretty', str, "when 'true', the response is indented for people to read");

const dryRun = query(
  'dryRun',
  str,
  'when present, the request is processed in full (admission, defaulting, validation) but nothing is stored; the only accepted value is All',
);
const fieldManager = query(
  'fieldManager',
  str,
  'name of the actor that makes the change, recorded in managedFields; at most 128 printable characters; required for apply patches',
);
const fieldValidation = query(
  'fieldValidation',
  str,
  'what the server does with unknown or duplicate fields in the body: Ignore drops them, Warn drops them and returns a warning for each (the default), Strict fails the request',
);
const force = query(
  'force',
  bool,
  'for apply patches only: take ownership of fields that other managers own instead of failing with a conflict',
);

/** Parameters of create and replace. */
export const writeParams: Parameter[] = [dryRun, fieldManager, fieldValidation];
/** Parameters of patch: the write parameters plus `force`. */
export const patchParams: Parameter[] = [dryRun, fieldManager, fieldValidation, force];

const listOnly: Record<string, Parameter> = {
  allowWatchBookmarks: query('allowWatchBookmarks', bool, 'watch only: the server may send BOOKMARK events, which clients must be ready to receive'),
  continue: query('continue', str, 'token from the previous page of a paged list, to read the next page from the same snapshot'),
  fieldSelector: query('fieldSelector', str, 'restricts the objects returned by their fields; default: everything'),
  labelSelector: query('labelSelector', str, 'restricts the objects returned by their labels; default: everything'),
  limit: query('limit', int, 'largest number of items to return; when more exist, the list metadata carries a continue token'),
  resourceVersion: query('resourceVersion', str, 'constrains which resource versions the request may be served from; unset means the most recent'),
  resourceVersionMatch: query('resourceVersionMatch', str, 'how resourceVersion applies to a list: NotOlderThan or Exact'),
  sendInitialEvents: query('sendInitialEvents', bool, 'watch only: begin the stream with synthetic events for the current state, then a bookmark'),
  timeoutSeconds: query('timeoutSeconds', int, 'time limit of the list or watch call, whether or not anything happens'),
  watch: query('watch', bool, 'watch for changes to the described objects and stream add, update and remove notifications'),
};

/** Parameters of list (and watch). */
export const listParams: Parameter[] = Object.values(listOnly);

const deleteOnly: Parameter[] = [
  dryRun,
  query('gracePeriodSeconds', int, 'seconds before the object is deleted; zero deletes at once; unset uses the default of the type'),
  query(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    bool,
    'deletes an object that cannot be read from storage (corrupt or undecryptable); skips finalizers and may break the cluster',
  ),
  query('orphanDependents', bool, 'deprecated, use propagationPolicy: when true, dependents are orphaned rather than garbage collected'),
  query('propagationPolicy', str, 'how dependents are garbage collected: Orphan, Background or Foreground'),
];

/** Parameters of delete. */
export const deleteParams: Parameter[] = deleteOnly;

/** Parameters of deletecollection: delete's plus the list selectors. */
export const deleteCollectionParams: Parameter[] = [
  listOnly.continue as Parameter,
  ...deleteOnly,
  listOnly.fieldSelector as Parameter,
  listOnly.labelSelector as Parameter,
  listOnly.limit as Parameter,
  listOnly.resourceVersion as Parameter,
  listOnly.resourceVersionMatch as Parameter,
  listOnly.sendInitialEvents as Parameter,
  listOnly.timeoutSeconds as Parameter,
];

/** Media types an object can be read and written in. */
export const objectMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
/** Media types of list responses (watch streams too). */
export const listMediaTypes = [...objectMediaTypes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

/** Patch media types of built-in kinds; custom resources have no strategic merge patch. */
export function patchMediaTypes(strategicMerge: boolean): string[] {
  return [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(strategicMerge ? ['application/strategic-merge-patch+json'] : []),
  ];
}

/** `{ <type>: { schema } }` for each media type. */
export function content(types: string[], schema: object): Record<string, { schema: object }> {
  const out: Record<string, { schema: object }> = {};
  for (const t of types) out[t] = { schema };
  return out;
}

const statusText: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };

/** Responses with the given success codes, each returning `schema`, plus 401. */
export function responses(codes: string[], types: string[], schema: object): Record<string, object> {
  const out: Record<string, object> = {};
  for (const c of codes) out[c] = { description: statusText[c] ?? c, content: content(types, schema) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}
