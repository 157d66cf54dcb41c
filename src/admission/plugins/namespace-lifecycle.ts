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
    // Creates into a namespace, and deletes of namespaces. (Updates of objects in a namespace that is gone
    // fail on the object itself, so they are not looked at: one lookup less per update.)
    handles: (op, r) => (r.group === '' && r.resource === 'namespaces' ? op === 'DELETE' : op === 'CREATE'),
    async admit(a) {
      if (a.resource.group === '' && a.resource.resource === 'namespaces') {
        if (a.operation === 'DELETE' && immortalNamespaces.has(a.name)) throw admissionForbidden(a, 'this namespace may not be deleted');
        return;
      }
      // Cluster-scoped objects, and access reviews (which would leak whether the namespace exists).
      if (a.namespace === '' || a.resource.resource === 'localsubjectaccessreviews') return;
      await checkNamespaceOpen(deps.lookup, a);
    },
  };
}
