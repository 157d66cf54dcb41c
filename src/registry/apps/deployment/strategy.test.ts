import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { createErrors, prepareCreate, updateErrors } from '../../testing-support/index.js';
import { deploymentStrategy, type Deployment } from './strategy.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const base: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } } },
};

test('defaults match a real cluster: one replica, 25% rolling update, history 10, deadline 600', () => {
  const d = prepareCreate(deploymentStrategy, base) as Deployment;
  assert.equal(d.spec?.replicas, 1);
  assert.deepEqual(d.spec?.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec?.revisionHistoryLimit, 10);
  assert.equal(d.spec?.progressDeadlineSeconds, 600);
  assert.equal(d.spec?.template.spec?.restartPolicy, 'Always');
});

test('a selector that does not match the template is reported in Kubernetes words', () => {
  const bad = structuredClone(base);
  bad.spec!.selector = { matchLabels: { app: 'db' } };
  const msgs = createErrors(deploymentStrategy, bad).map(fieldErrorMessage);
  assert.ok(msgs.includes('spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'), msgs.join('\n'));
});

test('changing the selector is rejected as immutable', () => {
  const next = structuredClone(base);
  next.spec!.selector = { matchLabels: { app: 'web', v: '2' } };
  next.spec!.template.metadata = { labels: { app: 'web', v: '2' } };
  const msgs = updateErrors(deploymentStrategy, next, base).map(fieldErrorMessage);
  assert.ok(
    msgs.includes('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'),
    msgs.join('\n'),
  );
});

test('an annotation change bumps the generation, a status is kept on update', () => {
  const old = prepareCreate(deploymentStrategy, base) as Deployment;
  (old as KubeObject).metadata!.generation = 4;
  (old as { status?: unknown }).status = { replicas: 1 };
  const next = structuredClone(old);
  next.metadata!.annotations = { note: 'x' };
  delete (next as { status?: unknown }).status;
  deploymentStrategy.prepareForUpdate!(next, old, { now, dryRun: false });
  assert.equal(next.metadata?.generation, 5);
  assert.deepEqual(next.status, { replicas: 1 });
});

const cases: { name: string; status: Record<string, number>; replicas: number; cells: unknown[] }[] = [
  { name: 'mid-rollout', replicas: 3, status: { replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }, cells: ['web', '2/3', 2, 2, '5m'] },
  { name: 'settled', replicas: 3, status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }, cells: ['web', '3/3', 3, 3, '5m'] },
  { name: 'new with no status', replicas: 2, status: {}, cells: ['web', '0/2', 0, 0, '5m'] },
];
for (const c of cases) {
  test(`the printer shows a ${c.name} Deployment as kubectl does`, () => {
    const d = { ...structuredClone(base), status: c.status } as Deployment;
    d.spec!.replicas = c.replicas;
    (d as KubeObject).metadata!.creationTimestamp = '2026-01-01T11:55:00Z';
    const row = deploymentStrategy.printer!.row(d, { now });
    assert.deepEqual(row, [...c.cells, 'web,log', 'nginx:1.27,busybox', 'app=web']);
  });
}
