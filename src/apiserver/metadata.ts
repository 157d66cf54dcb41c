// The metadata rules every resource gets from the generic store: names, labels, annotations, owners, immutables.
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../machinery/index.js';
import type { MetaValidator } from '../registry/generic-store.js';
import type { ResourceStrategy } from '../registry/strategy.js';

/**
 * Kinds of the core API server refuse unqualified finalizer names other than the standard ones; CRDs and custom
 * resources (the apiextensions API server's, recognizable by the schemas they bring) only need qualified names.
 */
function strictFinalizerNames(s: ResourceStrategy): boolean {
  return s.info.group !== 'apiextensions.k8s.io' && s.definitions === undefined;
}

/** Generic metadata validation, with each strategy's own name rule (default: DNS-1123 subdomain). */
export const validateMetadata: MetaValidator = {
  create: (obj, namespaced, s) =>
    validateObjectMeta(obj.metadata ?? {}, { namespaced, nameValidator: s.nameValidation ?? nameIsDNSSubdomain, path: 'metadata', strictFinalizerNames: strictFinalizerNames(s) }),
  update: (obj, old, _namespaced, s) =>
    validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}, { path: 'metadata', strictFinalizerNames: strictFinalizerNames(s) }),
};
