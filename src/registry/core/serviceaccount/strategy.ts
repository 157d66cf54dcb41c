// The ServiceAccount strategy (pkg/registry/core/serviceaccount/strategy.go): only metadata rules, which the store applies.
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, coreInfo, list, nameIsDNSSubdomain, type CoreStrategy } from '../shared/index.js';

/** The ServiceAccount strategy. */
export const serviceAccountStrategy: CoreStrategy = {
  info: coreInfo('ServiceAccount'),
  schemaName: 'io.k8s.api.core.v1.ServiceAccount',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  printer: {
    columns: [
      nameColumn,
      column('Secrets', { description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret' }),
      ageColumn,
    ],
    row: (obj, ctx) => [obj.metadata?.name ?? '', list(as<ServiceAccount>(obj).secrets).length, age(obj.metadata?.creationTimestamp, ctx.now)],
  },
};
