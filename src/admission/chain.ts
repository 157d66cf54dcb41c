// The ordered admission chain. Registration and order are kept apart: plugins register a factory under their
// name; one ordered list (`admissionOrder`) says who runs when, as kube-apiserver's fixed plugin order does.
import type { AdmissionAttributes, AdmissionPlugin, AdmissionResource, Operation, PluginDeps, PluginFactory } from './interfaces.js';

/**
 * The order plugins run in, the same relative order as kube-apiserver's: namespace checks first, defaulting
 * mutators next, ResourceQuota last so quota is spent only once every other check passed.
 */
export const admissionOrder: readonly string[] = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'ResourceQuota',
];

/** Plugin factories by name. */
export class PluginRegistry {
  private readonly factories = new Map<string, PluginFactory>();

  /** Registers a factory; a second registration under the same name replaces the first. */
  register(name: string, factory: PluginFactory): this {
    this.factories.set(name, factory);
    return this;
  }

  /** The factory registered under a name. */
  get(name: string): PluginFactory | undefined {
    return this.factories.get(name);
  }
}

/** The plugins of one operation on one resource, split by phase. */
export interface AdmissionSteps {
  mutating: readonly AdmissionPlugin[];
  validating: readonly AdmissionPlugin[];
}

/** Runs plugins in order; remembers per operation and resource which plugins want the write. */
export class AdmissionChain {
  private readonly interest = new Map<string, AdmissionSteps | null>();

  constructor(readonly plugins: readonly AdmissionPlugin[]) {}

  /** The plugins interested in an operation on a resource, or undefined when none is (asked once, then cached). */
  steps(operation: Operation, r: AdmissionResource): AdmissionSteps | undefined {
    const key = `${operation} ${r.group}/${r.resource}/${r.subresource}`;
    let s = this.interest.get(key);
    if (s === undefined) {
      const wanted = this.plugins.filter((p) => p.handles(operation, r));
      const mutating = wanted.filter((p) => p.admit);
      const validating = wanted.filter((p) => p.validate);
      s = mutating.length || validating.length ? { mutating, validating } : null;
      this.interest.set(key, s);
    }
    return s ?? undefined;
  }

  /** The mutating phase: every interested plugin's `admit`, in order. */
  async admit(a: AdmissionAttributes): Promise<void> {
    const s = this.steps(a.operation, { group: a.resource.group, resource: a.resource.resource, subresource: a.subresource });
    if (s) for (const p of s.mutating) await p.admit!(a);
  }

  /** The validating phase: every interested plugin's `validate`, in order. */
  async validate(a: AdmissionAttributes): Promise<void> {
    const s = this.steps(a.operation, { group: a.resource.group, resource: a.resource.resource, subresource: a.subresource });
    if (s) for (const p of s.validating) await p.validate!(a);
  }
}

/** How a chain is built. */
export interface ChainOptions {
  registry: PluginRegistry;
  deps: PluginDeps;
  /** Which plugins run, in order (default `admissionOrder`); names not registered are skipped. */
  order?: readonly string[];
  /** Plugins left out (`--disable-admission-plugins`). */
  disabled?: readonly string[];
}

/** Builds the chain: the plugins of `order` that are registered and not disabled, in that order. */
export function newAdmissionChain(opts: ChainOptions): AdmissionChain {
  const off = new Set(opts.disabled ?? []);
  const plugins: AdmissionPlugin[] = [];
  for (const name of opts.order ?? admissionOrder) {
    const f = opts.registry.get(name);
    if (f && !off.has(name)) plugins.push(f(opts.deps));
  }
  return new AdmissionChain(plugins);
}
