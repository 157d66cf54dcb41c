// The watch and persistence part of the storage conformance suite (registered by describeBackendConformance).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Backend, WatchCallback, WatchEvent } from '../backend.js';
import { dec, enc, rejectsWith } from './helpers.js';

type It = (title: string, fn: (b: Backend, t: { reopen?: () => Promise<Backend> }) => Promise<void>) => void;

/** Collects the events a watch delivers; `until(n)` resolves once at least n have arrived. */
export function recorder(): { cb: WatchCallback; events: WatchEvent[]; batches: number; until(n: number): Promise<WatchEvent[]> } {
  const events: WatchEvent[] = [];
  let waiting: { n: number; resolve: (e: WatchEvent[]) => void }[] = [];
  const r = {
    events,
    batches: 0,
    cb: (batch: WatchEvent[]) => {
      r.batches++;
      events.push(...batch);
      const due = waiting.filter((w) => events.length >= w.n);
      waiting = waiting.filter((w) => events.length < w.n);
      for (const w of due) w.resolve(events);
    },
    until: (n: number) => (events.length >= n ? Promise.resolve(events) : new Promise<WatchEvent[]>((resolve) => waiting.push({ n, resolve }))),
  };
  return r;
}

// A compact description of an event for deepEqual.
const show = (e: WatchEvent) => ({
  type: e.type,
  key: e.key,
  value: dec(e.value),
  prev: e.prev ? dec(e.prev.value) : undefined,
  prevRev: e.prev?.modRevision,
});

/** Lets pending callbacks and timers run. */
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Registers the watch and persistence tests. */
export function describeWatchConformance(it: It): void {
  describe('watches', () => {
    it('a watch from a revision replays every later change under its prefix in order, with prev values', async (b) => {
      const r0 = await b.currentRevision();
      const c = await b.create('/w/a', enc('1'));
      await b.create('/x/a', enc('other prefix'));
      const u = await b.update('/w/a', enc('2'));
      const d = await b.delete('/w/a');
      await b.create('/w/b', enc('b'));
      const rec = recorder();
      const w = b.watch('/w/', r0, rec.cb);
      const events = await rec.until(4);
      assert.deepEqual(events.map(show), [
        { type: 'put', key: '/w/a', value: '1', prev: undefined, prevRev: undefined },
        { type: 'put', key: '/w/a', value: '2', prev: '1', prevRev: c.modRevision },
        { type: 'delete', key: '/w/a', value: '2', prev: '2', prevRev: u.modRevision },
        { type: 'put', key: '/w/b', value: 'b', prev: undefined, prevRev: undefined },
      ]);
      assert.equal(events[2]!.modRevision, d.revision);
      assert.equal(events[2]!.createRevision, c.createRevision);
      assert.equal(events[1]!.createRevision, c.createRevision);
      // Live changes follow the replayed ones, exactly once.
      await b.update('/w/b', enc('b2'));
      await rec.until(5);
      await settle();
      assert.equal(rec.events.length, 5);
      const revs = rec.events.map((e) => e.modRevision);
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!);
      w.cancel();
      await w.done;
    });

    it('a watch started before a write sees it before the write resolves', async (b) => {
      const rec = recorder();
      const w = b.watch('/w/', await b.currentRevision(), rec.cb);
      const kv = await b.create('/w/a', enc('1'));
      assert.equal(rec.events.length, 1);
      assert.equal(rec.events[0]!.modRevision, kv.modRevision);
      const results = await Promise.all([b.update('/w/a', enc('2')), b.create('/w/b', enc('1')), b.create('/w/c', enc('1'))]);
      assert.equal(rec.events.length, 4);
      assert.deepEqual(
        rec.events.slice(1).map((e) => e.modRevision),
        results.map((r) => r.modRevision),
      );
      w.cancel();
    });

    it('a watch from the current revision gets only later changes under its prefix', async (b) => {
      await b.create('/w/old', enc('1'));
      const rec = recorder();
      const w = b.watch('/w/', await b.currentRevision(), rec.cb);
      await b.create('/v/a', enc('1'));
      await b.create('/w', enc('not under /w/'));
      await b.create('/w/new', enc('1'));
      await rec.until(1);
      await settle();
      assert.deepEqual(rec.events.map((e) => e.key), ['/w/new']);
      w.cancel();
    });

    it('a watch from a compacted revision fails with Compacted carrying the compacted revision', async (b) => {
      const r0 = await b.currentRevision();
      await b.create('/w/a', enc('1'));
      const r = (await b.update('/w/a', enc('2'))).modRevision;
      await b.compact(r);
      const rec = recorder();
      const err = await rejectsWith(b.watch('/w/', r0, rec.cb).done, 'Compacted');
      assert.ok((err.compactRevision ?? 0) >= r);
      assert.equal(rec.events.length, 0);
      // From the compacted revision itself the history is complete again.
      const ok = recorder();
      const w = b.watch('/w/', r, ok.cb);
      await b.delete('/w/a');
      assert.deepEqual((await ok.until(1)).map((e) => e.type), ['delete']);
      w.cancel();
    });

    it('cancel stops delivery and resolves done', async (b) => {
      const rec = recorder();
      const w = b.watch('/w/', await b.currentRevision(), rec.cb);
      await b.create('/w/a', enc('1'));
      await rec.until(1);
      w.cancel();
      await w.done;
      await b.create('/w/b', enc('1'));
      await settle();
      assert.equal(rec.events.length, 1);
    });

    it('a callback may cancel its own watch before the handle is used elsewhere, and writes from callbacks keep order', async (b) => {
      const seen: number[] = [];
      const other = recorder();
      const wo = b.watch('/w/', await b.currentRevision(), other.cb);
      const w = b.watch('/w/', await b.currentRevision(), (events) => {
        for (const e of events) {
          seen.push(e.modRevision);
          if (e.key === '/w/a') void b.create('/w/b', enc('from callback'));
          if (e.key === '/w/b') w.cancel();
        }
      });
      await b.create('/w/a', enc('1'));
      await other.until(2);
      await w.done;
      assert.deepEqual(seen, other.events.map((e) => e.modRevision));
      wo.cancel();
    });

    it('a throwing callback ends only its own watch', async (b) => {
      const bad = b.watch('/w/', await b.currentRevision(), () => {
        throw new Error('boom');
      });
      const rec = recorder();
      const good = b.watch('/w/', await b.currentRevision(), rec.cb);
      await b.create('/w/a', enc('1'));
      await assert.rejects(bad.done, /boom/);
      await b.create('/w/b', enc('1'));
      await rec.until(2);
      good.cancel();
    });

    it('many watchers on one prefix each get every event once', async (b) => {
      const recs = Array.from({ length: 200 }, () => recorder());
      const from = await b.currentRevision();
      const ws = recs.map((r, i) => b.watch(i % 2 ? '/w/' : '/w/a', from, r.cb));
      await Promise.all([b.create('/w/a', enc('1')), b.create('/w/b', enc('1')), b.update('/w/z', enc('x')).catch(() => {})]);
      await Promise.all(recs.map((r, i) => r.until(i % 2 ? 2 : 1)));
      await settle();
      recs.forEach((r, i) => assert.equal(r.events.length, i % 2 ? 2 : 1));
      for (const w of ws) w.cancel();
    });
  });

  describe('persistence', () => {
    it('revisions and values survive reopening the store', async (b, t) => {
      if (!t.reopen) return; // only drivers that persist
      await b.create('/k/a', enc('1'));
      await b.create('/k/b', enc('1'));
      await b.delete('/k/b');
      const last = await b.currentRevision();
      await b.compact(last); // removes the tombstone that is the newest row
      const again = await t.reopen();
      assert.equal(await again.currentRevision(), last);
      assert.deepEqual((await again.list('/k/')).items.map((kv) => kv.key), ['/k/a']);
      const next = await again.create('/k/c', enc('1'));
      assert.ok(next.modRevision > last);
      const rec = recorder();
      const w = again.watch('/k/', last, rec.cb);
      assert.deepEqual((await rec.until(1)).map((e) => e.key), ['/k/c']);
      w.cancel();
    });
  });
}
