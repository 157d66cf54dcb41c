import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FakeClock } from '../util/index.js';
import { StorageError, type Backend, type KeyValue, type ListOptions, type ListResult, type Watch, type WatchCallback, type WatchEvent } from './backend.js';
import { MemoryBackend } from './memory.js';
import { SqliteBackend } from './sqlite.js';
import { describeBackendConformance } from './testing-support/conformance.js';
import { recorder } from './testing-support/conformance-watch.js';
import { dec, enc, rejectsWith } from './testing-support/helpers.js';
import { WatchCache } from './watch-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'kin-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeBackendConformance('watch cache over memory', () => new WatchCache(new MemoryBackend()));
describeBackendConformance('watch cache over sqlite', () => {
  const path = join(dir, `t${n++}.db`);
  const backend = new WatchCache(new SqliteBackend(path));
  return {
    backend,
    reopen: async () => {
      await backend.close();
      return new WatchCache(new SqliteBackend(path));
    },
  };
});

/**
 * A backend standing in for a remote one: it counts calls, holds back watch events until `release()` (as a
 * slow network would), and can break its watches.
 */
class RemoteLike implements Backend {
  readonly calls = new Map<string, number>();
  holding = false;
  private held: { cb: WatchCallback; events: WatchEvent[] }[] = [];
  private fails: ((err: unknown) => void)[] = [];
  constructor(readonly inner: Backend = new MemoryBackend()) {}
  private tally(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }
  called(name: string): number {
    return this.calls.get(name) ?? 0;
  }
  release(): void {
    for (const h of this.held.splice(0)) h.cb(h.events);
  }
  breakWatches(err: unknown): void {
    for (const f of this.fails.splice(0)) f(err);
  }
  create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.tally('create');
    return this.inner.create(key, value);
  }
  get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.tally('get');
    return this.inner.get(key, revision);
  }
  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.tally('list');
    return this.inner.list(prefix, opts);
  }
  count(prefix: string): Promise<number> {
    this.tally('count');
    return this.inner.count(prefix);
  }
  update(key: string, value: Uint8Array, expectedRevision?: number): Promise<KeyValue> {
    this.tally('update');
    return this.inner.update(key, value, expectedRevision);
  }
  delete(key: string, expectedRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    this.tally('delete');
    return this.inner.delete(key, expectedRevision);
  }
  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watch {
    this.tally('watch');
    const w = this.inner.watch(prefix, fromRevision, (events) => {
      if (this.holding) this.held.push({ cb, events });
      else cb(events);
    });
    let fail!: (err: unknown) => void;
    const broken = new Promise<void>((_, reject) => (fail = reject));
    broken.catch(() => {});
    this.fails.push((err) => {
      fail(err);
      w.cancel();
    });
    const done = Promise.race([w.done, broken]);
    done.catch(() => {});
    return { cancel: () => w.cancel(), done };
  }
  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }
  currentRevision(): Promise<number> {
    this.tally('currentRevision');
    return this.inner.currentRevision();
  }
  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('watch cache', () => {
  test('reads at the current revision are answered from memory, asking the backend only for its revision', async () => {
    const remote = new RemoteLike();
    const cache = new WatchCache(remote);
    await cache.create('/r/a', enc('1'));
    await cache.create('/r/b', enc('2'));
    const lists = remote.called('list');
    const gets = remote.called('get');
    assert.equal(dec((await cache.get('/r/a'))!.value), '1');
    assert.equal((await cache.list('/r/')).items.length, 2);
    assert.equal(await cache.count('/r/'), 2);
    assert.equal(remote.called('list'), lists);
    assert.equal(remote.called('get'), gets);
    assert.equal(remote.called('count'), 0);
    await cache.close();
  });

  test('unchanged keys keep the same KeyValue instance across reads, writes and events', async () => {
    const cache = new WatchCache(new MemoryBackend());
    const a = await cache.create('/r/a', enc('1'));
    const b = await cache.create('/r/b', enc('1'));
    const l1 = await cache.list('/r/');
    assert.equal(l1.items[0], a);
    assert.equal(await cache.get('/r/a'), a);
    const rec = recorder();
    const w = cache.watch('/r/', await cache.currentRevision(), rec.cb);
    const b2 = await cache.update('/r/b', enc('2'));
    const l2 = await cache.list('/r/');
    assert.equal(l2.items[0], a);
    assert.equal(l2.items[1], b2);
    assert.equal(rec.events[0]!.prev, b);
    assert.equal(rec.events[0]!.value, b2.value);
    // A snapshot at the older revision hands back the older value: same bytes, the ring's own instance.
    const older = (await cache.list('/r/', { revision: l1.revision })).items[1]!;
    assert.deepEqual({ ...older, value: dec(older.value) }, { ...b, value: dec(b.value) });
    assert.equal((await cache.delete('/r/a')).prev, a);
    w.cancel();
    await cache.close();
  });

  test('the ring holds superseded values through views of their own, so nothing memoized per instance outlives them', async () => {
    const cache = new WatchCache(new MemoryBackend());
    const r0 = await cache.currentRevision();
    const v1 = await cache.create('/r/a', enc('1'));
    const v2 = await cache.update('/r/a', enc('2'));
    const live = recorder();
    const w = cache.watch('/r/', await cache.currentRevision(), live.cb);
    const v3 = await cache.update('/r/a', enc('3'));
    // Watchers get the instances the cache handed out.
    const [e3] = await live.until(1);
    assert.equal(e3!.value, v3.value);
    assert.equal(e3!.prev, v2);
    // A watch replaying the ring sees every version with the same bytes, but no superseded instance.
    const replay = recorder();
    const w2 = cache.watch('/r/', r0, replay.cb);
    const events = await replay.until(3);
    assert.deepEqual(events.map((e) => [dec(e.value), e.prev ? dec(e.prev.value) : undefined]), [['1', undefined], ['2', '1'], ['3', '2']]);
    const handedOut = new Set<Uint8Array>([v1.value, v2.value]);
    for (const e of events) {
      assert.ok(!handedOut.has(e.value), `event at ${e.modRevision} holds a superseded instance`);
      assert.ok(!e.prev || !handedOut.has(e.prev.value), `prev of event at ${e.modRevision} holds a superseded instance`);
    }
    // The current value stays the instance reads hand out.
    assert.equal(events[2]!.value, v3.value);
    assert.equal((await cache.get('/r/a'))!.value, v3.value);
    assert.equal(dec((await cache.get('/r/a', v1.modRevision))!.value), '1');
    // Nor does the cache hand out the writer's instance, which the backend's own event buffer may keep.
    const written = enc('b');
    const b = await cache.create('/r/b', written);
    assert.notEqual(b.value, written);
    assert.equal(dec(b.value), 'b');
    w.cancel();
    w2.cancel();
    await cache.close();
  });

  test('lists at a revision the ring still covers are served from memory; older ones go to the backend', async () => {
    const remote = new RemoteLike();
    const cache = new WatchCache(remote, { maxEvents: 3 });
    await cache.whenReady();
    const r0 = await cache.currentRevision();
    for (let i = 0; i < 5; i++) await cache.create(`/r/${i}`, enc('x'));
    const current = await cache.currentRevision();
    const lists = remote.called('list');
    assert.equal((await cache.list('/r/', { revision: current - 2 })).items.length, 3);
    assert.equal(remote.called('list'), lists);
    assert.equal((await cache.list('/r/', { revision: r0 })).items.length, 0);
    assert.equal(remote.called('list'), lists + 1);
    assert.equal(await cache.compactedRevision(), current - 3);
    const err = await rejectsWith(cache.watch('/r/', r0, () => {}).done, 'Compacted');
    assert.equal(err.compactRevision, current - 3);
    await cache.close();
  });

  test('a read waits until the cache has caught up with writes the backend already committed', async () => {
    const remote = new RemoteLike();
    const cache = new WatchCache(remote);
    await cache.whenReady();
    remote.holding = true;
    await remote.inner.create('/r/a', enc('1')); // written behind the cache's back, event held "in the network"
    let answered: KeyValue | undefined | null = null;
    const read = cache.get('/r/a').then((kv) => (answered = kv));
    await new Promise((r) => setImmediate(r));
    assert.equal(answered, null);
    remote.holding = false;
    remote.release();
    await read;
    assert.equal(dec(answered!.value), '1');
    await cache.close();
  });

  test('a read that cannot catch up in time is answered by the backend', async () => {
    const clock = new FakeClock();
    const remote = new RemoteLike();
    const cache = new WatchCache(remote, { clock, syncTimeoutMs: 1000 });
    await cache.whenReady();
    remote.holding = true;
    await remote.inner.create('/r/a', enc('1'));
    const read = cache.list('/r/');
    await new Promise((r) => setImmediate(r));
    clock.advance(1000);
    const page = await read;
    assert.deepEqual(page.items.map((kv) => kv.key), ['/r/a']);
    remote.holding = false;
    remote.release();
    await cache.close();
  });

  test('a write resolves only once the cache has applied it', async () => {
    const remote = new RemoteLike();
    const cache = new WatchCache(remote);
    await cache.whenReady();
    remote.holding = true;
    let done = false;
    const write = cache.create('/r/a', enc('1')).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    remote.holding = false;
    remote.release();
    await write;
    assert.ok(await cache.get('/r/a'));
    await cache.close();
  });

  test('when the backend watch breaks, cache watchers end with the error and the cache reloads', async () => {
    const remote = new RemoteLike();
    const cache = new WatchCache(remote, { clock: new FakeClock() });
    await cache.create('/r/a', enc('1'));
    const w = cache.watch('/r/', await cache.currentRevision(), () => {});
    remote.breakWatches(new StorageError('Compacted', 'gone', undefined, 99));
    await rejectsWith(w.done, 'Compacted');
    await cache.whenReady();
    await remote.inner.create('/r/b', enc('2'));
    assert.deepEqual((await cache.list('/r/')).items.map((kv) => kv.key), ['/r/a', '/r/b']);
    assert.equal(remote.called('watch'), 2);
    await cache.close();
  });

  test('a watch started before the cache is loaded begins once it is', async () => {
    const backend = new MemoryBackend();
    await backend.create('/r/a', enc('1'));
    const cache = new WatchCache(backend);
    const rec = recorder();
    const w = cache.watch('/r/', 2, rec.cb); // the revision the cache will load at
    await backend.create('/r/b', enc('1'));
    assert.deepEqual((await rec.until(1)).map((e) => e.key), ['/r/b']);
    w.cancel();
    await w.done;
    const early = new WatchCache(new MemoryBackend()).watch('/', 0, () => {});
    early.cancel();
    await early.done;
    await cache.close();
  });

  test('a thousand watchers on one prefix share each batch without copies', async () => {
    const cache = new WatchCache(new MemoryBackend());
    const from = await cache.currentRevision();
    const got: WatchEvent[][] = [];
    const ws = Array.from({ length: 1000 }, () => cache.watch('/r/', from, (events) => got.push(events)));
    await cache.create('/r/a', enc('1'));
    assert.equal(got.length, 1000);
    for (const batch of got) assert.equal(batch, got[0]);
    for (const w of ws) w.cancel();
    await cache.close();
  });
});
