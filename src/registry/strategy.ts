// The resource strategy seam: what makes one resource different, plugged into the one generic store.
import type { KubeObject, ResourceInfo } from '../api/index.js';
import type { FieldError } from '../machinery/index.js';

/** One column of a server-side Table (meta.k8s.io/v1 TableColumnDefinition). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 = shown by default; >0 = only with `-o wide`. */
  priority: number;
}

/** What a table row builder gets besides the object. */
export interface PrintContext {
  /** The current time in ms, for AGE columns. */
  now: number;
}

/** Prints objects of one kind as Table rows, with the columns kubectl shows on a real cluster. */
export interface Printer<T extends KubeObject = KubeObject> {
  columns: TableColumn[];
  /** One cell per column, in order: strings, numbers or booleans, already formatted. */
  row(obj: T, ctx: PrintContext): (string | number | boolean | null)[];
}

/** What strategies are told about the request they work for. */
export interface StrategyContext {
  /** The current time in ms. */
  now: number;
  /** True under dryRun=All: do everything but persist. */
  dryRun: boolean;
  /** Which write this is (on an update, `validate` runs on the new object before `validateUpdate`). */
  operation?: 'create' | 'update';
}

/** Update rules for a subresource such as `status`: which parts of the new object are kept. */
export interface SubresourceStrategy<T extends KubeObject = KubeObject> {
  /** Copies onto `obj` whatever this subresource may not change (for status: everything but status). */
  prepareForUpdate(obj: T, old: T, ctx: StrategyContext): void;
  validateUpdate(obj: T, old: T, ctx: StrategyContext): FieldError[];
}

/**
 * A resource strategy: the stateless rules of one resource, plugged into the generic store.
 *
 * The generic store calls, for every create: admission(mutate) → `defaults` → `prepareForCreate` → `validate`
 * (collect every field error; never mutate) → `canonicalize` → admission(validate) → storage.
 * For an update: `defaults` → `prepareForUpdate(new, old)` (keep status, bump generation on spec change) →
 * `validateUpdate` → `canonicalize` → storage. The status subresource uses `status` in place of the main
 * update rules. Generic metadata rules (names, labels, annotations, finalizers, owner references, immutable
 * fields such as uid and creationTimestamp) are enforced by the store for every resource; strategies only
 * add what is specific to their kind.
 */
export interface ResourceStrategy<T extends KubeObject = KubeObject> {
  readonly info: ResourceInfo;
  /** The OpenAPI component name of the kind, e.g. `io.k8s.api.core.v1.Pod`: schema for decoding, validation, OpenAPI and explain. */
  readonly schemaName: string;
  /** Validates metadata.name (or, with `prefix`, metadata.generateName); returns error texts. Default: DNS-1123 subdomain. */
  readonly nameValidation?: (name: string, prefix: boolean) => string[];
  /** Applies Kubernetes' defaults (its SetDefaults_* functions), on a private copy of the decoded object. */
  defaults?(obj: T): void;
  /** Called on create after defaulting: clear what users may not set (usually status), set initial values. */
  prepareForCreate?(obj: T, ctx: StrategyContext): void;
  /** Called on update after defaulting: keep what the main resource may not change (usually status). */
  prepareForUpdate?(obj: T, old: T, ctx: StrategyContext): void;
  /** Kind-specific validation of a new object. */
  validate?(obj: T, ctx: StrategyContext): FieldError[];
  /** Kind-specific validation of an update (immutable fields, ...); `validate` is also run on the new object. */
  validateUpdate?(obj: T, old: T, ctx: StrategyContext): FieldError[];
  /** Warnings returned in `Warning` headers after a successful write. */
  warnings?(obj: T, old: T | undefined): string[];
  /** Normalizes the object just before it is stored. */
  canonicalize?(obj: T): void;
  /** Whether a change of this object bumps metadata.generation (true when anything outside metadata and status changed). */
  readonly generation?: 'spec' | 'none';
  /** Table columns; absent means Name and Created At. */
  readonly printer?: Printer<T>;
  /** Field-selector values beyond metadata.name and metadata.namespace (which every resource has). */
  selectableFields?(obj: T): Record<string, string>;
  /** Rules for the status subresource, when the resource has one. */
  readonly status?: SubresourceStrategy<T>;
  /**
   * Finalizers of the kind's own beyond metadata.finalizers (a namespace's spec.finalizers): while this is true an
   * object being deleted stays when an update leaves it without metadata finalizers.
   */
  finalizersPending?(obj: T): boolean;
  /** Rules for a namespace's finalize subresource (the only way to change spec.finalizers). */
  readonly finalize?: SubresourceStrategy<T>;
  /** PUT of an object that does not exist creates it (true for a few resources only). */
  readonly allowCreateOnUpdate?: boolean;
  /** For a resource served in a version other than its storage version: converts between the two. */
  readonly conversion?: Conversion;
  /** Where objects are stored when it is not the resource's own group and plural (events.k8s.io Events live with core Events). */
  readonly storageResource?: { group: string; plural: string };
  /**
   * Removes the fields the resource's schema does not know and returns their paths (`spec.foo`), for resources
   * whose schema is not a built-in type (custom resources). The paths feed fieldValidation (Strict, Warn, Ignore).
   */
  prune?(obj: T): string[];
  /** Where the scale subresource reads and writes the replica count, when the resource has one. */
  readonly scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** Component schemas this resource adds to the OpenAPI documents (custom resources), by component name. */
  readonly definitions?: Readonly<Record<string, unknown>>;
}

/** Converts objects between a served version and the storage version of the same resource. */
export interface Conversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}
