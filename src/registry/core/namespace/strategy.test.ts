import { test } from 'node:test';
import type { KubeObject } from '../../../api/index.js';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate, testContext } from '../../testing-support/index.js';
import { namespaceStrategy } from './strategy.js';

const ns = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, ...extra });

describeStrategy(namespaceStrategy, {
  valid: ns('team-a'),
  invalid: [{ name: 'an unqualified unknown finalizer', object: ns('team-a', { spec: { finalizers: ['custom'] } }), fields: ['spec.finalizers'] }],
});

test('a new namespace reads back like a real one: label, kubernetes finalizer, Active', () => {
  const got = prepareCreate(namespaceStrategy, ns('team-a'));
  assert.deepEqual(got.metadata?.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(got['spec'], { finalizers: ['kubernetes'] });
  assert.deepEqual(got['status'], { phase: 'Active' });
});

test('the name label is restored on update and the finalizers cannot be changed there', () => {
  const ctx = testContext();
  const old = prepareCreate(namespaceStrategy, ns('team-a'), ctx);
  const next = ns('team-a', { metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'other' } }, spec: { finalizers: [] } });
  namespaceStrategy.defaults?.(next);
  namespaceStrategy.prepareForUpdate?.(next, old, ctx);
  namespaceStrategy.canonicalize?.(next);
  assert.equal(next.metadata?.labels?.['kubernetes.io/metadata.name'], 'team-a');
  assert.deepEqual(next['spec'], { finalizers: ['kubernetes'] });
});

test('namespace status may only say Terminating once deletion started', () => {
  const ctx = testContext();
  const old = prepareCreate(namespaceStrategy, ns('team-a'), ctx);
  const next = { ...structuredClone(old), status: { phase: 'Terminating' } };
  assert.deepEqual(namespaceStrategy.status?.validateUpdate(next, old, ctx).map((e) => e.field), ['status.Phase']);
});

test('namespace names are DNS labels and the printer shows the phase', () => {
  assert.deepEqual(namespaceStrategy.nameValidation('a.b'), ['must not contain dots']);
  const row = namespaceStrategy.printer?.row(prepareCreate(namespaceStrategy, ns('team-a')), { now: Date.parse('2024-05-01T12:00:30Z') });
  assert.deepEqual(row, ['team-a', 'Active', '30s']);
  assert.deepEqual(namespaceStrategy.selectableFields?.(prepareCreate(namespaceStrategy, ns('x'))), { 'status.phase': 'Active' });
});
