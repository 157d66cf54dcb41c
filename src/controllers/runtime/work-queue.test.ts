import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/index.js';
import { WorkQueue } from './work-queue.js';
import { bucketRateLimiter, defaultControllerRateLimiter, exponentialFailureRateLimiter } from './rate-limiter.js';
import { settle } from './testing-support/index.js';

function queue(clock = new FakeClock()) {
  return { q: new WorkQueue({ clock, rateLimiter: exponentialFailureRateLimiter(5, 1000) }), clock };
}

test('a key added many times before it is taken is handed out once', async () => {
  const { q } = queue();
  for (const k of ['a', 'b', 'a', 'a', 'c', 'b']) q.add(k);
  assert.equal(q.len(), 3);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
  assert.equal(q.len(), 0);
});

test('a key is never handed to a second worker while the first holds it', async () => {
  const { q } = queue();
  q.add('a');
  const first = await q.get();
  assert.equal(first, 'a');
  q.add('a');
  let second: string | undefined | null = null;
  void q.get().then((k) => (second = k));
  await settle();
  assert.equal(second, null, 'the second worker waits while the key is processed');
  q.done('a');
  await settle();
  assert.equal(second, 'a', 'the key added during processing is handed out again afterwards');
});

test('a key re-added while processing is processed once more, not twice', async () => {
  const { q } = queue();
  q.add('a');
  await q.get();
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'not queued while in flight');
  q.done('a');
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('a waiting worker gets a key as soon as it is added', async () => {
  const { q } = queue();
  const got = q.get();
  q.add('x');
  assert.equal(await got, 'x');
  q.add('x');
  assert.equal(q.len(), 0, 'x is in flight: the add waits for done');
});

test('rate-limited adds back off exponentially per key, and forget starts over', async () => {
  const { q, clock } = queue();
  const delays: number[] = [];
  for (let round = 0; round < 4; round++) {
    q.addRateLimited('k');
    const start = clock.monotonic();
    while (q.len() === 0) clock.advance(1);
    delays.push(clock.monotonic() - start);
    q.done((await q.get())!);
  }
  assert.deepEqual(delays, [5, 10, 20, 40]);
  assert.equal(q.numRequeues('k'), 4);
  q.addRateLimited('other');
  clock.advance(5);
  assert.equal(q.len(), 1, 'another key has its own backoff');
  q.forget('k');
  assert.equal(q.numRequeues('k'), 0);
  q.addRateLimited('k');
  clock.advance(4);
  assert.equal(q.len(), 1);
  clock.advance(1);
  assert.equal(q.len(), 2, 'after forget the delay is the base again');
});

test('the per-key backoff is capped', () => {
  const l = exponentialFailureRateLimiter(5, 1000);
  const got = Array.from({ length: 12 }, () => l.when('k'));
  assert.deepEqual(got, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000]);
});

test('the default controller rate limiter is 5 ms doubling per key, under a 10 qps bucket of 100', () => {
  const clock = new FakeClock();
  const l = defaultControllerRateLimiter(clock);
  assert.deepEqual([l.when('a'), l.when('a'), l.when('a')], [5, 10, 20]);
  const bucket = bucketRateLimiter({ qps: 10, burst: 100, clock });
  const first = Array.from({ length: 100 }, () => bucket.when('x'));
  assert.ok(first.every((d) => d === 0), 'the burst is free');
  assert.equal(bucket.when('x'), 100);
  assert.equal(bucket.when('x'), 200);
  clock.advance(1000);
  const after = Array.from({ length: 9 }, () => bucket.when('x'));
  assert.deepEqual(after, [0, 0, 0, 0, 0, 0, 0, 0, 100], 'ten tokens a second refill the two borrowed and eight more');
});

test('addAfter queues after the delay; an earlier pending add wins', () => {
  const { q, clock } = queue();
  q.addAfter('a', 100);
  q.addAfter('a', 500);
  clock.advance(99);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  q.addAfter('b', 300);
  q.addAfter('b', 50);
  clock.advance(50);
  assert.equal(q.len(), 2, 'the earlier time replaced the later one');
  clock.advance(1000);
  assert.equal(q.len(), 2, 'and the later one does not fire again');
  q.addAfter('c', 0);
  assert.equal(q.len(), 3, 'no delay is an add');
});

test('shutdown ends waiting workers, still hands out queued keys, ignores new and delayed adds', async () => {
  const { q, clock } = queue();
  const waiting = q.get();
  q.shutDown();
  assert.equal(await waiting, undefined);

  const { q: q2, clock: c2 } = queue();
  q2.add('a');
  q2.addAfter('later', 10);
  q2.shutDown();
  q2.add('b');
  c2.advance(100);
  assert.equal(await q2.get(), 'a', 'queued before shutdown: still handed out');
  assert.equal(await q2.get(), undefined, 'then the queue is over');
  assert.ok(q2.shuttingDown);
  void clock;
});

test('shutDownWithDrain resolves once in-flight keys are done', async () => {
  const { q } = queue();
  q.add('a');
  q.add('b');
  const a = (await q.get())!;
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  const b = (await q.get())!;
  assert.equal(b, 'b');
  q.done(b);
  await settle();
  assert.equal(drained, false, 'a is still in flight');
  q.done(a);
  await drain;
  assert.equal(drained, true);
  assert.equal(await q.get(), undefined);
});
