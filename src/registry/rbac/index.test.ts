import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../machinery/index.js';
import { describeStrategy, prepareCreate, updateErrors } from '../testing-support/index.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './index.js';

const g = 'rbac.authorization.k8s.io';
const role = (kind: string, rules: unknown[], extra: Record<string, unknown> = {}) => ({ apiVersion: `${g}/v1`, kind, metadata: { name: 'reader', namespace: 'default' }, rules, ...extra });
const readPods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };

describeStrategy(roleStrategy, {
  valid: role('Role', [readPods]),
  invalid: [
    { name: 'no verbs', object: role('Role', [{ apiGroups: [''], resources: ['pods'] }]), fields: ['rules[0].verbs'] },
    { name: 'no api groups', object: role('Role', [{ resources: ['pods'], verbs: ['get'] }]), fields: ['rules[0].apiGroups'] },
    { name: 'non-resource URL in a namespaced role', object: role('Role', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]), fields: ['rules[0].nonResourceURLs'] },
  ],
});

describeStrategy(clusterRoleStrategy, {
  valid: role('ClusterRole', [readPods, { nonResourceURLs: ['/healthz'], verbs: ['get'] }]),
  invalid: [
    { name: 'URLs and resources mixed', object: role('ClusterRole', [{ nonResourceURLs: ['/x'], resources: ['pods'], verbs: ['get'] }]), fields: ['rules[0].nonResourceURLs'] },
    { name: 'empty aggregation rule', object: role('ClusterRole', [], { aggregationRule: {} }), fields: ['aggregationRule.clusterRoleSelectors'] },
  ],
});

const binding = (kind: string, roleRef: Record<string, unknown>, subjects: unknown[]) => ({ apiVersion: `${g}/v1`, kind, metadata: { name: 'read', namespace: 'default' }, roleRef, subjects });
const ref = { kind: 'Role', name: 'reader' };

describeStrategy(roleBindingStrategy, {
  valid: binding('RoleBinding', ref, [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }]),
  invalid: [
    { name: 'unknown roleRef kind', object: binding('RoleBinding', { kind: 'Group', name: 'x' }, []), fields: ['roleRef.kind'] },
    { name: 'roleRef without name', object: binding('RoleBinding', { kind: 'Role' }, []), fields: ['roleRef.name'] },
    { name: 'subject without name', object: binding('RoleBinding', ref, [{ kind: 'User' }]), fields: ['subjects[0].name'] },
    { name: 'unknown subject kind', object: binding('RoleBinding', ref, [{ kind: 'Robot', name: 'r' }]), fields: ['subjects[0].kind'] },
  ],
  invalidUpdates: [{ name: 'roleRef change', old: binding('RoleBinding', ref, []), object: binding('RoleBinding', { kind: 'Role', name: 'writer' }, []), fields: ['roleRef'] }],
});

describeStrategy(clusterRoleBindingStrategy, {
  valid: binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'devs' }]),
  invalid: [
    { name: 'Role in a cluster binding', object: binding('ClusterRoleBinding', ref, []), fields: ['roleRef.kind'] },
    { name: 'service account without namespace', object: binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'ServiceAccount', name: 'sa' }]), fields: ['subjects[0].namespace'] },
  ],
});

test('bindings default the roleRef and subject API groups; a ServiceAccount subject has none (omitted when empty)', () => {
  const b = prepareCreate(roleBindingStrategy, binding('RoleBinding', ref, [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'default' }]));
  assert.equal((b.roleRef as { apiGroup: string }).apiGroup, g);
  assert.deepEqual((b.subjects as { apiGroup?: string }[]).map((s) => s.apiGroup), [g, undefined]);
});

test('changing roleRef is reported as Kubernetes words it', () => {
  const msgs = updateErrors(roleBindingStrategy, binding('RoleBinding', { kind: 'Role', name: 'writer' }, []), binding('RoleBinding', ref, [])).map(fieldErrorMessage);
  assert.deepEqual(msgs, [`roleRef: Invalid value: rbac.RoleRef{APIGroup:"${g}", Kind:"Role", Name:"writer"}: cannot change roleRef`]);
});

test('roles print their creation time, bindings their role and subjects', () => {
  const created = { creationTimestamp: '2026-01-01T00:00:00Z' };
  assert.deepEqual(roleStrategy.printer!.row({ ...role('Role', []), metadata: { name: 'reader', ...created } } as never, { now: 0 }), ['reader', '2026-01-01T00:00:00Z']);
  const b = { ...binding('RoleBinding', ref, [{ kind: 'User', name: 'a' }, { kind: 'User', name: 'b' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }]), metadata: { name: 'read', ...created } };
  assert.deepEqual(roleBindingStrategy.printer!.row(b as never, { now: Date.parse('2026-01-01T00:00:05Z') }), ['read', 'Role/reader', '5s', 'a, b', 'g', 'ns:sa']);
});
