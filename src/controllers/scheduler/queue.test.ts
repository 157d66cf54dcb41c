import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/index.js';
import { SchedulingQueue } from './queue.js';

test('pods pop by priority, then in arrival order', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add('ns/low', 0);
  clock.advance(1);
  q.add('ns/high', 100);
  clock.advance(1);
  q.add('ns/low2', 0);
  assert.deepEqual([(await q.pop())!.key, (await q.pop())!.key, (await q.pop())!.key], ['ns/high', 'ns/low', 'ns/low2']);
});

test('an unschedulable pod waits for a cluster change, then for its backoff', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add('ns/p', 0);
  const p = (await q.pop())!;
  q.addUnschedulable(p, ['NodeResourcesFit']);
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1 });
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0 });
  clock.advance(1000);
  assert.deepEqual(q.stats(), { active: 1, backoff: 0, unschedulable: 0 });
  assert.equal((await q.pop())!.attempts, 2);
});

test('a move limited to some plugins leaves the other pods waiting', async () => {
  const q = new SchedulingQueue({ clock: new FakeClock() });
  q.add('ns/a', 0);
  q.add('ns/b', 0);
  q.addUnschedulable((await q.pop())!, ['NodeResourcesFit']);
  q.addUnschedulable((await q.pop())!, ['InterPodAffinity']);
  q.moveAllToActiveOrBackoff(['InterPodAffinity']);
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 1 });
});

test('a cluster change during an attempt sends the failed pod to backoff instead of waiting', async () => {
  const q = new SchedulingQueue({ clock: new FakeClock() });
  q.add('ns/p', 0);
  const p = (await q.pop())!;
  q.moveAllToActiveOrBackoff();
  q.addUnschedulable(p, ['NodeResourcesFit']);
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0 });
});

test('backoff doubles from 1 s up to 10 s', () => {
  const q = new SchedulingQueue();
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => q.backoffMs(n)), [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('unschedulable pods are retried after five minutes without any change', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.add('ns/p', 0);
  q.addUnschedulable((await q.pop())!, []);
  clock.advance(60_000);
  q.flushUnschedulableLeftover();
  assert.equal(q.stats().unschedulable, 1);
  clock.advance(240_000);
  q.flushUnschedulableLeftover();
  assert.deepEqual(q.stats(), { active: 1, backoff: 0, unschedulable: 0 });
});

test('a deleted pod is never handed out', async () => {
  const q = new SchedulingQueue({ clock: new FakeClock() });
  q.add('ns/a', 0);
  q.add('ns/b', 0);
  q.delete('ns/a');
  assert.equal((await q.pop())!.key, 'ns/b');
  q.close();
  assert.equal(await q.pop(), undefined);
});
