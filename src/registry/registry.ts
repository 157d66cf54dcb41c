// The set of served resources: one generic store per group/version/resource, found by URL parts.
import type { ResourceInfo } from '../api/index.js';
import type { Backend } from '../storage/backend.js';
import type { Clock } from '../util/index.js';
import { GenericStore, type MetaValidator, type StoreHook } from './generic-store.js';
import type { ResourceStrategy } from './strategy.js';

/** What every store of a registry shares. */
export interface RegistryOptions {
  backend: Backend;
  clock: Clock;
  meta: MetaValidator;
}

/** All stores, looked up by group, version and plural (or short name / kind for tools). */
export class Registry {
  private readonly byPath = new Map<string, GenericStore>();
  private readonly order: GenericStore[] = [];
  private listeners: (() => void)[] = [];
  /** Bumped whenever the set of resources changes (discovery and OpenAPI caches key on it). */
  generation = 0;

  constructor(private readonly opts: RegistryOptions) {}

  /** Serves a resource with the given strategy; replaces an earlier one with the same group/version/plural. */
  add(strategy: ResourceStrategy, beforeStore?: StoreHook): GenericStore {
    const { group, version, plural } = strategy.info;
    const store = new GenericStore({ backend: this.opts.backend, clock: this.opts.clock, meta: this.opts.meta, strategy, beforeStore });
    const k = `${group}/${version}/${plural}`;
    const old = this.byPath.get(k);
    this.byPath.set(k, store);
    if (old) this.order[this.order.indexOf(old)] = store;
    else this.order.push(store);
    this.changed();
    return store;
  }

  /** Stops serving a resource. */
  remove(group: string, version: string, plural: string): void {
    const k = `${group}/${version}/${plural}`;
    const old = this.byPath.get(k);
    if (!old) return;
    this.byPath.delete(k);
    this.order.splice(this.order.indexOf(old), 1);
    this.changed();
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }

  /** Calls `fn` whenever the set of resources changes. */
  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  /** The store serving group/version/plural, if any. */
  find(group: string, version: string, plural: string): GenericStore | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The store of a kind in its preferred (first registered) version. */
  findKind(group: string, kind: string): GenericStore | undefined {
    return this.order.find((s) => s.strategy.info.group === group && s.strategy.info.kind === kind);
  }

  /** Every store, in registration order. */
  stores(): readonly GenericStore[] {
    return this.order;
  }

  /** Every served resource, in registration order. */
  resources(): ResourceInfo[] {
    return this.order.map((s) => s.strategy.info);
  }
}
