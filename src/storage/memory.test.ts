import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryBackend } from './memory.js';
import { describeBackendConformance } from './testing-support/conformance.js';
import { enc, rejectsWith } from './testing-support/helpers.js';

describeBackendConformance('memory', () => new MemoryBackend());

describe('memory driver', () => {
  test('history beyond historyLimit revisions is compacted automatically', async () => {
    const b = new MemoryBackend({ historyLimit: 10 });
    const first = await b.create('/k', enc('0'));
    for (let i = 1; i <= 30; i++) await b.update('/k', enc(String(i)));
    const current = await b.currentRevision();
    assert.equal(await b.compactedRevision(), current - 10);
    await rejectsWith(b.get('/k', first.modRevision), 'Compacted');
    assert.equal((await b.get('/k', current - 10))?.modRevision, current - 10);
    await rejectsWith(b.watch('/', current - 11, () => {}).done, 'Compacted');
    await b.close();
  });

  test('an empty store is at revision 1 and the first write gets revision 2, as etcd', async () => {
    const b = new MemoryBackend();
    assert.equal(await b.currentRevision(), 1);
    assert.equal(await b.compactedRevision(), 0);
    assert.equal((await b.create('/k', enc('x'))).modRevision, 2);
    await b.close();
  });

  test('the stored value is the caller’s array, not a copy', async () => {
    const b = new MemoryBackend();
    const v = enc('x');
    await b.create('/k', v);
    assert.equal((await b.get('/k'))!.value, v);
    await b.close();
  });

  test('a list at a revision ahead of the store fails with Unavailable', async () => {
    const b = new MemoryBackend();
    await rejectsWith(b.list('/', { revision: 99 }), 'Unavailable');
    await b.close();
  });

  test('150,000 keys insert and page quickly enough to run in a test', async () => {
    const b = new MemoryBackend();
    const v = enc('{}');
    for (let i = 0; i < 150_000; i++) await b.create(`/registry/pods/ns-${i % 100}/pod-${i}`, v);
    assert.equal(await b.count('/registry/pods/'), 150_000);
    assert.equal(await b.count('/registry/pods/ns-7/'), 1500);
    const page = await b.list('/registry/pods/ns-7/', { limit: 500 });
    assert.equal(page.items.length, 500);
    assert.equal(page.remaining, 1000);
    await b.close();
  });
});
