// The storage folder's public surface: the Backend seam, the drivers, the watch cache and openBackend.
export * from './backend.js';
export { MemoryBackend, type MemoryBackendOptions } from './memory.js';
export { SqliteBackend, type SqliteBackendOptions } from './sqlite.js';
export { WatchCache, type WatchCacheOptions } from './watch-cache.js';
export { openBackend, type OpenBackendOptions } from './open.js';
export { compareKeys, prefixEnd, defaultMaxValueBytes } from './keys.js';
