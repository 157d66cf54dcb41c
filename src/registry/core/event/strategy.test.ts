import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy } from '../../testing-support/index.js';
import { eventStrategy } from './strategy.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const event = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17a', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
  reason: 'Pulled', message: 'Successfully pulled image "nginx"  ', type: 'Normal', source: { component: 'kubelet', host: 'worker-1' },
  firstTimestamp: ago(120), lastTimestamp: ago(30), count: 2, ...extra,
});

describeStrategy(eventStrategy, {
  valid: event(),
  invalid: [
    { name: 'an involved object in another namespace', object: event({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'web' } }), fields: ['involvedObject.namespace'] },
    { name: 'a new-style event without reporting fields', object: event({ eventTime: ago(1), reason: '' }), fields: ['reportingController', 'reportingInstance', 'action', 'reason'] },
  ],
});

test('event rows show last seen, object and trimmed message, and the wide columns', () => {
  assert.deepEqual(eventStrategy.printer?.row(event(), { now }), ['30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, worker-1', 'Successfully pulled image "nginx"', '2m', 2, 'web.17a']);
});

test('a series event reports the series count and last observation', () => {
  const row = eventStrategy.printer?.row(event({ firstTimestamp: undefined, lastTimestamp: undefined, count: undefined, eventTime: ago(300), series: { count: 5, lastObservedTime: ago(10) }, source: {}, reportingComponent: 'ctrl', reportingInstance: 'ctrl-1' }), { now });
  assert.deepEqual(row, ['10s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'ctrl, ctrl-1', 'Successfully pulled image "nginx"', '5m', 5, 'web.17a']);
});

test('event field selectors', () => {
  assert.deepEqual(eventStrategy.selectableFields?.(event()), {
    'involvedObject.kind': 'Pod', 'involvedObject.namespace': 'default', 'involvedObject.name': 'web', 'involvedObject.uid': '',
    'involvedObject.apiVersion': 'v1', 'involvedObject.resourceVersion': '', 'involvedObject.fieldPath': 'spec.containers{app}',
    reason: 'Pulled', reportingComponent: '', source: 'kubelet', type: 'Normal',
  });
  assert.deepEqual(eventStrategy.printer?.columns.map((c) => [c.name, c.priority]), [
    ['Last Seen', 0], ['Type', 0], ['Reason', 0], ['Object', 0], ['Subobject', 1], ['Source', 1], ['Message', 0], ['First Seen', 1], ['Count', 1], ['Name', 1],
  ]);
});
