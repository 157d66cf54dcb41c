import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { FakeClock, silentLogger } from '../util/index.js';
import { PodIPAllocator } from './node-status.js';
import { PodWorker, type PodWorkerHost } from './pod-worker.js';
import { SimulatedRuntime } from './simulated-runtime.js';
import { goDuration, restartDelayMs } from './pod-status.js';

/** Turns the event loop a few times (promise chains of the worker). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function harness(pod: Pod) {
  const clock = new FakeClock();
  const ips = new PodIPAllocator('10.128.0.0/24');
  const events: string[] = [];
  let terminated = false;
  const host: PodWorkerHost = {
    clock,
    runtime: new SimulatedRuntime({ clock }),
    recorder: { event: (_o, _t, reason, message) => void events.push(`${reason}: ${message}`) },
    logger: silentLogger,
    hostIP: '172.18.0.2',
    allocateIP: (uid, want) => ips.allocate(uid, want),
    releaseIP: (uid) => ips.release(uid),
    ensureImage: async (_p, c) => ({ imageID: `${c.image}@sha256:0`, sizeBytes: 1 }),
    statusChanged: () => undefined,
    terminated: () => void (terminated = true),
  };
  const w = new PodWorker(pod, host);
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 500) {
      clock.advance(Math.min(500, ms - t));
      await settle();
    }
  };
  return { w, clock, events, step, isTerminated: () => terminated, status: (): PodStatus => w.status() };
}

function pod(spec: Partial<NonNullable<Pod['spec']>>, annotations: Record<string, string> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u1', annotations }, spec: { nodeName: 'kin-node-1', containers: [{ name: 'app', image: 'nginx' }], ...spec } };
}

test('a pod starts Pending with ContainerCreating and becomes Running and Ready', async () => {
  const h = harness(pod({}));
  assert.equal(h.status().phase, 'Pending');
  assert.equal(h.status().containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
  h.w.update(pod({}));
  await settle();
  const s = h.status();
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.128.0.2');
  assert.deepEqual(s.conditions?.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
});

test('readiness waits for the readiness probe initial delay', async () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx', readinessProbe: { initialDelaySeconds: 5, httpGet: { port: 80 } } }] });
  const h = harness(p);
  h.w.update(p);
  await settle();
  assert.equal(h.status().phase, 'Running');
  const ready = h.status().conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'False');
  assert.equal(ready?.reason, 'ContainersNotReady');
  assert.equal(ready?.message, 'containers with unready status: [app]');
  await h.step(5000);
  assert.equal(h.status().conditions?.find((c) => c.type === 'Ready')?.status, 'True');
});

const exitCases = [
  { name: 'exit 1 under Never ends Failed', policy: 'Never', code: '1', phase: 'Failed', reason: 'Error' },
  { name: 'exit 0 under Never ends Succeeded', policy: 'Never', code: '0', phase: 'Succeeded', reason: 'Completed' },
  { name: 'exit 0 under OnFailure ends Succeeded', policy: 'OnFailure', code: '0', phase: 'Succeeded', reason: 'Completed' },
] as const;
for (const c of exitCases) {
  test(`the exit annotation: ${c.name}`, async () => {
    const p = pod({ restartPolicy: c.policy }, { 'kin.dev/exit-after': '3s', 'kin.dev/exit-code': c.code });
    const h = harness(p);
    h.w.update(p);
    await settle();
    assert.equal(h.status().phase, 'Running');
    await h.step(3000);
    const s = h.status();
    assert.equal(s.phase, c.phase);
    assert.equal(s.containerStatuses?.[0]?.state?.terminated?.reason, c.reason);
    assert.equal(s.containerStatuses?.[0]?.state?.terminated?.exitCode, Number(c.code));
  });
}

test('a failing container under Always restarts at once, then backs off 10 s, 20 s, ... (CrashLoopBackOff)', async () => {
  const p = pod({ restartPolicy: 'Always' }, { 'kin.dev/exit-after': '1s', 'kin.dev/exit-code': '2' });
  const h = harness(p);
  h.w.update(p);
  await settle();
  await h.step(1000); // first exit: restarted at once
  let cs = h.status().containerStatuses?.[0];
  assert.equal(cs?.restartCount, 1);
  assert.ok(cs?.state?.running, 'running again');
  assert.equal(cs?.lastState?.terminated?.exitCode, 2);
  await h.step(1000); // second exit: back-off 10 s
  cs = h.status().containerStatuses?.[0];
  assert.equal(cs?.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs?.state?.waiting?.message, 'back-off 10s restarting failed container=app pod=p_ns(u1)');
  assert.equal(h.status().phase, 'Running');
  await h.step(9500);
  assert.equal(h.status().containerStatuses?.[0]?.state?.waiting?.reason, 'CrashLoopBackOff');
  await h.step(500);
  assert.ok(h.status().containerStatuses?.[0]?.state?.running, 'restarted after 10 s');
  assert.ok(h.events.some((e) => e.startsWith('BackOff: Back-off restarting failed container app in pod p_ns(u1)')));
});

test('back-off delays double from 10 s to a 5 minute cap', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => goDuration(restartDelayMs(n))), ['0s', '10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
});

test('init containers run in order before the app containers', async () => {
  const p = pod({ initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }] }, { 'kin.dev/exit-after.one': '2s', 'kin.dev/exit-after.two': '2s' });
  const h = harness(p);
  h.w.update(p);
  await settle();
  let s = h.status();
  assert.equal(s.phase, 'Pending');
  assert.ok(s.initContainerStatuses?.[0]?.state?.running);
  assert.equal(s.initContainerStatuses?.[1]?.state?.waiting?.reason, 'PodInitializing');
  assert.equal(s.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
  assert.equal(s.conditions?.find((c) => c.type === 'Initialized')?.message, 'containers with incomplete status: [one two]');
  await h.step(2000);
  s = h.status();
  assert.equal(s.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
  assert.ok(s.initContainerStatuses?.[1]?.state?.running);
  await h.step(2000);
  s = h.status();
  assert.equal(s.phase, 'Running');
  assert.equal(s.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
});

test('graceful deletion: containers get the grace period, a slow one is killed with 137', async () => {
  const p = pod({ terminationGracePeriodSeconds: 3 }, { 'kin.dev/shutdown-delay': '10s' });
  const h = harness(p);
  h.w.update(p);
  await settle();
  h.w.update({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 3 } });
  await settle();
  assert.equal(h.isTerminated(), false);
  await h.step(3000);
  assert.equal(h.isTerminated(), true);
  assert.equal(h.status().containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
  assert.equal(h.status().phase, 'Failed');
  assert.ok(h.events.includes('Killing: Stopping container app'));
});

test('the active deadline fails the pod with DeadlineExceeded', async () => {
  const p = pod({ activeDeadlineSeconds: 5 });
  const h = harness(p);
  h.w.update(p);
  await settle();
  await h.step(5000);
  const s = h.status();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'DeadlineExceeded');
});

test('a host-network pod has the IP of its node', async () => {
  const p = pod({ hostNetwork: true });
  const h = harness(p);
  h.w.update(p);
  await settle();
  assert.equal(h.status().podIP, '172.18.0.2');
});

test('the kin.dev/ready annotation holds a container not ready until it is changed', async () => {
  const p = pod({}, { 'kin.dev/ready': 'false' });
  const h = harness(p);
  h.w.update(p);
  await settle();
  assert.equal(h.status().phase, 'Running');
  assert.equal(h.status().containerStatuses?.[0]?.ready, false);
  h.w.update(pod({}, { 'kin.dev/ready': 'true' }));
  assert.equal(h.status().containerStatuses?.[0]?.ready, true);
  assert.equal(h.status().conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  h.w.update(pod({}, { 'kin.dev/ready.app': 'false' }));
  assert.equal(h.status().conditions?.find((c) => c.type === 'Ready')?.status, 'False');
});

test('a changed image restarts the container with the new one', async () => {
  const p = pod({});
  const h = harness(p);
  h.w.update(p);
  await settle();
  h.w.update(pod({ containers: [{ name: 'app', image: 'nginx:1.28' }] }));
  await settle();
  const cs = h.status().containerStatuses?.[0];
  assert.equal(cs?.image, 'nginx:1.28');
  assert.equal(cs?.restartCount, 1);
  assert.ok(cs?.state?.running);
  assert.equal(cs?.imageID, 'nginx:1.28@sha256:0');
  assert.ok(h.events.includes('Killing: Container app definition changed, will be restarted'));
});

