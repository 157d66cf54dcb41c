// What request handlers need from the server around them: registry, clock, and the pluggable pieces.
import type { KubeObject, ResourceInfo } from '../api/index.js';
import type { AdmissionChain } from '../admission/index.js';
import type { GenericStore, ObjectRef } from '../registry/generic-store.js';
import type { Registry } from '../registry/registry.js';
import type { Clock, Logger } from '../util/index.js';
import type { ProtobufDecoder, FieldValidation } from './body.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { DeleteRequest, ResourceTarget } from './resources.js';

/** Compiled selectors. */
export interface Selectors {
  /** Compiles a label selector string; a bad one is a 400. */
  labels(s: string): (labels: Record<string, string>) => boolean;
  /** Compiles a field selector for a store; unknown fields or bad syntax are a 400. */
  fields(s: string, store: GenericStore): (fields: Record<string, string>) => boolean;
}

/** Schema checking of decoded bodies. */
export interface SchemaChecker {
  /** Finds unknown fields (removing them when `dropUnknown`) and type errors (as Kubernetes' decode message). */
  check(obj: KubeObject, schemaName: string, opts: { kind: string; version: string; dropUnknown: boolean }): { unknown: string[]; error?: string };
}

/** The patch types. Each returns a new object and never mutates its inputs. */
export interface Patcher {
  json(doc: KubeObject, patch: unknown): KubeObject;
  merge(doc: KubeObject, patch: unknown): KubeObject;
  strategic(doc: KubeObject, patch: unknown, store: GenericStore): KubeObject;
  strategicSupported(store: GenericStore): boolean;
}

/** The shared context of all handlers of one API server. */
export interface ServerContext {
  clock: Clock;
  logger: Logger;
  registry: Registry;
  selectors: Selectors;
  schema: SchemaChecker;
  protobuf?: ProtobufDecoder;
  patch: Patcher;
  /** Server-side apply (application/apply-patch+yaml). */
  apply(req: ApiRequest, t: ResourceTarget, opts: { dryRun: boolean; fieldManager: string | undefined; mode: FieldValidation }): Promise<ApiResponse>;
  /** Names of subresources served by `subresources` beyond those in the resource's info. */
  subresourceNames?(info: ResourceInfo): string[];
  /** Subresources other than status (scale, binding, log, ...). */
  subresources(req: ApiRequest, t: ResourceTarget): Promise<ApiResponse>;
  /** The admission chain every write runs through (mutating before the strategy, validating before storage). */
  admission?: AdmissionChain;
  /** Refuses writes into a namespace that does not exist (or is terminating); `target` is what is being created. */
  admitNamespace(namespace: string, req: ApiRequest, target?: { group: string; resource: string; name: string }): Promise<void>;
  /** Deletes one object, honouring finalizers and grace periods; `pending` when it is kept for now. */
  deleter(store: GenericStore, namespace: string | undefined, name: string, opts: DeleteRequest): Promise<{ ref: ObjectRef; pending: boolean }>;
  currentRevision(): Promise<number>;
}
