import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/index.js';
import { behaviourOf, parseDurationMs, SimulatedRuntime } from './simulated-runtime.js';
import { normalizeImage, simulatedImageID } from './images.js';

test('durations are read as Go writes them, or as plain seconds', () => {
  const cases: [string, number | undefined][] = [['5s', 5000], ['1m30s', 90_000], ['250ms', 250], ['1.5s', 1500], ['2', 2000], ['1h', 3_600_000], ['soon', undefined], ['', undefined]];
  for (const [text, want] of cases) assert.equal(parseDurationMs(text), want, text);
});

test('per-container annotations win over pod-wide ones; init containers exit 0 at once unless told', () => {
  const a = { 'kin.dev/exit-after': '5s', 'kin.dev/exit-code': '3', 'kin.dev/exit-after.side': '1s', 'kin.dev/shutdown-delay.app': '2s' };
  assert.deepEqual(behaviourOf(a, 'app', false), { exitAfterMs: 5000, exitCode: 3, shutdownDelayMs: 2000 });
  assert.deepEqual(behaviourOf(a, 'side', false), { exitAfterMs: 1000, exitCode: 3, shutdownDelayMs: 0 });
  assert.deepEqual(behaviourOf(a, 'init', true), { exitAfterMs: 0, exitCode: 0, shutdownDelayMs: 0 });
  assert.deepEqual(behaviourOf({}, 'app', false), { exitCode: 0, shutdownDelayMs: 0 });
});

test('a simulated container exits when asked to, and stops at once when it has no shutdown delay', async () => {
  const clock = new FakeClock();
  const rt = new SimulatedRuntime({ clock });
  const pod = { namespace: 'ns', name: 'p', uid: 'u', annotations: { 'kin.dev/exit-after': '3s', 'kin.dev/exit-code': '4' } };
  const w = await rt.start({ pod, container: { name: 'app' }, init: false, restartCount: 0, podIP: '' }, { stdout: () => undefined, stderr: () => undefined });
  clock.advance(3000);
  assert.deepEqual(await w.exited, { exitCode: 4, reason: 'Error' });
  const forever = await rt.start({ pod: { ...pod, annotations: {} }, container: { name: 'app' }, init: false, restartCount: 0, podIP: '' }, { stdout: () => undefined, stderr: () => undefined });
  assert.deepEqual(await forever.stop(30_000), { exitCode: 0, reason: 'Completed' });
});

test('images are reported fully qualified with a digest', () => {
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('bitnami/redis:7'), 'docker.io/bitnami/redis:7');
  assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
  assert.match(simulatedImageID('nginx:1.27'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
});
