import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy } from '../testing-support/index.js';
import { eventFromCore, eventStrategy, eventToCore } from './index.js';

const event = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web.17a', namespace: 'default' },
  eventTime: '2026-01-01T00:00:00.000000Z',
  reportingController: 'kin.dev/scheduler',
  reportingInstance: 'kin-1',
  action: 'Binding',
  reason: 'Scheduled',
  type: 'Normal',
  note: 'Successfully assigned default/web to node-1',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
  ...extra,
});

describeStrategy(eventStrategy, {
  valid: event(),
  invalid: [
    { name: 'missing eventTime', object: event({ eventTime: undefined }), fields: ['eventTime'] },
    { name: 'missing reportingController', object: event({ reportingController: undefined }), fields: ['reportingController'] },
    { name: 'missing action and reason', object: event({ action: undefined, reason: undefined }), fields: ['action', 'reason'] },
    { name: 'bad type', object: event({ type: 'Info' }), fields: ['type'] },
    { name: 'deprecated count set', object: event({ deprecatedCount: 3 }), fields: ['count'] },
    { name: 'regarding another namespace', object: event({ regarding: { kind: 'Pod', namespace: 'other', name: 'x' } }), fields: ['involvedObject.namespace'] },
  ],
  invalidUpdates: [{ name: 'note change', old: event(), object: event({ note: 'changed' }), fields: ['message'] }],
});

test('events.k8s.io Events are stored as core Events and read back unchanged', () => {
  const e = event();
  const core = eventToCore(e);
  assert.equal(core.apiVersion, 'v1');
  assert.deepEqual(core.involvedObject, e.regarding);
  assert.equal(core.message, e.note);
  assert.equal(core.reportingComponent, e.reportingController);
  assert.deepEqual(eventFromCore(core), e);
});

test('field selectors use the events.k8s.io names', () => {
  const f = eventStrategy.selectableFields!(event() as never);
  assert.equal(f['regarding.name'], 'web');
  assert.equal(f['reportingController'], 'kin.dev/scheduler');
  assert.equal(f['type'], 'Normal');
});

test('the Events table shows last seen, type, reason, object and message', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  const row = eventStrategy.printer!.row(event() as never, { now });
  assert.deepEqual(row, ['60s', 'Normal', 'Scheduled', 'pod/web', '', 'kin.dev/scheduler, kin-1', 'Successfully assigned default/web to node-1', '60s', 1, 'web.17a']);
});
