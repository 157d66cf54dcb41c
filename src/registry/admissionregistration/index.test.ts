import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate } from '../testing-support/index.js';
import {
  mutatingWebhookConfigurationStrategy,
  validatingAdmissionPolicyBindingStrategy,
  validatingAdmissionPolicyStrategy,
  validatingWebhookConfigurationStrategy,
} from './index.js';

const g = 'admissionregistration.k8s.io';
const hook = (extra: Record<string, unknown> = {}) => ({
  name: 'pods.policy.example.com',
  clientConfig: { service: { name: 'policy', namespace: 'policy' } },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  ...extra,
});
const config = (kind: string, webhooks: unknown[]) => ({ apiVersion: `${g}/v1`, kind, metadata: { name: 'policy' }, webhooks });

for (const [strategy, kind] of [
  [validatingWebhookConfigurationStrategy, 'ValidatingWebhookConfiguration'],
  [mutatingWebhookConfigurationStrategy, 'MutatingWebhookConfiguration'],
] as const) {
  describeStrategy(strategy, {
    valid: config(kind, [hook()]),
    invalid: [
      { name: 'name not fully qualified', object: config(kind, [hook({ name: 'pods' })]), fields: ['webhooks[0].name'] },
      { name: 'missing sideEffects', object: config(kind, [hook({ sideEffects: undefined })]), fields: ['webhooks[0].sideEffects'] },
      { name: 'both url and service', object: config(kind, [hook({ clientConfig: { url: 'https://x.example.com', service: { name: 's', namespace: 'n' } } })]), fields: ['webhooks[0].clientConfig'] },
      { name: 'http url', object: config(kind, [hook({ clientConfig: { url: 'http://x.example.com/hook' } })]), fields: ['webhooks[0].clientConfig.url'] },
      { name: 'timeout above 30s', object: config(kind, [hook({ timeoutSeconds: 31 })]), fields: ['webhooks[0].timeoutSeconds'] },
      { name: 'unknown operation', object: config(kind, [hook({ rules: [{ operations: ['PATCH'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] })]), fields: ['webhooks[0].rules[0].operations[0]'] },
      { name: 'duplicate names', object: config(kind, [hook(), hook()]), fields: ['webhooks[1].name'] },
      { name: 'no admission review versions', object: config(kind, [hook({ admissionReviewVersions: [] })]), fields: ['webhooks[0].admissionReviewVersions'] },
    ],
  });
}

test('webhook defaults: Fail, Equivalent, empty selectors, 10s, scope *, port 443, reinvocation Never', () => {
  const obj = prepareCreate(mutatingWebhookConfigurationStrategy, config('MutatingWebhookConfiguration', [hook()])) as { webhooks: Record<string, any>[] };
  const w = obj.webhooks[0]!;
  assert.equal(w.failurePolicy, 'Fail');
  assert.equal(w.matchPolicy, 'Equivalent');
  assert.deepEqual(w.namespaceSelector, {});
  assert.deepEqual(w.objectSelector, {});
  assert.equal(w.timeoutSeconds, 10);
  assert.equal(w.reinvocationPolicy, 'Never');
  assert.equal(w.rules[0].scope, '*');
  assert.equal(w.clientConfig.service.port, 443);
  assert.deepEqual(mutatingWebhookConfigurationStrategy.printer!.row(obj as never, { now: Date.parse((obj as any).metadata.creationTimestamp) }), ['policy', 1, '0s']);
});

const policy = (spec: Record<string, unknown>) => ({ apiVersion: `${g}/v1`, kind: 'ValidatingAdmissionPolicy', metadata: { name: 'replicas' }, spec });
const rules = { resourceRules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }] };
describeStrategy(validatingAdmissionPolicyStrategy, {
  valid: policy({ matchConstraints: rules, validations: [{ expression: 'object.spec.replicas <= 5' }] }),
  invalid: [
    { name: 'no validations', object: policy({ matchConstraints: rules }), fields: ['spec.validations'] },
    { name: 'no match constraints', object: policy({ validations: [{ expression: 'true' }] }), fields: ['spec.matchConstraints'] },
    { name: 'empty expression', object: policy({ matchConstraints: rules, validations: [{ expression: ' ' }] }), fields: ['spec.validations[0].expression'] },
    { name: 'unknown failurePolicy', object: policy({ failurePolicy: 'Retry', matchConstraints: rules, validations: [{ expression: 'true' }] }), fields: ['spec.failurePolicy'] },
  ],
});

const binding = (spec: Record<string, unknown>) => ({ apiVersion: `${g}/v1`, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'replicas' }, spec });
describeStrategy(validatingAdmissionPolicyBindingStrategy, {
  valid: binding({ policyName: 'replicas', validationActions: ['Deny'] }),
  invalid: [
    { name: 'missing policyName', object: binding({ validationActions: ['Deny'] }), fields: ['spec.policyName'] },
    { name: 'no actions', object: binding({ policyName: 'p', validationActions: [] }), fields: ['spec.validationActions'] },
    { name: 'Deny with Warn', object: binding({ policyName: 'p', validationActions: ['Deny', 'Warn'] }), fields: ['spec.validationActions'] },
    { name: 'paramRef without parameterNotFoundAction', object: binding({ policyName: 'p', validationActions: ['Audit'], paramRef: { name: 'cfg' } }), fields: ['spec.paramRef.parameterNotFoundAction'] },
  ],
});

test('policy and binding tables show validations, param kind and param ref', () => {
  const p = policy({ paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }, { expression: 'false' }] });
  assert.deepEqual(validatingAdmissionPolicyStrategy.printer!.row(p as never, { now: 0 }), ['replicas', 2, 'v1/ConfigMap', '<unknown>']);
  const b = binding({ policyName: 'replicas', paramRef: { name: 'limits', namespace: 'default' } });
  assert.deepEqual(validatingAdmissionPolicyBindingStrategy.printer!.row(b as never, { now: 0 }), ['replicas', 'replicas', 'default/limits', '<unknown>']);
});
