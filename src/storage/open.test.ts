import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MemoryBackend } from './memory.js';
import { openBackend } from './open.js';
import { SqliteBackend } from './sqlite.js';
import { enc } from './testing-support/helpers.js';
import { WatchCache } from './watch-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'kin-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openBackend', () => {
  test('memory:// opens the memory driver behind the watch cache', async () => {
    const b = await openBackend('memory://');
    assert.ok(b instanceof WatchCache);
    await b.create('/k', enc('1'));
    await b.close();
  });

  test('watchCache: false returns the bare driver', async () => {
    const b = await openBackend('memory://', { watchCache: false });
    assert.ok(b instanceof MemoryBackend);
    await b.close();
  });

  test('sqlite:///absolute/path creates the folder and the file, and reopening keeps the data', async () => {
    const url = `sqlite://${join(dir, 'nested', 'kin.db')}`;
    const b = await openBackend(url, { watchCache: false });
    assert.ok(b instanceof SqliteBackend);
    await b.create('/k', enc('1'));
    await b.close();
    const again = await openBackend(url);
    assert.ok(await again.get('/k'));
    await again.close();
  });

  test('sqlite://relative/path is relative to the working folder', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const b = await openBackend('sqlite://rel/kin.db', { watchCache: false });
      await b.close();
      const c = new SqliteBackend(join(dir, 'rel', 'kin.db'));
      await c.close();
    } finally {
      process.chdir(cwd);
    }
  });

  const bad = ['etcd://127.0.0.1:2379', 'postgres://x', 'sqlite://', 'kin.db', ''];
  for (const url of bad) {
    test(`${JSON.stringify(url)} is refused with Unavailable`, async () => {
      await assert.rejects(openBackend(url), (e: unknown) => (e as { code?: string }).code === 'Unavailable');
    });
  }
});
