import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protobufRegistry } from './decode.js';
import { messageForKind, protobufKinds } from './kinds.js';
import { compileTables, parseField, type FieldDef } from './schema.js';

const fieldCases: Array<{ spec: string; want: Omit<FieldDef, 'number' | 'json'> }> = [
  { spec: '1:name:s!', want: { value: { kind: 'scalar', type: 's' }, repeated: false, map: false, pointer: false, always: true } },
  { spec: '1:replicas:i32?', want: { value: { kind: 'scalar', type: 'i32' }, repeated: false, map: false, pointer: true, always: false } },
  { spec: '1:selector:meta/v1.LabelSelector?!', want: { value: { kind: 'message', name: 'meta/v1.LabelSelector' }, repeated: false, map: false, pointer: true, always: true } },
  { spec: '1:ports:[ContainerPort]', want: { value: { kind: 'message', name: 'core/v1.ContainerPort' }, repeated: true, map: false, pointer: false, always: false } },
  { spec: '1:limits:{@qty}', want: { value: { kind: 'special', type: '@qty' }, repeated: false, map: true, pointer: false, always: false } },
  { spec: '1:data:{y}', want: { value: { kind: 'scalar', type: 'y' }, repeated: false, map: true, pointer: false, always: false } },
  { spec: '1::LocalObjectReference', want: { value: { kind: 'message', name: 'core/v1.LocalObjectReference' }, repeated: false, map: false, pointer: false, always: false } },
];

for (const c of fieldCases) {
  test(`field spec ${c.spec} parses`, () => {
    const f = parseField(c.spec, 'core/v1');
    assert.deepEqual({ ...f, number: undefined, json: undefined }, { ...c.want, number: undefined, json: undefined });
  });
}

const badTables: Array<{ name: string; messages: Record<string, string> }> = [
  { name: 'an unknown message reference', messages: { A: '1:b:Missing' } },
  { name: 'a field number used twice', messages: { A: '1:a:s 1:b:s' } },
  { name: 'a malformed spec', messages: { A: '1:a' } },
  { name: 'an unknown type code', messages: { A: '1:a:int' } },
  { name: 'an inlined scalar', messages: { A: '1::s' } },
  { name: 'an inlined list', messages: { A: '1::[A]' } },
];

for (const c of badTables) {
  test(`compiling tables with ${c.name} fails`, () => {
    assert.throws(() => compileTables([{ package: 'x/v1', messages: c.messages }]), Error);
  });
}

test('every decodable kind has a compiled root message', () => {
  for (const k of protobufKinds()) {
    assert.equal(messageForKind(k.apiVersion, k.kind), k.message);
    assert.ok(protobufRegistry().has(k.message), `no table for ${k.message}`);
  }
});

test('the tables hold every message the decodable kinds reach', () => {
  for (const name of [
    'meta/v1.ObjectMeta', 'meta/v1.OwnerReference', 'meta/v1.ManagedFieldsEntry', 'meta/v1.LabelSelector', 'meta/v1.DeleteOptions',
    'meta/v1.Preconditions', 'meta/v1.Condition', 'core/v1.PodTemplateSpec', 'core/v1.PodSpec', 'core/v1.Container',
    'core/v1.EphemeralContainer', 'core/v1.VolumeSource', 'core/v1.ProjectedVolumeSource', 'core/v1.CSIVolumeSource',
    'core/v1.EphemeralVolumeSource', 'core/v1.Affinity', 'core/v1.Toleration', 'core/v1.TopologySpreadConstraint',
    'core/v1.SecurityContext', 'core/v1.PodSecurityContext', 'core/v1.Probe', 'core/v1.Lifecycle', 'core/v1.PodStatus',
    'core/v1.ServiceSpec', 'core/v1.ServiceStatus', 'core/v1.ResourceQuotaStatus', 'core/v1.NamespaceStatus',
    'apps/v1.DeploymentStatus', 'batch/v1.JobStatus', 'batch/v1.CronJobStatus', 'batch/v1.JobTemplateSpec',
    'rbac/v1.PolicyRule', 'rbac/v1.AggregationRule', 'rbac/v1.Subject', 'rbac/v1.RoleRef', 'policy/v1.PodDisruptionBudgetStatus',
    'networking/v1.IngressStatus', 'autoscaling/v1.HorizontalPodAutoscalerStatus', 'autoscaling/v2.HorizontalPodAutoscalerBehavior',
    'autoscaling/v2.MetricStatus', 'authorization/v1.SubjectRulesReviewStatus', 'authorization/v1.SubjectAccessReviewStatus',
    'authentication/v1.UserInfo', 'authentication/v1.TokenRequestStatus', 'authentication/v1.BoundObjectReference',
    'certificates/v1.CertificateSigningRequestStatus',
  ]) assert.ok(protobufRegistry().has(name), `no table for ${name}`);
});

/** Field numbers and JSON names as upstream generated.proto and the Go types give them, written out by hand. */
const spotChecks: Record<string, string> = {
  'meta/v1.ObjectMeta':
    '1 name, 2 generateName, 3 namespace, 4 selfLink, 5 uid, 6 resourceVersion, 7 generation, 8 creationTimestamp, 9 deletionTimestamp, ' +
    '10 deletionGracePeriodSeconds, 11 labels, 12 annotations, 13 ownerReferences, 14 finalizers, 17 managedFields',
  'meta/v1.DeleteOptions': '1 gracePeriodSeconds, 2 preconditions, 3 orphanDependents, 4 propagationPolicy, 5 dryRun, 6 ignoreStoreReadErrorWithClusterBreakingPotential',
  'authorization/v1.ResourceAttributes': '1 namespace, 2 verb, 3 group, 4 version, 5 resource, 6 subresource, 7 name, 8 fieldSelector, 9 labelSelector',
  'rbac/v1.PolicyRule': '1 verbs, 2 apiGroups, 3 resources, 4 resourceNames, 5 nonResourceURLs',
  'rbac/v1.Subject': '1 kind, 2 apiGroup, 3 name, 4 namespace',
  'core/v1.ServicePort': '1 name, 2 protocol, 3 port, 4 targetPort, 5 nodePort, 6 appProtocol',
  'core/v1.KeyToPath': '1 key, 2 path, 3 mode',
  'networking/v1.HTTPIngressPath': '1 path, 2 backend, 3 pathType',
  'autoscaling/v1.HorizontalPodAutoscalerSpec': '1 scaleTargetRef, 2 minReplicas, 3 maxReplicas, 4 targetCPUUtilizationPercentage',
  'authentication/v1.TokenRequestSpec': '1 audiences, 3 boundObjectRef, 4 expirationSeconds',
};

for (const [name, want] of Object.entries(spotChecks)) {
  test(`${name} has upstream's field numbers and JSON names`, () => {
    const def = protobufRegistry().get(name);
    assert.ok(def);
    const got = [...def.byNumber.values()].sort((a, b) => a.number - b.number).map((f) => `${f.number} ${f.json}`);
    assert.deepEqual(got, want.split(', '));
  });
}
