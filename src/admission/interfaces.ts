// The admission seam: the attributes of a write, the plugin interface, and the small lookup plugins read other
// objects through (the API server implements it; plugins never touch registry or storage).
import type { GroupVersionKind, GroupVersionResource, KubeObject } from '../api/index.js';
import type { Clock } from '../util/index.js';

/** The operation being admitted, as AdmissionReview names it. */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** Who makes the request. */
export interface AdmissionUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The resource a write goes to: group, plural and subresource ('' for the main resource). */
export interface AdmissionResource {
  group: string;
  resource: string;
  subresource: string;
}

/** Everything a plugin learns about one write. */
export interface AdmissionAttributes {
  operation: Operation;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  /** '' for the main resource. */
  subresource: string;
  /** '' for cluster-scoped resources. */
  namespace: string;
  /** The name of the URL; '' on a create (the object may carry a name or a generateName). */
  name: string;
  /** The new object (absent on DELETE and CONNECT). `admit` may change it; `validate` must not. */
  object: KubeObject | undefined;
  /** The stored object on UPDATE and DELETE. Shared with the cache: never change it. */
  oldObject: KubeObject | undefined;
  userInfo: AdmissionUser | undefined;
  dryRun: boolean;
}

/** A resource plugins read: group and plural, served in its preferred version. */
export interface ResourceRef {
  group: string;
  resource: string;
}

/**
 * How plugins read other objects (namespaces, service accounts, limit ranges, quotas, classes). Objects returned
 * are shared with the server's cache: plugins copy before changing one. `updateStatus` writes an object's status
 * subresource with its resourceVersion as precondition (a stale one fails with 409 Conflict); only ResourceQuota
 * admission writes.
 */
export interface ObjectLookup {
  get(r: ResourceRef, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(r: ResourceRef, namespace: string | undefined): Promise<KubeObject[]>;
  updateStatus(r: ResourceRef, obj: KubeObject): Promise<KubeObject>;
}

/**
 * An admission plugin. `handles` says, once per operation and resource, whether the plugin wants the write at all
 * (the chain caches the answer, so a write no plugin wants costs nothing). `admit` runs in the mutating phase,
 * before the resource's strategy, and may change `a.object`; `validate` runs after the strategy validated the
 * object, just before storage, and may only refuse. Refusals are StatusErrors thrown (usually 403 Forbidden, see
 * `admissionForbidden`).
 */
export interface AdmissionPlugin {
  readonly name: string;
  handles(operation: Operation, resource: AdmissionResource): boolean;
  admit?(a: AdmissionAttributes): Promise<void> | void;
  validate?(a: AdmissionAttributes): Promise<void> | void;
}

/** What a plugin is built from. */
export interface PluginDeps {
  lookup: ObjectLookup;
  clock: Clock;
  /** Waits (between lookups of a default ServiceAccount not made yet); tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** A random number in [0, 1), for generated names; tests pass a fixed one. */
  random?: () => number;
}

/** Builds a plugin. */
export type PluginFactory = (deps: PluginDeps) => AdmissionPlugin;
