// NamespaceLifecycle: no new content in a namespace that does not exist or is being terminated, and the
// namespaces every cluster needs can never be deleted.
import type { KubeObject } from '../../api/index.js';
import { notFound } from '../../machinery/index.js';
import { admissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin, ObjectLookup, PluginDeps } from '../interfaces.js';

/** Namespaces that can never be deleted. */
export const immortalNamespaces: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

const namespaces = { group: '', resource: 'namespaces' };

/**
 * Refuses a create in `namespace` when it does not exist (404 for the namespace) or is terminating (403 with a
 * NamespaceTerminating cause, about the object being created).
 */
export async function checkNamespaceOpen(lookup: ObjectLookup, a: Pick<AdmissionAttributes, 'namespace' | 'name' | 'object' | 'resource'>): Promise<void> {
  const ns: KubeObject | undefined = await lookup.get(namespaces, undefined, a.namespace);
  if (!ns) throw notFound({ resource: 'namespaces', name: a.namespace });
  const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
    const err = admissionForbidden(a, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
    err.status.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }];
    throw err;
  }
}

/** The NamespaceLifecycle plugin. */
export function namespaceLifecycle(deps: PluginDeps): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    // Creates and updates in a namespace (deletes of other objects are always allowed), deletes of namespaces.
    handles: (op, r) => (r.group === '' && r.resource === 'namespaces' ? op === 'DELETE' : op === 'CREATE' || op === 'UPDATE'),
    async admit(a) {
      if (a.resource.group === '' && a.resource.resource === 'namespaces') {
        if (a.operation === 'DELETE' && immortalNamespaces.has(a.name)) throw admissionForbidden(a, 'this namespace may not be deleted');
        return;
      }
      // Cluster-scoped objects, and access reviews (which would leak whether the namespace exists).
      if (a.namespace === '' || a.resource.resource === 'localsubjectaccessreviews') return;
      if (a.operation === 'CREATE') return checkNamespaceOpen(deps.lookup, a);
      // An update only needs the namespace to exist: content of a terminating namespace may still change.
      if (!(await deps.lookup.get(namespaces, undefined, a.namespace))) throw notFound({ resource: 'namespaces', name: a.namespace });
    },
  };
}
