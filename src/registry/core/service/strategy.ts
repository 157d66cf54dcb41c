// The Service strategy (pkg/registry/core/service/strategy.go plus the REST layer's field normalization).
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { as, coreInfo, keepOldStatus, nameIsDNS1035Label, statusSubresource, type CoreStrategy } from '../shared/index.js';
import { defaultService, defaultServiceStatus, dropTypeDependentFields, initIPFamilyFields, normalizeClusterIPs, patchAllocatedValues } from './defaults.js';
import { servicePrinter } from './printer.js';
import { validateService, validateServiceStatus, validateServiceUpdate } from './validation.js';

/**
 * The allocation hook kin's service store calls after prepareForCreate/prepareForUpdate and before validation:
 * fill spec.clusterIP/clusterIPs (unless "None" or ExternalName) and node ports from the cluster's pools, and
 * release what `old` held but `svc` no longer needs. Cluster-IP and node-port allocation is not part of the strategy.
 */
export type ServiceAllocationHook = (svc: Service, old: Service | undefined, dryRun: boolean) => void | Promise<void>;

/** The Service strategy. */
export const serviceStrategy: CoreStrategy = {
  info: coreInfo('Service'),
  schemaName: 'io.k8s.api.core.v1.Service',
  nameValidation: nameIsDNS1035Label,
  generation: 'none',
  allowCreateOnUpdate: true,
  defaults: (obj) => defaultService(as<Service>(obj)),
  prepareForCreate(obj) {
    const svc = as<Service>(obj);
    obj['status'] = { loadBalancer: {} };
    const spec = (svc.spec ??= {});
    normalizeClusterIPs(spec, undefined);
    initIPFamilyFields(spec, undefined);
  },
  prepareForUpdate(obj, old) {
    keepOldStatus(obj, old);
    const svc = as<Service>(obj);
    const prev = as<Service>(old);
    const spec = (svc.spec ??= {});
    const prevSpec = prev.spec ?? {};
    dropTypeDependentFields(spec, prevSpec, svc.status);
    patchAllocatedValues(spec, prevSpec);
    normalizeClusterIPs(spec, prevSpec);
    initIPFamilyFields(spec, prevSpec);
  },
  validate: (obj) => validateService(as<Service>(obj)),
  validateUpdate: (obj, old) => validateServiceUpdate(as<Service>(obj), as<Service>(old)),
  printer: servicePrinter,
  selectableFields(obj: KubeObject) {
    const svc = as<Service>(obj);
    return { 'spec.clusterIP': svc.spec?.clusterIP ?? '', 'spec.type': svc.spec?.type ?? '' };
  },
  status: statusSubresource({
    // Status bodies are defaulted upstream on decode (ipMode VIP for load-balancer IPs); kin does it here.
    prepare: (obj) => defaultServiceStatus(as<Service>(obj)),
    validate: (obj) => validateServiceStatus(as<Service>(obj)),
  }),
};
