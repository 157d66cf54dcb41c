// The admissionregistration.k8s.io/v1 strategies.
import type { MutatingWebhookConfiguration as KMWC, ValidatingWebhookConfiguration as KVWC } from 'kubernetes-types/admissionregistration/v1.js';
import type { KubeObject } from '../../api/index.js';
import type { Printer } from '../strategy.js';
import { builtinInfo, clearStatus, keepStatus, nameIsDNSSubdomain, statusSubresource, type GroupStrategy } from '../apps/index.js';
import { defaultWebhook, validateWebhooks, webhookConfigurationPrinter } from './webhooks.js';
import {
  bindingPrinter,
  defaultMatchResources,
  defaultPolicy,
  policyPrinter,
  validateBinding,
  validatePolicy,
  type ValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicyBinding,
} from './policies.js';

/** A MutatingWebhookConfiguration as the strategy sees it. */
export type MutatingWebhookConfiguration = KMWC & KubeObject;
/** A ValidatingWebhookConfiguration as the strategy sees it. */
export type ValidatingWebhookConfiguration = KVWC & KubeObject;

/** The MutatingWebhookConfiguration strategy. */
export const mutatingWebhookConfigurationStrategy: GroupStrategy<MutatingWebhookConfiguration> = {
  info: builtinInfo('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration'),
  schemaName: 'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: (c) => (c.webhooks ?? []).forEach((w) => defaultWebhook(w, true)),
  validate: (c) => validateWebhooks(c, true),
  printer: webhookConfigurationPrinter as Printer<MutatingWebhookConfiguration>,
};

/** The ValidatingWebhookConfiguration strategy. */
export const validatingWebhookConfigurationStrategy: GroupStrategy<ValidatingWebhookConfiguration> = {
  info: builtinInfo('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration'),
  schemaName: 'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: (c) => (c.webhooks ?? []).forEach((w) => defaultWebhook(w, false)),
  validate: (c) => validateWebhooks(c, false),
  printer: webhookConfigurationPrinter as Printer<ValidatingWebhookConfiguration>,
};

/** The ValidatingAdmissionPolicy strategy. */
export const validatingAdmissionPolicyStrategy: GroupStrategy<ValidatingAdmissionPolicy> = {
  info: builtinInfo('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicy'),
  schemaName: 'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultPolicy,
  prepareForCreate: clearStatus,
  prepareForUpdate: keepStatus,
  validate: validatePolicy,
  printer: policyPrinter,
  status: statusSubresource<ValidatingAdmissionPolicy>(),
};

/** The ValidatingAdmissionPolicyBinding strategy. */
export const validatingAdmissionPolicyBindingStrategy: GroupStrategy<ValidatingAdmissionPolicyBinding> = {
  info: builtinInfo('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicyBinding'),
  schemaName: 'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: (b) => defaultMatchResources(b.spec?.matchResources),
  validate: validateBinding,
  printer: bindingPrinter,
};
