// The core/v1 resource strategies and the pod helpers other groups reuse.
import type { ResourceStrategy } from '../strategy.js';
import { namespaceStrategy } from './namespace/index.js';
import { podStrategy } from './pod/index.js';
import { serviceStrategy } from './service/index.js';
import { configMapStrategy } from './configmap/index.js';
import { secretStrategy } from './secret/index.js';
import { serviceAccountStrategy } from './serviceaccount/index.js';
import { nodeStrategy } from './node/index.js';
import { eventStrategy } from './event/index.js';
import { endpointsStrategy } from './endpoints/index.js';
import { persistentVolumeStrategy } from './persistentvolume/index.js';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaim/index.js';
import { limitRangeStrategy } from './limitrange/index.js';
import { resourceQuotaStrategy } from './resourcequota/index.js';
import { replicationControllerStrategy } from './replicationcontroller/index.js';
import { podTemplateStrategy } from './podtemplate/index.js';

/** One strategy per core/v1 kind, in the order of the built-in resource table. */
export const coreStrategies: ResourceStrategy[] = [
  namespaceStrategy,
  podStrategy,
  serviceStrategy,
  configMapStrategy,
  secretStrategy,
  serviceAccountStrategy,
  nodeStrategy,
  eventStrategy,
  endpointsStrategy,
  persistentVolumeStrategy,
  persistentVolumeClaimStrategy,
  limitRangeStrategy,
  resourceQuotaStrategy,
  replicationControllerStrategy,
  podTemplateStrategy,
];

export {
  defaultPodSpec, defaultPodTemplateSpec, defaultPod, validatePodSpec, validatePodTemplateSpec, validateTolerations, podStrategy, podStatusCells, computePodQOS,
} from './pod/index.js';
export { serviceStrategy, formatServicePorts, isHeadless, needsClusterIP, needsNodePort, type ServiceAllocationHook } from './service/index.js';
export { namespaceStrategy, namespaceNameLabel } from './namespace/index.js';
export { nodeStrategy, nodeStatusText, nodeRoles } from './node/index.js';
export { eventStrategy } from './event/index.js';
export { secretStrategy, defaultSecret } from './secret/index.js';
export { configMapStrategy } from './configmap/index.js';
export { serviceAccountStrategy } from './serviceaccount/index.js';
export { endpointsStrategy, formatEndpoints } from './endpoints/index.js';
export { persistentVolumeStrategy, accessModesString } from './persistentvolume/index.js';
export { persistentVolumeClaimStrategy, defaultClaimSpec, validateClaimSpec } from './persistentvolumeclaim/index.js';
export { limitRangeStrategy } from './limitrange/index.js';
export { resourceQuotaStrategy } from './resourcequota/index.js';
export { replicationControllerStrategy } from './replicationcontroller/index.js';
export { podTemplateStrategy } from './podtemplate/index.js';
export { nameIsDNSSubdomain, nameIsDNSLabel, nameIsDNS1035Label, type NameValidator, type CoreStrategy } from './shared/index.js';
