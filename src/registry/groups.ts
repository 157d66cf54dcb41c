// Every strategy of the API groups beyond core/v1, in discovery order.
import type { ResourceStrategy } from './strategy.js';
import { admissionregistrationStrategies } from './admissionregistration/index.js';
import { appsStrategies } from './apps/index.js';
import { autoscalingStrategies } from './autoscaling/index.js';
import { batchStrategies } from './batch/index.js';
import { coordinationStrategies } from './coordination/index.js';
import { discoveryStrategies } from './discovery/index.js';
import { eventsStrategies } from './events/index.js';
import { networkingStrategies } from './networking/index.js';
import { policyStrategies } from './policy/index.js';
import { rbacStrategies } from './rbac/index.js';
import { schedulingStrategies } from './scheduling/index.js';
import { storageStrategies } from './storage/index.js';

/** The strategies of apps, batch, networking, discovery, coordination, events, rbac, storage, policy, autoscaling, scheduling and admissionregistration. */
export const groupStrategies: ResourceStrategy[] = [
  ...appsStrategies,
  ...batchStrategies,
  ...networkingStrategies,
  ...discoveryStrategies,
  ...coordinationStrategies,
  ...eventsStrategies,
  ...rbacStrategies,
  ...storageStrategies,
  ...policyStrategies,
  ...autoscalingStrategies,
  ...schedulingStrategies,
  ...admissionregistrationStrategies,
];
