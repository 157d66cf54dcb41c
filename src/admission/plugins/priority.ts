// Priority: a pod's priorityClassName resolves to spec.priority and spec.preemptionPolicy (the globalDefault
// class, or priority 0, when it names none); an unknown class is refused, and only one class may be the default.
import type { KubeObject } from '../../api/index.js';
import { admissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin, PluginDeps } from '../interfaces.js';

const priorityClasses = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

type Json = Record<string, any>;

/** The globalDefault class with the lowest value, if any. */
function defaultClass(all: KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pc of all) {
    if (pc['globalDefault'] !== true) continue;
    if (!best || (pc['value'] as number) < (best['value'] as number)) best = pc;
  }
  return best;
}

/** The Priority plugin. */
export function priorityPlugin(deps: PluginDeps): AdmissionPlugin {
  async function admitPod(a: AdmissionAttributes): Promise<void> {
    const spec = (a.object?.['spec'] ?? undefined) as Json | undefined;
    if (!spec) return;
    if (a.operation === 'UPDATE') {
      // Set on create and immutable: an update that leaves them out keeps them (validation refuses any change).
      const old = (a.oldObject?.['spec'] ?? {}) as Json;
      if (spec['priority'] === undefined && old['priority'] !== undefined) spec['priority'] = old['priority'];
      if (spec['preemptionPolicy'] === undefined && old['preemptionPolicy'] !== undefined) spec['preemptionPolicy'] = old['preemptionPolicy'];
      return;
    }
    let priority: number;
    let policy: string | undefined;
    const name = spec['priorityClassName'] as string | undefined;
    if (!name) {
      const def = defaultClass(await deps.lookup.list(priorityClasses, undefined));
      if (def) {
        spec['priorityClassName'] = def.metadata?.name;
        priority = def['value'] as number;
        policy = (def['preemptionPolicy'] as string | undefined) ?? 'PreemptLowerPriority';
      } else {
        priority = 0;
        policy = 'PreemptLowerPriority';
      }
    } else {
      const pc = await deps.lookup.get(priorityClasses, undefined, name);
      if (!pc) throw admissionForbidden(a, `no PriorityClass with name ${name} was found`);
      priority = pc['value'] as number;
      policy = pc['preemptionPolicy'] as string | undefined;
    }
    if (spec['priority'] !== undefined && spec['priority'] !== priority) {
      throw admissionForbidden(a, `the integer value of priority (${spec['priority']}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
    }
    spec['priority'] = priority;
    if (policy !== undefined) {
      if (spec['preemptionPolicy'] !== undefined && spec['preemptionPolicy'] !== policy) {
        throw admissionForbidden(a, `the string value of PreemptionPolicy (${spec['preemptionPolicy']}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec['preemptionPolicy'] = policy;
    }
  }

  async function validateClass(a: AdmissionAttributes): Promise<void> {
    const pc = a.object;
    if (!pc || pc['globalDefault'] !== true) return;
    const def = defaultClass(await deps.lookup.list(priorityClasses, undefined));
    if (!def) return;
    if (a.operation === 'CREATE' || def.metadata?.name !== pc.metadata?.name) {
      throw admissionForbidden(a, `PriorityClass ${def.metadata?.name ?? ''} is already marked as default. Only one default can exist`);
    }
  }

  return {
    name: 'Priority',
    handles: (op, r) => (op === 'CREATE' || op === 'UPDATE') && r.subresource === '' && ((r.group === '' && r.resource === 'pods') || (r.group === priorityClasses.group && r.resource === priorityClasses.resource)),
    async admit(a) {
      if (a.resource.resource === 'pods') await admitPod(a);
    },
    async validate(a) {
      if (a.resource.resource === 'priorityclasses') await validateClass(a);
    },
  };
}
