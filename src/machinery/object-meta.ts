// ObjectMeta as a Kubernetes API server stores it: Go's encoding drops the empty optional fields.
import type { ObjectMeta } from '../api/index.js';

/**
 * Drops what Go's `omitempty` would never write back: empty labels and annotations, empty finalizer and owner
 * reference lists, an empty generateName. A real server decodes every body into its typed ObjectMeta and
 * encodes it again, so `finalizers: []` (say, after a patch removed the last one) reads back as no field at all.
 * A null there is no field either. managedFields stays: an empty list there is a request to reset it.
 */
export function dropEmptyMetadataFields(meta: ObjectMeta): void {
  const m = meta as Record<string, unknown>;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'generateName']) if (m[k] === null) delete m[k];
  if (meta.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  if (Array.isArray(meta.finalizers) && meta.finalizers.length === 0) delete meta.finalizers;
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length === 0) delete meta.ownerReferences;
  if (meta.generateName === '') delete meta.generateName;
}
