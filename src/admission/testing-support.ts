// Test helpers for admission plugins: an in-memory ObjectLookup and attributes built in one call.
import type { KubeObject } from '../api/index.js';
import { conflict } from '../machinery/index.js';
import { FakeClock } from '../util/index.js';
import type { AdmissionAttributes, ObjectLookup, Operation, PluginDeps, ResourceRef } from './interfaces.js';

/** An ObjectLookup over objects held in memory; `updateStatus` checks and bumps resourceVersion. */
export class MemoryLookup implements ObjectLookup {
  private readonly objects = new Map<string, KubeObject>();
  private rv = 1;
  /** Every status written, in order. */
  readonly statusWrites: KubeObject[] = [];

  constructor(objects: { ref: ResourceRef; obj: KubeObject }[] = []) {
    for (const o of objects) this.put(o.ref, o.obj);
  }

  private key(r: ResourceRef, ns: string | undefined, name: string): string {
    return `${r.group}/${r.resource}/${ns ?? ''}/${name}`;
  }

  /** Stores an object (with a new resourceVersion). */
  put(r: ResourceRef, obj: KubeObject): void {
    const m = (obj.metadata ??= {});
    m.resourceVersion = String(++this.rv);
    this.objects.set(this.key(r, m.namespace, m.name ?? ''), obj);
  }

  async get(r: ResourceRef, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
    return this.objects.get(this.key(r, ns, name));
  }

  async list(r: ResourceRef, ns: string | undefined): Promise<KubeObject[]> {
    const prefix = ns === undefined ? `${r.group}/${r.resource}/` : `${r.group}/${r.resource}/${ns}/`;
    return [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  }

  async updateStatus(r: ResourceRef, obj: KubeObject): Promise<KubeObject> {
    const m = obj.metadata ?? {};
    const cur = this.objects.get(this.key(r, m.namespace, m.name ?? ''));
    if (!cur || cur.metadata?.resourceVersion !== m.resourceVersion) throw conflict({ resource: r.resource, name: m.name });
    const next = structuredClone(obj);
    this.put(r, next);
    this.statusWrites.push(next);
    return next;
  }
}

/** Plugin dependencies for tests: no waiting, a fixed random number, a fake clock. */
export function testDeps(lookup: ObjectLookup): PluginDeps {
  return { lookup, clock: new FakeClock(), sleep: async () => undefined, random: () => 0 };
}

/** Attributes of a write to a core resource (group '' unless given). */
export function attrs(opts: {
  operation?: Operation;
  resource: string;
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  dryRun?: boolean;
}): AdmissionAttributes {
  const group = opts.group ?? '';
  return {
    operation: opts.operation ?? 'CREATE',
    kind: { group, version: 'v1', kind: opts.kind ?? '' },
    resource: { group, version: 'v1', resource: opts.resource },
    subresource: opts.subresource ?? '',
    namespace: opts.namespace ?? '',
    name: opts.name ?? '',
    object: opts.object,
    oldObject: opts.oldObject,
    userInfo: { username: 'tester', groups: ['system:authenticated'] },
    dryRun: opts.dryRun ?? false,
  };
}

/** Runs a plugin's admit then validate, as the chain would for one write. */
export async function runPlugin(p: { admit?(a: AdmissionAttributes): unknown; validate?(a: AdmissionAttributes): unknown }, a: AdmissionAttributes): Promise<void> {
  await p.admit?.(a);
  await p.validate?.(a);
}
