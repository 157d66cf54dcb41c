// The admissionregistration.k8s.io/v1 strategies.
import type { ResourceStrategy } from '../strategy.js';
import {
  mutatingWebhookConfigurationStrategy,
  validatingAdmissionPolicyBindingStrategy,
  validatingAdmissionPolicyStrategy,
  validatingWebhookConfigurationStrategy,
} from './strategies.js';

export { mutatingWebhookConfigurationStrategy, validatingAdmissionPolicyBindingStrategy, validatingAdmissionPolicyStrategy, validatingWebhookConfigurationStrategy };
export { defaultWebhook, validateWebhookURL } from './webhooks.js';

/** Every admissionregistration.k8s.io/v1 strategy. */
export const admissionregistrationStrategies: ResourceStrategy[] = [
  mutatingWebhookConfigurationStrategy,
  validatingWebhookConfigurationStrategy,
  validatingAdmissionPolicyStrategy,
  validatingAdmissionPolicyBindingStrategy,
] as ResourceStrategy[];
