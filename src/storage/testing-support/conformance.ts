// The one conformance suite every storage backend (and the watch cache over each) must pass.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Backend, KeyValue, StorageError } from '../backend.js';
import { describeWatchConformance } from './conformance-watch.js';
import { dec, enc, rejectsWith } from './helpers.js';

/** A backend under test, with a way to reopen the same store for drivers that persist. */
export interface ConformanceTarget {
  backend: Backend;
  /** Closes `backend` and opens the same store again. */
  reopen?: () => Promise<Backend>;
}

/** Opens a fresh, empty store for one test. */
export type BackendFactory = () => Backend | ConformanceTarget | Promise<Backend | ConformanceTarget>;

/** Runs `fn` on a fresh backend and closes whatever is open at the end. */
export async function withBackend(factory: BackendFactory, fn: (b: Backend, t: { reopen?: () => Promise<Backend> }) => Promise<void>): Promise<void> {
  const made = await factory();
  const target: ConformanceTarget = 'backend' in made ? made : { backend: made };
  let current = target.backend;
  const reopen = target.reopen;
  try {
    await fn(current, reopen ? { reopen: async () => (current = await reopen()) } : {});
  } finally {
    await current.close();
  }
}

const keysOf = (items: KeyValue[]) => items.map((kv) => kv.key);

/** Registers the whole storage contract as node:test tests for one backend. */
export function describeBackendConformance(name: string, factory: BackendFactory): void {
  const it = (title: string, fn: (b: Backend, t: { reopen?: () => Promise<Backend> }) => Promise<void>) =>
    test(title, { timeout: 20_000 }, () => withBackend(factory, fn));

  describe(`${name}: storage conformance`, () => {
    describe('writes and reads', () => {
      it('create returns a KeyValue at a new revision and get returns it', async (b) => {
        const before = await b.currentRevision();
        const kv = await b.create('/r/pods/default/a', enc('one'));
        assert.equal(kv.key, '/r/pods/default/a');
        assert.equal(dec(kv.value), 'one');
        assert.ok(kv.modRevision > before);
        assert.equal(kv.createRevision, kv.modRevision);
        assert.equal(await b.currentRevision(), kv.modRevision);
        const got = await b.get('/r/pods/default/a');
        assert.deepEqual({ ...got, value: dec(got!.value) }, { ...kv, value: 'one' });
      });

      it('create fails with AlreadyExists on an existing key and works again after a delete', async (b) => {
        const first = await b.create('/k', enc('1'));
        await rejectsWith(b.create('/k', enc('2')), 'AlreadyExists');
        assert.equal(dec((await b.get('/k'))!.value), '1');
        await b.delete('/k');
        const again = await b.create('/k', enc('3'));
        assert.ok(again.createRevision > first.createRevision);
        assert.equal(again.createRevision, again.modRevision);
      });

      it('get of a missing key returns undefined', async (b) => {
        assert.equal(await b.get('/missing'), undefined);
      });

      it('values are stored as given bytes, including empty and binary values', async (b) => {
        const bin = Uint8Array.from({ length: 256 }, (_, i) => i);
        await b.create('/bin', bin);
        await b.create('/empty', new Uint8Array(0));
        assert.deepEqual([...(await b.get('/bin'))!.value], [...bin]);
        assert.equal((await b.get('/empty'))!.value.byteLength, 0);
        const page = await b.list('/');
        assert.deepEqual([...page.items[0]!.value], [...bin]);
      });

      it('update keeps the create revision and moves the mod revision', async (b) => {
        const c = await b.create('/k', enc('1'));
        const u = await b.update('/k', enc('2'));
        assert.equal(u.createRevision, c.createRevision);
        assert.ok(u.modRevision > c.modRevision);
        assert.equal(dec((await b.get('/k'))!.value), '2');
      });

      it('update with the current revision succeeds and with a stale one fails with Conflict carrying the current value', async (b) => {
        const c = await b.create('/k', enc('1'));
        const u = await b.update('/k', enc('2'), c.modRevision);
        const err = await rejectsWith(b.update('/k', enc('3'), c.modRevision), 'Conflict');
        assert.equal(err.current?.modRevision, u.modRevision);
        assert.equal(dec(err.current!.value), '2');
        assert.equal(dec((await b.get('/k'))!.value), '2');
      });

      it('update and delete of a missing key fail with NotFound', async (b) => {
        await rejectsWith(b.update('/nope', enc('x')), 'NotFound');
        await rejectsWith(b.update('/nope', enc('x'), 5), 'NotFound');
        await rejectsWith(b.delete('/nope'), 'NotFound');
      });

      it('delete returns its revision and the last value; a stale precondition fails with Conflict', async (b) => {
        const c = await b.create('/k', enc('1'));
        const u = await b.update('/k', enc('2'));
        const err = await rejectsWith(b.delete('/k', c.modRevision), 'Conflict');
        assert.equal(err.current?.modRevision, u.modRevision);
        assert.ok(await b.get('/k'));
        const d = await b.delete('/k', u.modRevision);
        assert.ok(d.revision > u.modRevision);
        assert.equal(d.prev.modRevision, u.modRevision);
        assert.equal(dec(d.prev.value), '2');
        assert.equal(await b.get('/k'), undefined);
        assert.equal(await b.currentRevision(), d.revision);
      });

      it('get at a revision returns the value the key had then', async (b) => {
        const r0 = await b.currentRevision();
        const c = await b.create('/k', enc('1'));
        const u = await b.update('/k', enc('2'));
        const d = await b.delete('/k');
        assert.equal(await b.get('/k', r0), undefined);
        assert.equal(dec((await b.get('/k', c.modRevision))!.value), '1');
        assert.equal((await b.get('/k', u.modRevision - 1))!.modRevision, c.modRevision);
        assert.equal(dec((await b.get('/k', u.modRevision))!.value), '2');
        assert.equal(await b.get('/k', d.revision), undefined);
      });

      it('a value over the size limit fails with TooLarge and changes nothing', async (b) => {
        const before = await b.currentRevision();
        await rejectsWith(b.create('/big', new Uint8Array(1.5 * 1024 * 1024 + 1)), 'TooLarge');
        assert.equal(await b.currentRevision(), before);
        assert.equal(await b.get('/big'), undefined);
      });

      it('revisions strictly increase across keys and every write gets its own', async (b) => {
        const revs: number[] = [];
        for (let i = 0; i < 5; i++) revs.push((await b.create(`/a/${i}`, enc('x'))).modRevision);
        revs.push((await b.update('/a/1', enc('y'))).modRevision);
        revs.push((await b.delete('/a/2')).revision);
        revs.push((await b.create('/b/0', enc('z'))).modRevision);
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revision ${revs[i]} after ${revs[i - 1]}`);
      });

      it('concurrent writes in one tick each get a distinct revision, in call order', async (b) => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => b.create(`/c/${String(i).padStart(2, '0')}`, enc(String(i)))));
        const revs = results.map((kv) => kv.modRevision);
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!);
        assert.equal((await b.list('/c/')).items.length, 50);
        assert.equal(await b.count('/c/'), 50);
      });

      it('concurrent writes to one key in one tick are checked one after the other', async (b) => {
        const c = await b.create('/k', enc('0'));
        const [u1, u2, c2, d] = await Promise.allSettled([
          b.update('/k', enc('1'), c.modRevision),
          b.update('/k', enc('2'), c.modRevision),
          b.create('/k', enc('3')),
          b.delete('/k'),
        ]);
        assert.equal(u1.status, 'fulfilled');
        assert.equal(u2.status === 'rejected' && (u2.reason as StorageError).code, 'Conflict');
        assert.equal(c2.status === 'rejected' && (c2.reason as StorageError).code, 'AlreadyExists');
        assert.equal(d.status, 'fulfilled');
        assert.equal(await b.get('/k'), undefined);
      });

      it('a closed backend fails every call with Unavailable', async (b) => {
        await b.create('/k', enc('1'));
        await b.close();
        await rejectsWith(b.get('/k'), 'Unavailable');
        await rejectsWith(b.create('/j', enc('1')), 'Unavailable');
        await rejectsWith(b.list('/'), 'Unavailable');
        await rejectsWith(b.watch('/', 0, () => {}).done, 'Unavailable');
      });
    });

    describe('lists', () => {
      it('list returns the keys under a plain string prefix in byte order', async (b) => {
        const keys = ['/a/bc/1', '/a/b/2', '/a/b', '/a/b/1', '/a/c', '/b/x', '/a/b/10', '/a/b/B', '/a/b/a'];
        for (const k of keys) await b.create(k, enc(k));
        assert.deepEqual(keysOf((await b.list('/a/b/')).items), ['/a/b/1', '/a/b/10', '/a/b/2', '/a/b/B', '/a/b/a']);
        assert.deepEqual(keysOf((await b.list('/a/b')).items), ['/a/b', '/a/b/1', '/a/b/10', '/a/b/2', '/a/b/B', '/a/b/a', '/a/bc/1']);
        assert.equal((await b.list('')).items.length, keys.length);
        assert.deepEqual(keysOf((await b.list('/zz')).items), []);
        assert.equal(await b.count('/a/b/'), 5);
        assert.equal(await b.count('/a/b'), 7);
        assert.equal(await b.count(''), keys.length);
        for (const kv of (await b.list('/a/')).items) assert.equal(dec(kv.value), kv.key);
      });

      it('keys sort by their UTF-8 bytes, as etcd and SQLite keep them', async (b) => {
        const keys = ['/u/\u{1F600}', '/u/\uFF21', '/u/z', '/u/\u00e9'];
        for (const k of keys) await b.create(k, enc(k));
        assert.deepEqual(keysOf((await b.list('/u/')).items), ['/u/z', '/u/\u00e9', '/u/\uFF21', '/u/\u{1F600}']);
        assert.deepEqual(keysOf((await b.list('/u/', { after: '/u/\uFF21' })).items), ['/u/\u{1F600}']);
      });

      it('list pages with limit and after, reporting more and remaining', async (b) => {
        for (let i = 0; i < 25; i++) await b.create(`/p/${String(i).padStart(2, '0')}`, enc(String(i)));
        await b.create('/q/0', enc('other'));
        const seen: string[] = [];
        const p1 = await b.list('/p/', { limit: 10 });
        assert.equal(p1.items.length, 10);
        assert.equal(p1.more, true);
        if (p1.remaining !== undefined) assert.equal(p1.remaining, 15);
        seen.push(...keysOf(p1.items));
        const p2 = await b.list('/p/', { limit: 10, after: seen[seen.length - 1]!, revision: p1.revision });
        assert.equal(p2.more, true);
        if (p2.remaining !== undefined) assert.equal(p2.remaining, 5);
        seen.push(...keysOf(p2.items));
        const p3 = await b.list('/p/', { limit: 10, after: seen[seen.length - 1]!, revision: p1.revision });
        assert.equal(p3.items.length, 5);
        assert.equal(p3.more, false);
        seen.push(...keysOf(p3.items));
        assert.deepEqual(seen, keysOf((await b.list('/p/')).items));
        assert.equal(new Set(seen).size, 25);
        const exact = await b.list('/p/', { limit: 25 });
        assert.equal(exact.more, false);
        assert.deepEqual(keysOf((await b.list('/p/', { after: '/a' })).items).length, 25);
        assert.deepEqual(keysOf((await b.list('/p/', { after: '/p/23' })).items), ['/p/24']);
        assert.deepEqual(keysOf((await b.list('/p/', { after: '/p/24' })).items), []);
      });

      it('a list at an older revision is a snapshot of that revision, also page by page', async (b) => {
        await b.create('/s/a', enc('a1'));
        await b.create('/s/b', enc('b1'));
        await b.create('/s/d', enc('d1'));
        const r1 = await b.currentRevision();
        await b.update('/s/a', enc('a2'));
        await b.delete('/s/b');
        await b.create('/s/c', enc('c1'));
        await b.delete('/s/d');
        const now = await b.list('/s/');
        assert.deepEqual(now.items.map((kv) => dec(kv.value)), ['a2', 'c1']);
        const then = await b.list('/s/', { revision: r1 });
        assert.equal(then.revision, r1);
        assert.deepEqual(then.items.map((kv) => dec(kv.value)), ['a1', 'b1', 'd1']);
        const page1 = await b.list('/s/', { revision: r1, limit: 2 });
        assert.deepEqual(keysOf(page1.items), ['/s/a', '/s/b']);
        assert.equal(page1.more, true);
        if (page1.remaining !== undefined) assert.equal(page1.remaining, 1);
        const page2 = await b.list('/s/', { revision: r1, limit: 2, after: '/s/b' });
        assert.deepEqual(keysOf(page2.items), ['/s/d']);
        assert.equal(page2.more, false);
      });

      it('a paged list at any retained revision matches the state recorded at that revision', async (b) => {
        let seed = 11;
        const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const state = new Map<string, string>();
        const snapshots: { rev: number; keys: string[] }[] = [];
        for (let round = 0; round < 30; round++) {
          // Ten writes per round, issued together so that a group-committing driver batches them.
          const ops: Promise<unknown>[] = [];
          const touched = new Set<string>();
          for (let i = 0; i < 10; i++) {
            const key = `/m/${Math.floor(rnd() * 40)}`;
            if (touched.has(key)) continue;
            touched.add(key);
            const value = `${key}@${round}`;
            if (!state.has(key)) ops.push(b.create(key, enc(value)).then(() => state.set(key, value)));
            else if (rnd() < 0.4) ops.push(b.delete(key).then(() => state.delete(key)));
            else ops.push(b.update(key, enc(value)).then(() => state.set(key, value)));
          }
          await Promise.all(ops);
          snapshots.push({ rev: await b.currentRevision(), keys: [...state.keys()].sort().map((k) => `${k}=${state.get(k)}`) });
        }
        for (const snap of snapshots) {
          const seen: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await b.list('/m/', { revision: snap.rev, limit: 7, ...(after !== undefined ? { after } : {}) });
            seen.push(...page.items.map((kv) => `${kv.key}=${dec(kv.value)}`));
            if (page.remaining !== undefined) assert.equal(page.remaining, snap.keys.length - seen.length);
            if (!page.more) break;
            after = page.items[page.items.length - 1]!.key;
          }
          assert.deepEqual(seen, snap.keys, `at revision ${snap.rev}`);
        }
      });

      it('reads older than the compacted revision fail with Compacted; current values survive compaction', async (b) => {
        await b.create('/k/a', enc('1'));
        await b.update('/k/a', enc('2'));
        await b.create('/k/b', enc('1'));
        await b.delete('/k/b');
        const r = (await b.create('/k/c', enc('1'))).modRevision;
        await b.update('/k/c', enc('2'));
        await b.compact(r);
        assert.ok((await b.compactedRevision()) >= r);
        const err = await rejectsWith(b.list('/k/', { revision: r - 1 }), 'Compacted');
        assert.ok((err.compactRevision ?? 0) >= r);
        await rejectsWith(b.get('/k/a', r - 1), 'Compacted');
        assert.deepEqual(keysOf((await b.list('/k/', { revision: r })).items), ['/k/a', '/k/c']);
        assert.equal(dec((await b.get('/k/c', r))!.value), '1');
        assert.deepEqual((await b.list('/k/')).items.map((kv) => dec(kv.value)), ['2', '2']);
        await b.compact(r); // compacting again to the same revision is harmless
      });
    });

    describeWatchConformance(it);
  });
}
