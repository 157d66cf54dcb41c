import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteBackend } from './sqlite.js';
import { describeBackendConformance } from './testing-support/conformance.js';
import { recorder } from './testing-support/conformance-watch.js';
import { dec, enc, rejectsWith } from './testing-support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kin-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `t${n++}.db`);

describeBackendConformance('sqlite', () => {
  const path = freshPath();
  const backend = new SqliteBackend(path);
  return {
    backend,
    reopen: async () => {
      await backend.close();
      return new SqliteBackend(path);
    },
  };
});

describe('sqlite driver', () => {
  test('writes requested in one tick are committed together and reach a watcher as one batch', async () => {
    const b = new SqliteBackend(freshPath());
    const rec = recorder();
    const w = b.watch('/', await b.currentRevision(), rec.cb);
    await Promise.all(Array.from({ length: 64 }, (_, i) => b.create(`/g/${i}`, enc('x'))));
    assert.equal(rec.events.length, 64);
    assert.equal(rec.batches, 1);
    w.cancel();
    await b.close();
  });

  test('a second backend on the same file fails with Unavailable while the first is open', async () => {
    const path = freshPath();
    const b = new SqliteBackend(path);
    await b.create('/k', enc('1'));
    assert.throws(() => new SqliteBackend(path), (e: unknown) => (e as { code?: string }).code === 'Unavailable');
    await b.close();
    const again = new SqliteBackend(path);
    assert.equal(dec((await again.get('/k'))!.value), '1');
    await again.close();
  });

  test('a file that is not a database, or a missing folder, fails with Unavailable', () => {
    const junk = freshPath();
    writeFileSync(junk, 'this is not a database, just text that is long enough to have a header'.repeat(20));
    assert.throws(() => new SqliteBackend(junk), (e: unknown) => (e as { code?: string }).code === 'Unavailable');
    assert.throws(() => new SqliteBackend(join(dir, 'no', 'such', 'dir', 'x.db')), (e: unknown) => (e as { code?: string }).code === 'Unavailable');
  });

  test('bad input is rejected with a StorageError and never reaches SQLite', async () => {
    const b = new SqliteBackend(freshPath());
    await rejectsWith(b.create('', enc('x')), 'Unavailable');
    await rejectsWith(b.create('/lone\ud800', enc('x')), 'Unavailable');
    await rejectsWith(b.create('/k', 'text' as unknown as Uint8Array), 'Unavailable');
    await rejectsWith(b.update('/k', enc('x'), -1), 'Unavailable');
    await rejectsWith(b.get('/k', Number.NaN), 'Unavailable');
    await rejectsWith(b.watch('/', -5, () => {}).done, 'Unavailable');
    await rejectsWith(b.compact(1e9), 'Unavailable');
    // Odd but valid keys and prefixes: NUL, LIKE wildcards, quotes.
    for (const k of ['/a\0b', "/a%_'\"", '/a\u{10FFFF}']) await b.create(k, enc(k));
    assert.deepEqual((await b.list('/a')).items.map((kv) => kv.key), ['/a\0b', "/a%_'\"", '/a\u{10FFFF}']);
    assert.deepEqual((await b.list('/a\u{10FFFF}')).items.map((kv) => kv.key), ['/a\u{10FFFF}']);
    assert.deepEqual((await b.list('/a%')).items.map((kv) => kv.key), ["/a%_'\""]);
    await b.close();
  });

  test('a watch older than the in-memory event buffer is served from the table', async () => {
    const b = new SqliteBackend(freshPath(), { eventBufferSize: 2 });
    const r0 = await b.currentRevision();
    const c = await b.create('/w/a', enc('1'));
    await b.update('/w/a', enc('2'));
    await b.create('/x/y', enc('other'));
    await b.delete('/w/a');
    await b.create('/w/b', enc('3'));
    const rec = recorder();
    const w = b.watch('/w/', r0, rec.cb);
    const events = await rec.until(4);
    assert.deepEqual(
      events.map((e) => [e.type, e.key, dec(e.value), e.prev ? dec(e.prev.value) : null]),
      [
        ['put', '/w/a', '1', null],
        ['put', '/w/a', '2', '1'],
        ['delete', '/w/a', '2', '2'],
        ['put', '/w/b', '3', null],
      ],
    );
    assert.equal(events[2]!.createRevision, c.createRevision);
    w.cancel();
    await b.close();
  });

  test('history older than historyLimit revisions is compacted automatically, also across a reopen', async () => {
    const path = freshPath();
    const b = new SqliteBackend(path, { historyLimit: 10 });
    const first = await b.create('/k', enc('0'));
    for (let i = 1; i <= 40; i++) await b.update('/k', enc(String(i)));
    const current = await b.currentRevision();
    const compacted = await b.compactedRevision();
    assert.ok(compacted >= current - 20 && compacted <= current - 10, `compacted ${compacted} at ${current}`);
    await rejectsWith(b.get('/k', first.modRevision), 'Compacted');
    assert.equal(dec((await b.get('/k', current - 10))!.value), '30');
    await b.close();
    const again = new SqliteBackend(path, { historyLimit: 10 });
    assert.equal(await again.compactedRevision(), compacted);
    assert.equal(dec((await again.get('/k', current - 10))!.value), '30');
    await again.close();
  });

  test('every acknowledged write survives kill -9 of the writing process', { timeout: 60_000 }, async () => {
    const path = freshPath();
    const script = fileURLToPath(new URL('./testing-support/durability-writer.ts', import.meta.url));
    // The loader is resolved here so that the child finds it whatever its working folder.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    const acked: string[] = [];
    let partial = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      acked.push(...lines);
      if (!killed && acked.length >= 200) {
        killed = true;
        process.kill(child.pid as number, 'SIGKILL');
      }
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    assert.equal(signal, 'SIGKILL', `writer ended with code ${code} before it was killed`);
    assert.ok(acked.length >= 200);
    const b = new SqliteBackend(path);
    const missing = [];
    for (const key of acked) {
      const kv = await b.get(key);
      if (!kv || dec(kv.value) !== `value of ${key}`) missing.push(key);
    }
    assert.deepEqual(missing, []);
    assert.ok((await b.count('/durable/')) >= acked.length);
    await b.close();
  });
});
