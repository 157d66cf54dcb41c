// Shapes shared by every API object. Per-kind types come from `kubernetes-types` (types only, erased at build).
import type { ObjectMeta as KObjectMeta, ListMeta as KListMeta, OwnerReference as KOwnerReference, ManagedFieldsEntry as KManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';

/** Removes `readonly` from every property: the server writes the fields clients may only read. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Standard object metadata (metav1.ObjectMeta), writable as the server needs it. */
export type ObjectMeta = Mutable<KObjectMeta>;
/** Standard list metadata (metav1.ListMeta). */
export type ListMeta = Mutable<KListMeta>;
/** A reference from a dependent to its owner. */
export type OwnerReference = KOwnerReference;
/** One field manager's record in metadata.managedFields. */
export type ManagedFieldsEntry = KManagedFieldsEntry;

/** Any API object: typed metadata, everything else open. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** A list of API objects as served (`PodList`, ...). */
export interface KubeList<T = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** One reason behind a failure (metav1.StatusCause). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The API's error and success envelope (metav1.Status). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** Group, version and kind of a type. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Group, version and resource (plural) of a type. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** "apps/v1" for apps, "v1" for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Splits "apps/v1" into group and version; "v1" is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
