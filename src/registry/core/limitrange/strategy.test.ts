import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy, prepareCreate } from '../../testing-support/index.js';
import { limitRangeStrategy } from './strategy.js';

const lr = (limits: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'default' }, spec: { limits } });

describeStrategy(limitRangeStrategy, {
  valid: lr([{ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' } }]),
  invalid: [
    { name: 'min above max', object: lr([{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }]), fields: ['spec.limits[0].min[cpu]'] },
    { name: 'defaults on a Pod limit and an unknown type', object: lr([{ type: 'Pod', default: { cpu: '1' } }, { type: 'Gadget' }]), fields: ['spec.limits[0].default', 'spec.limits[1].type'] },
    { name: 'a PVC limit without storage bounds', object: lr([{ type: 'PersistentVolumeClaim', max: { cpu: '1' } }]), fields: ['spec.limits[0].limits'] },
  ],
});

test('container limits get default limits from max and default requests from default and min', () => {
  const got = prepareCreate(limitRangeStrategy, lr([{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { 'ephemeral-storage': '1Gi' } }]));
  const item = (got['spec'] as { limits: Record<string, unknown>[] }).limits[0];
  assert.deepEqual(item?.['default'], { cpu: '2', memory: '1Gi' });
  assert.deepEqual(item?.['defaultRequest'], { cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi' });
});

test('the LimitRange table shows the creation time itself', () => {
  const got = prepareCreate(limitRangeStrategy, lr([]));
  assert.deepEqual(limitRangeStrategy.printer?.row(got, { now: 0 }), ['limits', '2024-05-01T12:00:00Z']);
  assert.equal(limitRangeStrategy.printer?.columns[1]?.type, 'date');
});
