import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339Nano, TriggerTimeTracker, type Pod, type Service } from './index.js';

const svc: Service = { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-11-25T10:00:00Z' } };
const pod = (name: string, readyAt?: string): Pod => ({ metadata: { name }, status: { conditions: readyAt ? [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] : [] } });
const t = (s: string) => Date.parse(s);

test('RFC3339Nano drops a zero fraction and trailing zeros as Go does', () => {
  const cases: [number, string][] = [
    [t('2026-11-25T10:00:00Z'), '2026-11-25T10:00:00Z'],
    [t('2026-11-25T10:00:00.120Z'), '2026-11-25T10:00:00.12Z'],
    [t('2026-11-25T10:00:00.005Z'), '2026-11-25T10:00:00.005Z'],
  ];
  for (const [ms, want] of cases) assert.equal(rfc3339Nano(ms), want);
});

test('the trigger time is the Service creation first, then the earliest pod change since the last sync, else none', () => {
  const tracker = new TriggerTimeTracker();
  assert.equal(tracker.compute(svc, [pod('a', '2026-11-25T10:05:00Z')]), t('2026-11-25T10:00:00Z'), 'first sync: the Service');
  assert.equal(tracker.compute(svc, [pod('a', '2026-11-25T10:05:00Z')]), 0, 'nothing changed');
  const changed = [pod('a', '2026-11-25T10:07:00Z'), pod('b', '2026-11-25T10:06:00Z'), pod('c')];
  assert.equal(tracker.compute(svc, changed), t('2026-11-25T10:06:00Z'), 'earliest of the changed pods');
  tracker.forget('default', 'web');
  assert.equal(tracker.compute(svc, changed), t('2026-11-25T10:00:00Z'), 'forgotten: like a first sync');
});
