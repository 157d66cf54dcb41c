// DefaultStorageClass: a PersistentVolumeClaim that names no class gets the cluster's default StorageClass.
import type { KubeObject } from '../../api/index.js';
import type { AdmissionPlugin, ObjectLookup, PluginDeps } from '../interfaces.js';

/** The annotation that marks the default StorageClass. */
export const isDefaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
const betaIsDefaultClassAnnotation = 'storageclass.beta.kubernetes.io/is-default-class';
/** The deprecated annotation a claim can name its class with. */
export const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** The default StorageClass: of those marked default, the newest, then the first by name. */
export async function defaultStorageClass(lookup: ObjectLookup): Promise<KubeObject | undefined> {
  const all = await lookup.list({ group: 'storage.k8s.io', resource: 'storageclasses' }, undefined);
  const marked = all.filter((c) => c.metadata?.annotations?.[isDefaultClassAnnotation] === 'true' || c.metadata?.annotations?.[betaIsDefaultClassAnnotation] === 'true');
  marked.sort((x, y) => {
    const tx = Date.parse(x.metadata?.creationTimestamp ?? '') || 0;
    const ty = Date.parse(y.metadata?.creationTimestamp ?? '') || 0;
    if (tx !== ty) return ty - tx;
    return (x.metadata?.name ?? '') < (y.metadata?.name ?? '') ? -1 : 1;
  });
  return marked[0];
}

/** The DefaultStorageClass plugin. */
export function defaultStorageClassPlugin(deps: PluginDeps): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    handles: (op, r) => op === 'CREATE' && r.group === '' && r.resource === 'persistentvolumeclaims' && r.subresource === '',
    async admit(a) {
      const pvc = a.object;
      if (!pvc) return;
      const spec = (pvc['spec'] ??= {}) as { storageClassName?: string };
      // A class given, even "" (no class), or the old annotation: the claim keeps its choice.
      if (spec.storageClassName !== undefined || pvc.metadata?.annotations?.[betaStorageClassAnnotation] !== undefined) return;
      const def = await defaultStorageClass(deps.lookup);
      if (def?.metadata?.name) spec.storageClassName = def.metadata.name;
    },
  };
}
