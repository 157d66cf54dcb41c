// Chooses a driver by URL scheme and puts the watch cache in front of it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StorageError, type Backend } from './backend.js';
import { MemoryBackend, type MemoryBackendOptions } from './memory.js';
import { SqliteBackend, type SqliteBackendOptions } from './sqlite.js';
import { WatchCache, type WatchCacheOptions } from './watch-cache.js';

/** Options of `openBackend`: per-driver options and whether to add the watch cache. */
export interface OpenBackendOptions {
  /** Serve reads and watches from the watch cache (default true). */
  watchCache?: boolean;
  cache?: WatchCacheOptions;
  memory?: MemoryBackendOptions;
  sqlite?: SqliteBackendOptions;
}

/**
 * Opens the backend a URL names: `memory://`, `sqlite:///absolute/path/kin.db` or `sqlite://relative/path.db`
 * (the file's folder is created when missing). Unless `watchCache` is false the driver is wrapped in a
 * WatchCache, loaded before this resolves. Fails with an Unavailable StorageError for an unknown scheme or a
 * file that cannot be opened.
 */
export async function openBackend(url: string, opts: OpenBackendOptions = {}): Promise<Backend> {
  const driver = openDriver(url, opts);
  if (opts.watchCache === false) return driver;
  const cache = new WatchCache(driver, opts.cache);
  await cache.whenReady();
  return cache;
}

function openDriver(url: string, opts: OpenBackendOptions): Backend {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  const scheme = m?.[1]?.toLowerCase();
  const rest = m?.[2] ?? '';
  if (scheme === 'memory') return new MemoryBackend(opts.memory);
  if (scheme === 'sqlite') {
    if (rest === '') throw new StorageError('Unavailable', `storage URL ${url} names no file`);
    try {
      mkdirSync(dirname(rest), { recursive: true });
    } catch (err) {
      throw new StorageError('Unavailable', `cannot create the folder of ${rest}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new SqliteBackend(rest, opts.sqlite);
  }
  throw new StorageError('Unavailable', `unsupported storage URL ${JSON.stringify(url)}: use memory:// or sqlite://path`);
}
