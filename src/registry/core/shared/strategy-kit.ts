// The pieces every core strategy shares: name validators, the CoreStrategy shape, status-subresource builders.
import type { KubeObject } from '../../../api/index.js';
import { builtinResources, type ResourceInfo } from '../../../api/index.js';
import type { FieldError } from '../../../machinery/index.js';
import type { ResourceStrategy, StrategyContext, SubresourceStrategy } from '../../strategy.js';
import { nameIsDNS1035Label as dns1035, nameIsDNSLabel as dnsLabel, nameIsDNSSubdomain as dnsSubdomain } from '../../../machinery/index.js';

/**
 * Checks an object name and returns Kubernetes' error texts (empty when valid). `prefix` is true for
 * metadata.generateName, where a trailing dash is allowed (a suffix is appended).
 */
export type NameValidator = (name: string, prefix?: boolean) => string[];

/** NameIsDNSSubdomain: most kinds. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix = false) => dnsSubdomain(name, prefix);
/** NameIsDNSLabel: Namespaces. */
export const nameIsDNSLabel: NameValidator = (name, prefix = false) => dnsLabel(name, prefix);
/** NameIsDNS1035Label: Services. */
export const nameIsDNS1035Label: NameValidator = (name, prefix = false) => dns1035(name, prefix);
/** Accepts every name (core/v1 Events skip name validation upstream). */
export const anyName: NameValidator = () => [];

/** A core resource strategy: the generic ResourceStrategy plus the kind's object-name rule. */
export interface CoreStrategy extends ResourceStrategy {
  /** How metadata.name (and generateName, with prefix=true) is checked for this kind. */
  readonly nameValidation: NameValidator;
}

/** The ResourceInfo of a core/v1 kind from the built-in table. */
export function coreInfo(kind: string): ResourceInfo {
  const info = builtinResources.find((r) => r.group === '' && r.version === 'v1' && r.kind === kind);
  if (!info) throw new Error(`no built-in core/v1 resource for kind ${kind}`);
  return info;
}

/**
 * The usual status subresource: the new object keeps the old spec (and everything else outside
 * status and metadata); metadata is the store's business. `extra` adds kind-specific steps.
 */
export function statusSubresource(opts: {
  prepare?: (obj: KubeObject, old: KubeObject, ctx: StrategyContext) => void;
  validate?: (obj: KubeObject, old: KubeObject, ctx: StrategyContext) => FieldError[];
} = {}): SubresourceStrategy {
  return {
    prepareForUpdate(obj, old, ctx) {
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') obj[k] = structuredClone(v);
      opts.prepare?.(obj, old, ctx);
    },
    validateUpdate: (obj, old, ctx) => opts.validate?.(obj, old, ctx) ?? [],
  };
}

/** Main-resource update rule for kinds with a status: the new object keeps the old status. */
export function keepOldStatus(obj: KubeObject, old: KubeObject): void {
  if (old['status'] === undefined) delete obj['status'];
  else obj['status'] = structuredClone(old['status']);
}

/** Generation on update for kinds that track spec changes: the old value, plus one when the spec changed. */
export function bumpGeneration(obj: KubeObject, old: KubeObject, changed: boolean): void {
  const prev = old.metadata?.generation ?? 0;
  const next = changed ? prev + 1 : prev;
  obj.metadata = obj.metadata ?? {};
  if (next === 0) delete obj.metadata.generation;
  else obj.metadata.generation = next;
}

/** Generation on create for kinds that track spec changes: always 1. */
export function firstGeneration(obj: KubeObject): void {
  obj.metadata = obj.metadata ?? {};
  obj.metadata.generation = 1;
}
