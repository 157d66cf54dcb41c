import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy } from '../../testing-support/index.js';
import { quotaCells, resourceQuotaStrategy } from './strategy.js';

const rq = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'default' }, spec, ...(status ? { status } : {}) });

describeStrategy(resourceQuotaStrategy, {
  valid: rq({ hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', 'count/deployments.apps': '5' } }),
  invalid: [
    { name: 'a fractional pod count and an unknown resource', object: rq({ hard: { pods: '1.5', gadgets: '1' } }), fields: ['spec.hard[pods]', 'spec.hard[gadgets]'] },
    { name: 'conflicting scopes', object: rq({ hard: { pods: '1' }, scopes: ['BestEffort', 'NotBestEffort'] }), fields: ['spec.scopes'] },
  ],
  invalidUpdates: [{ name: 'changing scopes', old: rq({ hard: { pods: '1' }, scopes: ['BestEffort'] }), object: rq({ hard: { pods: '1' } }), fields: ['spec.scopes'] }],
});

test('the quota table splits requests and limits with used/hard', () => {
  const cells = quotaCells({ status: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' }, used: { pods: '3', 'limits.memory': '1Gi' } } } as never);
  assert.deepEqual(cells, ['pods: 3/10, requests.cpu: 0/4', 'limits.memory: 1Gi/8Gi']);
});
