// The metadata rules every resource gets from the generic store: names, labels, annotations, owners, immutables.
import type { KubeObject } from '../api/index.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate, type FieldError } from '../machinery/index.js';
import type { MetaValidator } from '../registry/generic-store.js';

/** Generic metadata validation, with each strategy's own name rule. */
export function metadataValidator(nameRule: (s: { nameValidation?: (name: string, prefix: boolean) => string[] }) => (name: string, prefix: boolean) => string[]): MetaValidator {
  return {
    create(obj: KubeObject, namespaced: boolean, strategy?: { nameValidation?: (name: string, prefix: boolean) => string[] }): FieldError[] {
      return validateObjectMeta(obj.metadata ?? {}, { namespaced, nameValidator: nameRule(strategy ?? {}), path: 'metadata' });
    },
    update(obj: KubeObject, old: KubeObject, namespaced: boolean, strategy?: { nameValidation?: (name: string, prefix: boolean) => string[] }): FieldError[] {
      return [
        ...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}, { path: 'metadata' }),
      ];
    },
  };
}

/** The validator the API server uses: a strategy's own name rule, else DNS-1123 subdomain. */
export const validateMetadata: MetaValidator = metadataValidator((s) => s.nameValidation ?? nameIsDNSSubdomain);
