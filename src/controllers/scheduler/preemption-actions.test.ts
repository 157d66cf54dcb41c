import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disruptionTargetCondition, preemptedMessage } from './preemption-actions.js';
import { makePod } from './testing-support.js';

test('the DisruptionTarget condition names the preemptor’s scheduler, as kube-scheduler words it', () => {
  const c = disruptionTargetCondition(makePod('p', { spec: { schedulerName: 'my-scheduler' } }), Date.parse('2026-11-25T12:00:00Z'));
  assert.deepEqual(c, {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'PreemptionByScheduler',
    message: 'my-scheduler: preempting to accommodate a higher priority pod',
    lastProbeTime: null,
    lastTransitionTime: '2026-11-25T12:00:00Z',
  });
});

test('the Preempted event names the preemptor by UID and the node', () => {
  assert.equal(preemptedMessage(makePod('high'), 'kin-node-0'), 'Preempted by pod uid-high on node kin-node-0');
});
