import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy } from '../testing-support/index.js';
import { podDisruptionBudgetStrategy } from './index.js';

const pdb = (spec: Record<string, unknown>) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec });
describeStrategy(podDisruptionBudgetStrategy, {
  valid: pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }),
  invalid: [
    { name: 'both minAvailable and maxUnavailable', object: pdb({ minAvailable: 1, maxUnavailable: 1 }), fields: ['spec'] },
    { name: 'percent above 100', object: pdb({ maxUnavailable: '150%' }), fields: ['spec.maxUnavailable'] },
    { name: 'bad percent', object: pdb({ minAvailable: 'half' }), fields: ['spec.minAvailable'] },
    { name: 'unknown eviction policy', object: pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' }), fields: ['spec.unhealthyPodEvictionPolicy'] },
  ],
});

test('the PDB table shows N/A for the unset bound and the allowed disruptions', () => {
  const obj = { ...pdb({ maxUnavailable: '25%' }), status: { disruptionsAllowed: 1 } };
  assert.deepEqual(podDisruptionBudgetStrategy.printer!.row(obj as never, { now: 0 }), ['web', 'N/A', '25%', 1, '<unknown>']);
});
