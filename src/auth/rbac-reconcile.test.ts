import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/index.js';
import { breakdownRule, reconcileBinding, reconcileRole, ruleCovers, uncoveredRules } from './rbac-reconcile.js';
import type { PolicyRule } from './bootstrap-policy.js';

const rule = (verbs: string[], groups: string[], resources: string[], names?: string[]): PolicyRule => ({ apiGroups: groups, resources, verbs, ...(names ? { resourceNames: names } : {}) });

test('a rule breaks down into one verb, group, resource and name each; URLs into one verb and URL', () => {
  assert.deepEqual(breakdownRule(rule(['get', 'list'], [''], ['pods'])), [rule(['get'], [''], ['pods']), rule(['list'], [''], ['pods'])]);
  assert.deepEqual(breakdownRule(rule(['get'], [''], ['cm'], ['a', 'b'])), [rule(['get'], [''], ['cm'], ['a']), rule(['get'], [''], ['cm'], ['b'])]);
  assert.deepEqual(breakdownRule({ nonResourceURLs: ['/a', '/b'], verbs: ['get'] }), [{ nonResourceURLs: ['/a'], verbs: ['get'] }, { nonResourceURLs: ['/b'], verbs: ['get'] }]);
});

const covers: { name: string; owner: PolicyRule; sub: PolicyRule; want: boolean }[] = [
  { name: 'the same rule', owner: rule(['get'], [''], ['pods']), sub: rule(['get'], [''], ['pods']), want: true },
  { name: 'wildcards', owner: rule(['*'], ['*'], ['*']), sub: rule(['delete'], ['apps'], ['deployments/scale']), want: true },
  { name: 'a subresource through */sub', owner: rule(['get'], [''], ['*/status']), sub: rule(['get'], [''], ['pods/status']), want: true },
  { name: 'not another verb', owner: rule(['get'], [''], ['pods']), sub: rule(['list'], [''], ['pods']), want: false },
  { name: 'a named rule by an unnamed one', owner: rule(['get'], [''], ['cm']), sub: rule(['get'], [''], ['cm'], ['x']), want: true },
  { name: 'not an unnamed rule by a named one', owner: rule(['get'], [''], ['cm'], ['x']), sub: rule(['get'], [''], ['cm']), want: false },
  { name: 'a URL under a trailing star', owner: { nonResourceURLs: ['/healthz*'], verbs: ['get'] }, sub: { nonResourceURLs: ['/healthz/etcd'], verbs: ['get'] }, want: true },
  { name: 'not a URL by a resource rule', owner: rule(['get'], ['*'], ['*']), sub: { nonResourceURLs: ['/healthz'], verbs: ['get'] }, want: false },
];
for (const c of covers) {
  test(`rule coverage: ${c.name}`, () => assert.equal(ruleCovers(c.owner, c.sub), c.want));
}

const role = (rules: PolicyRule[], extra: Record<string, unknown> = {}, annotations: Record<string, string> = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' }): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'r', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations },
  rules,
  ...extra,
});

test('reconciling a role appends the broken-down rules it lacks and keeps its own', () => {
  const expected = role([rule(['get', 'list'], [''], ['pods', 'services'])]);
  const existing = role([rule(['get', 'list'], [''], ['pods']), rule(['get'], ['x'], ['y'])]);
  const r = reconcileRole(existing, expected)!;
  assert.deepEqual(r['rules'], [rule(['get', 'list'], [''], ['pods']), rule(['get'], ['x'], ['y']), rule(['get'], [''], ['services']), rule(['list'], [''], ['services'])]);
  assert.equal(reconcileRole(r, expected), undefined, 'then nothing more');
  assert.deepEqual(uncoveredRules([rule(['*'], ['*'], ['*'])], [rule(['get'], [''], ['pods'])]), []);
});

test('reconciling leaves a role marked autoupdate=false alone, and adds missing labels and selectors', () => {
  const expected = role([rule(['get'], [''], ['pods'])]);
  assert.equal(reconcileRole(role([], {}, { 'rbac.authorization.kubernetes.io/autoupdate': 'false' }), expected), undefined);
  const bare: KubeObject = { ...role([rule(['get'], [''], ['pods'])]), metadata: { name: 'r' } };
  assert.deepEqual(reconcileRole(bare, expected)!.metadata, expected.metadata);
  const agg = (sel: Record<string, string>[]) => role([], { aggregationRule: { clusterRoleSelectors: sel.map((m) => ({ matchLabels: m })) } });
  assert.deepEqual(reconcileRole(agg([{ b: 'true' }]), agg([{ a: 'true' }]))!['aggregationRule'], { clusterRoleSelectors: [{ matchLabels: { b: 'true' } }, { matchLabels: { a: 'true' } }] });
  assert.equal(reconcileRole(agg([{ a: 'true' }]), agg([{ a: 'true' }])), undefined, 'aggregated rules are the controller’s, not compared');
});

test('reconciling a binding adds missing subjects, and replaces one bound to another role', () => {
  const binding = (role: string, subjects: Record<string, string>[]): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'b', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  });
  const masters = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' };
  const alice = { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' };
  const r = reconcileBinding(binding('cluster-admin', [alice]), binding('cluster-admin', [masters]));
  assert.deepEqual(r && 'update' in r && r.update['subjects'], [alice, masters]);
  assert.equal(reconcileBinding(binding('cluster-admin', [masters, alice]), binding('cluster-admin', [masters])), undefined);
  const re = reconcileBinding(binding('view', [masters]), binding('cluster-admin', [masters]));
  assert.ok(re && 'recreate' in re);
});
